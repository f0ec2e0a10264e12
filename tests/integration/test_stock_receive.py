"""Receiving supplier packages over HTTP: pre-filled form, new item with the label linked, 'already received'."""
from __future__ import annotations

from decimal import Decimal

import pytest

from barcodes.normalize import normalize
from extensions import db
from models import Company, Part, ScanLog, StockItem, StockTracking, SupplierPart
from services.barcode_linking import target_of
from tests.integration.test_stock_data import DIGIKEY, MOUSER, code, make_store


@pytest.fixture
def shop(app):
    return make_store(item_count=1)


def _items_of(supplier_part_id):
    return db.session.execute(db.select(StockItem).filter_by(supplier_part_id=supplier_part_id)).scalars().all()


def test_receive_form_is_filled_from_the_label(operator_client, shop):
    page = operator_client.get("/stock/receive", query_string={"barcode": DIGIKEY})
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="quantity"' in body and 'value="10"' in body
    assert "DigiKey 296-LM358BIDDFRCT-ND" in body
    assert "Store / Shelf B" in body  # the part's default location is offered


def test_receiving_makes_the_item_links_the_label_and_warns_the_second_time(operator_client, shop, users):
    response = operator_client.post("/stock/receive", data={"barcode": DIGIKEY, "location": code(shop.bin_1),
                                                           "quantity": "10", "lot": "L1"})
    assert response.status_code == 200 and "Received" in response.get_data(as_text=True)
    [item] = _items_of(shop.lm358.id)
    assert (item.quantity, item.location_id, item.part_id, item.batch) == (Decimal(10), shop.bin_1.id, shop.opamp.id, "L1")
    assert target_of(normalize(DIGIKEY)) == ("stockitem", item.id)
    entry = db.session.execute(db.select(StockTracking).filter_by(stock_item_id=item.id)).scalar_one()
    assert (entry.action, entry.to_location_id, entry.quantity_after) == ("received", shop.bin_1.id, Decimal(10))
    log = db.session.get(ScanLog, entry.scan_log_id)
    assert (log.action, log.source, log.result, log.object_type) == ("receive", "page", "done", "supplierpart")
    assert log.duration_ms > 0 and '"location": "Store / Shelf A / Bin 1"' in log.response

    again = operator_client.get("/stock/receive", query_string={"barcode": DIGIKEY}).get_data(as_text=True)
    assert "Already received" in again and f"stock item {item.id}" in again
    double = operator_client.post("/stock/receive", data={"barcode": DIGIKEY, "location": code(shop.bin_1)})
    assert double.status_code == 422 and "Already received" in double.get_data(as_text=True)
    assert len(_items_of(shop.lm358.id)) == 1


def test_receive_uses_the_default_location_and_the_label_quantity(operator_client, shop):
    operator_client.post("/stock/receive", data={"barcode": DIGIKEY})
    [item] = _items_of(shop.lm358.id)
    assert (item.location_id, item.quantity) == (shop.shelf_b.id, Decimal(10))


@pytest.mark.parametrize("form, message", [
    ({"quantity": "-1"}, "below zero"),
    ({"quantity": "0"}, "more than zero"),
    ({"quantity": "ten"}, "not a number"),
    ({"location": "garbage"}, "No match"),
])
def test_receive_refuses_bad_input_and_writes_nothing(operator_client, shop, form, message):
    response = operator_client.post("/stock/receive", data={"barcode": DIGIKEY, **form})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _items_of(shop.lm358.id) == []
    assert target_of(normalize(DIGIKEY)) is None


def test_a_location_label_in_the_location_field_must_be_a_location(operator_client, shop):
    response = operator_client.post("/stock/receive", data={"barcode": DIGIKEY, "location": code(shop.opamp)})
    assert response.status_code == 422 and "not a location" in response.get_data(as_text=True)


def test_unknown_supplier_part_is_created_from_the_label_then_received(operator_client, shop):
    page = operator_client.get("/stock/receive", query_string={"barcode": MOUSER}).get_data(as_text=True)
    assert "not known yet" in page and "MC34063ADR" in page
    created = operator_client.post("/stock/receive/supplier-part", data={"barcode": MOUSER, "supplier": "Mouser",
                                                                         "part_name": "MC34063 regulator"})
    assert created.status_code == 303
    supplier_part = db.session.execute(db.select(SupplierPart).filter_by(mpn="MC34063ADR")).scalar_one()
    assert supplier_part.supplier.name == "Mouser" and supplier_part.part.name == "MC34063 regulator"
    assert supplier_part.part.units == "pcs"  # a supplier label counts pieces
    operator_client.post("/stock/receive", data={"barcode": MOUSER, "location": code(shop.shelf_a)})
    [item] = _items_of(supplier_part.id)
    assert item.quantity == Decimal(3)


def test_receive_refuses_our_own_labels_and_garbage(operator_client, shop):
    own = operator_client.get("/stock/receive", query_string={"barcode": code(shop.items[0])})
    assert own.status_code == 422 and "not a supplier" in own.get_data(as_text=True)
    junk = operator_client.get("/stock/receive", query_string={"barcode": "hello world"})
    assert junk.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Company)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Part)) == 2


def test_a_received_bags_label_opens_its_stock_item(client_for, shop):
    operator = client_for("operator", htmx=True)
    operator.post("/stock/receive", data={"barcode": DIGIKEY, "location": code(shop.bin_1), "quantity": "10"})
    [item] = _items_of(shop.lm358.id)
    scanned = operator.post("/scan", data={"barcode": DIGIKEY, "source": "wedge"})
    assert scanned.headers["X-Scan-Result"] == "redirect"  # not a chooser with the supplier part
    assert scanned.headers["HX-Redirect"] == f"/stock-items/{item.id}"
    log = db.session.execute(db.select(ScanLog).order_by(ScanLog.id.desc()).limit(1)).scalar_one()
    assert (log.object_type, log.object_id, log.plugin) == ("stockitem", item.id, "linked")


