"""Changing one stock item from its page over HTTP: add, remove, count, move some or all; clear
refusals that write nothing; history and scan-history rows; operators only."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extensions import db
from models import ScanLog, StockItem, StockTracking
from tests.integration.test_stock_data import code, make_store


@pytest.fixture
def shop(app):
    return make_store(item_count=2)  # items 100 and 101 on Shelf A


def _item(item_id) -> StockItem:
    db.session.expire_all()
    return db.session.get(StockItem, item_id)


def _last_log() -> ScanLog:
    return db.session.execute(db.select(ScanLog).order_by(ScanLog.id.desc()).limit(1)).scalar_one()


@pytest.mark.parametrize("action, quantity, after, tracked", [
    ("add", "5", Decimal(105), "added"), ("remove", "30", Decimal(70), "removed"),
    ("remove", "100", Decimal(0), "removed"), ("count", "97", Decimal(97), "counted"),
    ("count", "100", Decimal(100), "counted"),
])
def test_add_remove_and_count_change_the_quantity_and_record_it(operator_client, shop, users, action, quantity,
                                                                 after, tracked):
    item = shop.items[0]
    form = operator_client.get(f"/stock/items/{item.id}/{action}")
    assert form.status_code == 200 and 'name="quantity"' in form.get_data(as_text=True)
    done = operator_client.post(f"/stock/items/{item.id}/{action}", data={"quantity": quantity, "notes": "shelf check"})
    assert done.status_code == 303 and done.headers["Location"] == f"/stock-items/{item.id}"
    assert _item(item.id).quantity == after
    entry = db.session.execute(db.select(StockTracking).filter_by(stock_item_id=item.id)).scalar_one()
    assert (entry.action, entry.quantity_before, entry.quantity_after, entry.notes) == (
        tracked, Decimal(100), after, "shelf check")
    assert entry.user_id == users["operator"].id
    log = db.session.get(ScanLog, entry.scan_log_id)
    assert (log.action, log.source, log.result, log.object_type, log.object_id) == (
        action, "button", "done", "stockitem", item.id)
    assert log.duration_ms > 0
    page = operator_client.get(f"/stock-items/{item.id}").get_data(as_text=True)
    assert f"{tracked.capitalize()}: Resistor 10k 100 → {after.normalize():f}." in page  # the flash says it


@pytest.mark.parametrize("action, quantity, message", [
    ("remove", "101", "Only 100 are in stock; 101 cannot be taken."),
    ("add", "0", "more than zero"), ("add", "-3", "below zero"), ("count", "lots", "is not a number"),
    ("count", "", "Enter a quantity."), ("add", "1.000001", "more than five decimals"),
    ("add", "NaN", "finite"), ("add", "99999999999999", "too large"),
])
def test_bad_changes_are_refused_in_words_and_write_nothing(client_for, shop, action, quantity, message):
    item = shop.items[0]
    answer = client_for("operator", htmx=True).post(f"/stock/items/{item.id}/{action}", data={"quantity": quantity})
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert 'role="alert"' in answer.get_data(as_text=True) or 'aria-invalid="true"' in answer.get_data(as_text=True)
    assert _item(item.id).quantity == Decimal(100)
    assert db.session.scalar(db.select(db.func.count()).select_from(StockTracking)) == 0


def test_move_some_splits_the_item_and_move_all_moves_it(operator_client, shop):
    item = shop.items[0]
    some = operator_client.post(f"/stock/items/{item.id}/transfer",
                                data={"quantity": "40", "location_code": code(shop.shelf_b)})
    assert some.status_code == 303
    moved = db.session.execute(db.select(StockItem).where(StockItem.id > shop.items[-1].id)).scalar_one()
    assert (moved.quantity, moved.location_id, moved.batch) == (Decimal(40), shop.shelf_b.id, "B0")
    assert (_item(item.id).quantity, _item(item.id).location_id) == (Decimal(60), shop.shelf_a.id)
    log = _last_log()
    assert (log.action, log.source, log.result, log.data) == ("move", "page", "done", code(shop.shelf_b))
    everything = operator_client.post(f"/stock/items/{item.id}/transfer", data={"quantity": "", "location_id": shop.bin_1.id})
    assert everything.status_code == 303
    assert (_item(item.id).quantity, _item(item.id).location_id) == (Decimal(60), shop.bin_1.id)
    assert (_last_log().source, _last_log().action) == ("button", "move")


@pytest.mark.parametrize("form, message", [
    ({"quantity": "5"}, "Choose the location to move it to, or scan its label."),
    ({"quantity": "500", "location_id": "3"}, "cannot be moved"),
    ({"location_code": "garbage-123"}, "No match for that barcode"),
    ({"location_id": "2"}, "already in Store / Shelf A"),
])
def test_move_refusals(operator_client, shop, form, message):
    item = shop.items[0]
    answer = operator_client.post(f"/stock/items/{item.id}/transfer", data=form)
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert (_item(item.id).quantity, _item(item.id).location_id) == (Decimal(100), shop.shelf_a.id)


def test_viewers_look_and_lost_items_are_not_changed(client_for, shop):
    item = shop.items[0]
    viewer = client_for("viewer")
    assert viewer.get(f"/stock/items/{item.id}/add").status_code == 403
    assert viewer.post(f"/stock/items/{item.id}/add", data={"quantity": "1"}).status_code == 403
    assert "/stock/items/" not in viewer.get(f"/stock-items/{item.id}").get_data(as_text=True)
    item.status = "lost"
    db.session.commit()
    refused = client_for("operator").post(f"/stock/items/{item.id}/add", data={"quantity": "1"})
    assert refused.status_code == 422 and "marked lost" in refused.get_data(as_text=True)
    assert client_for("operator").get("/stock/items/999/add").status_code == 404
