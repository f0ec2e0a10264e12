"""The stock-action API: POST /api/stock/transfer/ and POST /api/barcode/receive/."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extensions import db
from models import ScanLog, StockItem, StockTracking
from tests.api_fixtures import auth, token_for
from tests.integration.test_stock_data import DIGIKEY, MOUSER, make_store


@pytest.fixture
def shop(app):
    return make_store(item_count=3)


@pytest.fixture
def headers(users):
    return auth(token_for(users["operator"]))


def _item(pk) -> StockItem:
    db.session.expire_all()
    return db.session.get(StockItem, pk)


def test_transfer_moves_whole_items_and_splits_a_quantity(client, shop, headers):
    a, b = shop.items[:2]
    body = {"location": shop.shelf_b.id, "items": [{"pk": a.id}, {"pk": b.id, "quantity": 1}]}
    response = client.post("/api/stock/transfer/", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert _item(a.id).location_id == shop.shelf_b.id
    assert (_item(b.id).location_id, _item(b.id).quantity) == (shop.shelf_a.id, Decimal(100))
    split = [row["pk"] for row in response.get_json()["items"] if row["pk"] != a.id][0]
    assert (_item(split).location_id, _item(split).quantity, _item(split).batch) == (shop.shelf_b.id, Decimal(1), "B1")
    actions = db.session.execute(db.select(StockTracking.action).order_by(StockTracking.id)).scalars().all()
    assert actions == ["moved", "split", "moved"]


@pytest.mark.parametrize("items, message", [
    ([{"pk": "x"}], "pk"),
    ([{"pk": 1, "quantity": -1}], "below zero"),
    ([{"pk": 1, "quantity": 100000}], "Only 100"),
    ([{"pk": 1, "quantity": "lots"}], "not a number"),
    ([{"pk": 999}], "object does not exist"),
    ([{"pk": 2**70}], "object does not exist"),
    ([{"pk": 1}, {"pk": 1}], "twice"),
    ([], "must be provided"),
])
def test_transfer_refuses_bad_input_and_moves_nothing(client, shop, headers, items, message):
    ok = {"pk": shop.items[1].id}
    response = client.post("/api/stock/transfer/", json={"location": shop.shelf_b.id, "items": [ok, *items]}
                           if items else {"location": shop.shelf_b.id, "items": []}, headers=headers)
    assert response.status_code == 400
    assert message in str(response.get_json())
    assert _item(shop.items[1].id).location_id == shop.shelf_a.id


def test_transfer_needs_an_operator_token(client, shop, users):
    viewer = auth(token_for(users["viewer"]))
    body = {"location": shop.shelf_b.id, "items": [{"pk": shop.items[0].id}]}
    assert client.post("/api/stock/transfer/", json=body).status_code == 401
    assert client.post("/api/stock/transfer/", json=body, headers=viewer).status_code == 403


def test_receive_answers_201_then_400_already_received(client, shop, headers):
    response = client.post("/api/barcode/receive/", json={"barcode": DIGIKEY, "location": shop.bin_1.id},
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["stockitem"]["pk"]
    item = _item(pk)
    assert (item.quantity, item.location_id, item.supplier_part_id) == (Decimal(10), shop.bin_1.id, shop.lm358.id)
    assert db.session.execute(db.select(ScanLog.source, ScanLog.action)).one() == ("api", "receive")
    again = client.post("/api/barcode/receive/", json={"barcode": DIGIKEY, "location": shop.bin_1.id}, headers=headers)
    assert again.status_code == 400 and "Already received" in again.get_json()["error"]
    scan = client.post("/api/barcode/", json={"barcode": DIGIKEY}, headers=headers).get_json()
    assert scan["stockitem"]["pk"] == pk  # the bag now opens its stock item


def test_receive_refuses_unknown_supplier_parts_and_bad_quantities(client, shop, headers):
    unknown = client.post("/api/barcode/receive/", json={"barcode": MOUSER, "location": shop.bin_1.id}, headers=headers)
    assert unknown.status_code == 400 and "not known" in unknown.get_json()["error"]
    negative = client.post("/api/barcode/receive/", json={"barcode": DIGIKEY, "quantity": -5}, headers=headers)
    assert negative.status_code == 400 and "below zero" in negative.get_json()["error"]
    nowhere = client.post("/api/barcode/receive/", json={"barcode": DIGIKEY, "location": 99999}, headers=headers)
    assert nowhere.status_code == 400
    assert db.session.execute(db.select(StockItem).filter_by(supplier_part_id=shop.lm358.id)).first() is None