def test_a_supplier_label_and_its_receive_offer_are_not_two_things(client_for, shop):
    answer = client_for("operator", htmx=True).post("/scan", data={"barcode": DIGIKEY, "source": "dialog"})
    body = answer.get_data(as_text=True)
    assert answer.headers["X-Scan-Result"] == "choose" and 'data-choice="receive"' in body
    assert "names more than one thing" not in body
    assert "This is <strong>DigiKey 296-LM358BIDDFRCT-ND</strong>. Open it, or receive a package of it" in body


def test_receiving_from_a_location_starts_with_that_location(operator_client, shop):
    start = operator_client.get(f"/locations/{shop.shelf_a.id}").get_data(as_text=True)
    assert f'href="/stock/receive?location={shop.shelf_a.id}"' in start
    form = operator_client.get("/stock/receive", query_string={"barcode": DIGIKEY, "location": shop.shelf_a.id})
    body = form.get_data(as_text=True)
    assert f'name="location_id" value="{shop.shelf_a.id}"' in body and "Store / Shelf A" in body
    done = operator_client.post("/stock/receive", data={"barcode": DIGIKEY, "location_id": shop.shelf_a.id,
                                                       "location": "", "quantity": "10"})
    assert done.status_code == 200 and f'name="location" value="{shop.shelf_a.id}"' in done.get_data(as_text=True)
    [item] = _items_of(shop.lm358.id)
    assert item.location_id == shop.shelf_a.id  # not the part's default, Shelf B


@pytest.mark.parametrize("aim", ["]C1", "]d2", "]Q3", "]d1", "]C0"])
def test_a_supplier_label_behind_any_aim_prefix_is_read_as_iso_15434(client_for, shop, aim):
    answer = client_for("operator", htmx=True).post("/scan", data={"barcode": aim + DIGIKEY, "source": "wedge"})
    assert answer.headers["X-Scan-Result"] == "choose"  # the supplier part, and Receive
    assert f"/supplier-parts/{shop.lm358.id}" in answer.get_data(as_text=True)
    log = db.session.execute(db.select(ScanLog).order_by(ScanLog.id.desc()).limit(1)).scalar_one()
    assert (log.aim_id, log.plugin) == (aim, "supplier")  # the prefix is kept for the history


def test_the_supplier_part_page_lists_its_stock_and_receives_a_package_without_a_label(client_for, shop):
    operator, viewer = client_for("operator"), client_for("viewer")
    operator.post("/stock/receive", data={"barcode": DIGIKEY, "location": code(shop.bin_1), "quantity": "10"})
    page = operator.get(f"/supplier-parts/{shop.lm358.id}").get_data(as_text=True)
    [labelled] = _items_of(shop.lm358.id)
    assert f'href="/stock-items/{labelled.id}"' in page and "Store / Shelf A / Bin 1" in page
    assert f'href="/stock/receive?supplier_part={shop.lm358.id}"' in page
    assert "Receive a package" not in viewer.get(f"/supplier-parts/{shop.lm358.id}").get_data(as_text=True)

    form = operator.get("/stock/receive", query_string={"supplier_part": shop.lm358.id}).get_data(as_text=True)
    assert f'name="supplier_part_id" value="{shop.lm358.id}"' in form and '<input type="hidden" name="barcode"' not in form
    refused = operator.post("/stock/receive", data={"supplier_part_id": shop.lm358.id, "quantity": "",
                                                    "location": ""})
    assert refused.status_code == 422 and "Enter the quantity received." in refused.get_data(as_text=True)
    done = operator.post("/stock/receive", data={"supplier_part_id": shop.lm358.id, "quantity": "25", "lot": "L7",
                                                 "location": ""})
    assert done.status_code == 200 and "barcode now opens" not in done.get_data(as_text=True)
    unlabelled = [item for item in _items_of(shop.lm358.id) if item.id != labelled.id][0]
    assert (unlabelled.quantity, unlabelled.location_id, unlabelled.batch) == (Decimal(25), shop.shelf_b.id, "L7")
    entry = db.session.execute(db.select(StockTracking).filter_by(stock_item_id=unlabelled.id)).scalar_one()
    log = db.session.get(ScanLog, entry.scan_log_id)
    assert (log.action, log.source, log.result, log.object_id) == ("receive", "button", "done", unlabelled.id)


def test_a_label_that_names_two_supplier_parts_says_so_and_offers_both(client_for, shop):
    farnell = Company(name="Farnell", is_supplier=True)
    other = SupplierPart(part=shop.opamp, supplier=farnell, sku="1234567", mpn="LM358BIDDFR")
    db.session.add_all([farnell, other])
    db.session.commit()
    # An ECIA label with only the manufacturer's part number: both suppliers carry it.
    answer = client_for("operator", htmx=True).post(
        "/scan", data={"barcode": "[)>\x1e06\x1d1PLM358BIDDFR\x1dQ10\x1e\x04", "source": "wedge"})
    body = answer.get_data(as_text=True)
    assert answer.headers["X-Scan-Result"] == "choose" and "names more than one thing" in body
    assert f"/supplier-parts/{shop.lm358.id}" in body and f"/supplier-parts/{other.id}" in body
