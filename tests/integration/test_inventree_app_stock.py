"""Contract: linking barcodes, moving and counting stock from the InvenTree app.

Each flow replays the app's requests in order (the scan, the OPTIONS its form is drawn from, the
POST or PATCH it submits) and then checks Shelfscan's records: the stock tracking entry and the
scan-history row every change writes, as the web's own actions do.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from barcodes.internal import internal_code
from extensions import db
from models import ScanLog, StockItem, StockLocation, StockTracking
from tests.integration.test_stock_data import DIGIKEY
from tests.inventree_app import app_server, json_of  # noqa: F401 (a fixture)

STOCK_FILTERS = {"part_detail": "true", "location_detail": "true", "supplier_detail": "true",
                 "supplier_part_detail": "true", "cascade": "false"}


@pytest.fixture
def phone(app_server):
    return app_server.phone("operator")


def _item(server, pk):
    return server.query(lambda: db.session.get(StockItem, pk))


def _history(server, pk) -> list[tuple]:
    return server.query(lambda: [(t.action, t.quantity_before, t.quantity_after, t.notes) for t in db.session.execute(
        db.select(StockTracking).filter_by(stock_item_id=pk).order_by(StockTracking.id)).scalars()])


def _log(server) -> list[tuple]:
    return server.query(lambda: list(db.session.execute(
        db.select(ScanLog.source, ScanLog.action, ScanLog.object_type, ScanLog.object_id).order_by(ScanLog.id)).all()))


def test_link_and_unlink_a_barcode(app_server, phone):
    pk = app_server.store["items"][1]
    # lib/barcode/barcode.dart UniqueBarcodeHandler: the scan of a new code answers 400, which it
    # reads as "unknown, so free": it needs barcode_hash and barcode_data from that answer
    free = json_of(phone.post("barcode/", {"barcode": "4006381333931"},
                              cite="lib/barcode/handler.dart processBarcode (UniqueBarcodeHandler)"), phone, 400)
    assert free["barcode_hash"] and free["barcode_data"] == "4006381333931"
    # customBarcodeAction -> api.dart linkBarcode({model: pk.toString(), "barcode": ...}), expects 200
    linked = phone.post("barcode/link/", {"stockitem": str(pk), "barcode": free["barcode_data"]},
                        cite="lib/api.dart linkBarcode")
    assert json_of(linked, phone)["success"]
    item = json_of(phone.get(f"stock/{pk}/", STOCK_FILTERS, cite="stock_detail.dart refresh"), phone)
    assert item["barcode_hash"]  # InvenTreeModel.customBarcode: now "Unassign barcode"
    scanned = json_of(phone.post("barcode/", {"barcode": "4006381333931"}, cite="barcode/handler.dart"), phone)
    assert scanned["stockitem"]["pk"] == pk
    unlinked = phone.post("barcode/unlink/", {"stockitem": str(pk)}, cite="lib/api.dart unlinkBarcode")
    assert json_of(unlinked, phone)["success"]
    item = json_of(phone.get(f"stock/{pk}/", STOCK_FILTERS, cite="stock_detail.dart refresh"), phone)
    assert item["barcode_hash"] == ""


def test_scan_a_stock_item_into_a_location(app_server, phone):
    """stock_detail.dart "Scan into location" -> barcode/stock.dart StockItemScanIntoLocationHandler:
    transferStock(location) -> stock.dart adjustStock: pk and quantity as strings, the whole item."""
    ids = app_server.store
    pk = ids["items"][0]
    location = json_of(phone.post("barcode/", {"barcode": internal_code("stocklocation", ids["bin_1"])},
                                  cite="barcode/stock.dart BarcodeScanStockLocationHandler"), phone)
    body = {"items": [{"pk": str(pk), "quantity": "100.0"}], "notes": "", "location": location["stocklocation"]["pk"]}
    moved = json_of(phone.post("stock/transfer/", body, cite="lib/inventree/stock.dart adjustStock (transfer)"),
                    phone, 201)
    assert moved["items"] == [{"pk": pk, "quantity": 100.0}]
    assert _item(app_server, pk).location_id == ids["bin_1"]
    assert _history(app_server, pk) == [("moved", Decimal(100), Decimal(100), "Transfer")]
    assert _log(app_server)[-1] == ("api", "move", "stocklocation", ids["bin_1"])


def test_scan_items_into_a_location(app_server, phone):
    """location_display.dart "Scan items" -> barcode/stock.dart StockLocationScanInItemsHandler: scan an
    item, load it, transfer it here (an item already here only gets a message)."""
    ids = app_server.store
    pk = ids["items"][-1]  # the LM358, on shelf B
    scanned = json_of(phone.post("barcode/", {"barcode": internal_code("stockitem", pk)},
                                 cite="barcode/stock.dart BarcodeScanStockItemHandler"), phone)
    item = json_of(phone.get(f"stock/{scanned['stockitem']['pk']}/", STOCK_FILTERS,
                             cite="StockLocationScanInItemsHandler.onItemScanned (InvenTreeStockItem().get)"), phone)
    assert item["location"] != ids["shelf_a"]
    body = {"items": [{"pk": str(pk), "quantity": "5.0"}], "notes": "", "location": ids["shelf_a"]}
    json_of(phone.post("stock/transfer/", body, cite="lib/inventree/stock.dart transferStock"), phone, 201)
    assert _item(app_server, pk).location_id == ids["shelf_a"]


def test_scan_a_location_into_another(app_server, phone):
    """location_display.dart "Transfer location" -> barcode/stock.dart ScanParentLocationHandler:
    PATCH stock/location/<pk>/ {"parent": "<scanned>"}; 400 reads as "invalid location"."""
    ids = app_server.store
    moved = phone.patch(f"stock/location/{ids['bin_1']}/", {"parent": str(ids["shelf_b"])},
                        cite="lib/barcode/stock.dart ScanParentLocationHandler.onLocationScanned")
    assert json_of(moved, phone)["pathstring"] == "Store / Shelf B / Bin 1"
    into_own_child = phone.patch(f"stock/location/{ids['store']}/", {"parent": str(ids["bin_1"])},
                                 cite="ScanParentLocationHandler (a location into its own child)")
    assert "parent" in json_of(into_own_child, phone, 400)
    assert app_server.query(lambda: db.session.get(StockLocation, ids["store"]).parent_id) is None


def test_the_transfer_form(app_server, phone):
    """stock_detail.dart _transferStockDialog: OPTIONS stock/transfer/, the location's initial data,
    then POST with pk an int, quantity text, the status and packaging the form carries (API >= 133)."""
    ids = app_server.store
    pk = ids["items"][0]
    form = json_of(phone.options("stock/transfer/", cite="lib/api_form.dart launchApiForm"), phone)
    fields = form["actions"]["POST"]
    children = fields["items"]["child"]["children"]
    assert children["quantity"]["type"] == "decimal" and fields["location"]["type"] == "related field"
    assert fields["location"]["api_url"] == "/api/stock/location/" and fields["location"]["model"] == "stocklocation"
    assert children["status"]["hidden"] and children["packaging"]["hidden"]  # no "unsupported field"
    assert {choice["value"] for choice in children["status"]["choices"]} >= {10, 50, 55, 71}
    json_of(phone.get(f"/api/stock/location/{ids['shelf_a']}/", cite="api_form.dart loadInitialData"), phone)
    body = {"items": [{"pk": pk, "quantity": "40", "status": 10, "packaging": ""}], "location": ids["shelf_b"],
            "notes": "half to B"}
    moved = json_of(phone.post("stock/transfer/", body, cite="lib/api_form.dart APIFormWidgetState._submit"),
                    phone, 201)
    split = moved["items"][0]["pk"]
    assert split != pk and _item(app_server, split).location_id == ids["shelf_b"]
    assert _item(app_server, pk).quantity == Decimal(60)
    assert [row[0] for row in _history(app_server, pk)] == ["split"]
    assert _history(app_server, split)[-1][3] == "half to B"


@pytest.mark.parametrize("endpoint, quantity, after, action", [
    ("count", "97", Decimal(97), "counted"), ("add", "2.5", Decimal("102.5"), "added"),
    ("remove", "100", Decimal(0), "removed"),
])
def test_count_add_and_remove_forms(app_server, phone, endpoint, quantity, after, action):
    """stock_detail.dart _countStockDialog / _addStockDialog / _removeStockDialog."""
    pk = app_server.store["items"][0]
    form = json_of(phone.options(f"stock/{endpoint}/", cite="lib/api_form.dart launchApiForm"), phone)
    assert form["actions"]["POST"]["items"]["child"]["children"]["quantity"]["required"] is True
    assert form["actions"]["POST"]["notes"]["type"] == "string"
    body = {"items": [{"pk": pk, "quantity": quantity}], "notes": f"{endpoint} by phone"}
    done = json_of(phone.post(f"stock/{endpoint}/", body, cite=f"stock_detail.dart _{endpoint}StockDialog"),
                   phone, 201)
    assert done["items"] == [{"pk": pk, "quantity": float(after)}]
    assert _item(app_server, pk).quantity == after
    assert _history(app_server, pk) == [(action, Decimal(100), after, f"{endpoint} by phone")]
    assert _log(app_server)[-1] == ("api", endpoint, "stockitem", pk)


@pytest.mark.parametrize("endpoint, line, field", [
    ("remove", {"quantity": "101"}, "quantity"),
    ("count", {"quantity": "many"}, "quantity"),
    ("add", {"quantity": "-3"}, "quantity"),
    ("count", {"quantity": "1", "status": 55}, "status"),
])
def test_refusals_land_beside_the_field(app_server, phone, endpoint, line, field):
    """api_form.dart extractErrorMessages reads response.data["items"][0][field]."""
    pk = app_server.store["items"][0]
    response = phone.post(f"stock/{endpoint}/", {"items": [{"pk": pk, **line}], "notes": ""},
                          cite="lib/api_form.dart _save (400 -> field errors)")
    errors = json_of(response, phone, 400)
    assert list(errors) == ["items"] and errors["items"][0][field]
    assert _item(app_server, pk).quantity == Decimal(100) and _history(app_server, pk) == []


def test_non_field_errors_and_a_missing_location(app_server, phone):
    empty = json_of(phone.post("stock/count/", {"items": [], "notes": ""}, cite="api_form.dart _save"), phone, 400)
    assert empty["non_field_errors"]  # extractNonFieldErrors shows it above the form
    nowhere = phone.post("stock/transfer/", {"items": [{"pk": app_server.store["items"][0], "quantity": "1"}],
                                             "location": -1, "notes": ""},
                         cite="transfer form with no location chosen (locationId -1)")
    assert json_of(nowhere, phone, 400)["location"]


def test_a_viewer_sees_the_forms_without_actions_and_cannot_submit(app_server):
    viewer = app_server.phone("viewer")
    form = json_of(viewer.options("stock/count/", cite="lib/api_form.dart launchApiForm"), viewer)
    assert "actions" not in form  # the app says "permission denied" instead of drawing it
    refused = viewer.post("stock/count/", {"items": [{"pk": app_server.store["items"][0], "quantity": "1"}]},
                          cite="any stock action by a viewer")
    assert refused.status_code == 403


def test_scan_received_parts_into_a_location(app_server, phone):
    """location_display.dart "Scan received parts" (API >= 139, shown whatever the roles) ->
    barcode/purchase_order.dart POReceiveBarcodeHandler: POST barcode/po-receive/ with location."""
    ids = app_server.store
    body = {"barcode": DIGIKEY, "purchase_order": None, "location": ids["bin_1"], "line_item": None,
            "auto_allocate": False}
    received = json_of(phone.post("barcode/po-receive/", body, cite="POReceiveBarcodeHandler.processBarcode"), phone)
    assert "success" in received  # onBarcodeMatched: "Received item"
    item = _item(app_server, received["stockitem"]["pk"])
    assert (item.location_id, item.quantity, item.supplier_part_id) == (ids["bin_1"], Decimal(10), ids["lm358"])
    shown = json_of(phone.get(f"stock/{item.id}/", STOCK_FILTERS, cite="stock_detail.dart reload"), phone)
    assert shown["supplier_part_detail"]["SKU"] == "296-LM358BIDDFRCT-ND"  # the "Supplier part" tile
    assert shown["supplier_part_detail"]["supplier_detail"]["image"] == "" and shown["supplier_detail"]["name"] == "DigiKey"
    again = json_of(phone.post("barcode/po-receive/", body, cite="POReceiveBarcodeHandler (same bag)"), phone, 400)
    assert "Already received" in again["error"]  # onBarcodeUnknown shows data["error"]
    viewer = app_server.phone("viewer")
    refused = viewer.post("barcode/po-receive/", body, cite="POReceiveBarcodeHandler (viewer)")
    assert refused.status_code == 403 and refused.json()["error"]


def test_the_history_screen_after_a_count(app_server, phone):
    """stock_detail.dart "History" tile (tracking_items > 0) -> stock_item_history.dart requestPage."""
    pk = app_server.store["items"][0]
    json_of(phone.post("stock/count/", {"items": [{"pk": pk, "quantity": "90"}], "notes": "shelf check"},
                       cite="stock_detail.dart _countStockDialog"), phone, 201)
    item = json_of(phone.get(f"stock/{pk}/", STOCK_FILTERS, cite="stock_detail.dart reload"), phone)
    assert item["tracking_items"] == 1 and item["stocktake_date"]  # "Last stocktake" tile
    json_of(phone.get("stock/track/status/", cite="stock_item_history.dart requestPage (StockHistoryStatus.load)"),
            phone)
    history = json_of(phone.get("stock/track/", {"ordering": "-date", "user_detail": "true", "item": str(pk),
                                                 "limit": "25", "offset": "0"},
                                cite="lib/widget/stock/stock_item_history.dart requestPage"), phone)
    entry = history["results"][0]
    assert (entry["label"], entry["notes"], entry["deltas"]["quantity"]) == ("Stock counted", "shelf check", 90.0)
    assert entry["date"] and entry["user_detail"]["username"] == "operator"
