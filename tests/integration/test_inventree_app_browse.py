"""Contract: scanning with the InvenTree app lands on Shelfscan's objects, and their screens load.

Each test replays, in order, the requests one screen of the app sends (its `request()` and the list
widgets' `requestPage`), with the app's default filters, and asserts the fields the screen reads.
"""
from __future__ import annotations

import json

import pytest

from barcodes.internal import internal_code
from tests.integration.test_stock_data import DIGIKEY
from tests.inventree_app import app_server, json_of  # noqa: F401 (a fixture)

# The app's default filters (lib/inventree/*.dart defaultFilters)
PART_FILTERS = {"category_detail": "true"}
STOCK_FILTERS = {"part_detail": "true", "location_detail": "true", "supplier_detail": "true",
                 "supplier_part_detail": "true", "cascade": "false"}
SUPPLIER_PART_FILTERS = {"manufacturer_detail": "true", "supplier_detail": "true", "part_detail": "true"}
# lib/widget/stock/stock_list.dart filterOptions, as constructFilters sends their defaults
STOCK_LIST_OPTIONS = {"ordering": "+part__name", "in_stock": "true", "active": "true", "cascade": "true"}
PAGE = {"limit": "25", "offset": "0"}


@pytest.fixture
def phone(app_server):
    return app_server.phone("viewer")


def _scan(phone, barcode: str, kind: str) -> int:
    """lib/barcode/handler.dart processBarcode -> barcode.dart BarcodeScanHandler.onBarcodeMatched."""
    body = json_of(phone.post("barcode/", {"barcode": barcode}, cite="lib/barcode/handler.dart processBarcode"),
                   phone)
    assert "success" in body, body
    return body[kind]["pk"]


def test_a_scanned_part_and_its_screen(app_server, phone):
    ids = app_server.store
    pk = _scan(phone, internal_code("part", ids["opamp"]), "part")
    assert pk == ids["opamp"]
    # barcode.dart handlePart -> model.dart get(); then part_detail.dart request -> reload()
    for cite in ("lib/barcode/barcode.dart handlePart", "lib/widget/part/part_detail.dart request (reload)"):
        part = json_of(phone.get(f"part/{pk}/", PART_FILTERS, cite=cite), phone)
    assert part["full_name"] == "IC-LM358 LM358" and part["IPN"] == "IC-LM358" and part["active"] is True
    assert part["in_stock"] == 5.0 and part["unallocated_stock"] == 5.0 and part["suppliers"] == 1
    assert part["category"] is None and part["category_detail"] is None and part["variant_of"] is None
    assert (part["assembly"], part["component"], part["purchaseable"], part["salable"], part["trackable"],
            part["is_template"], part["virtual"], part["testable"]) == (False, True, True, False, False,
                                                                         False, False, False)
    assert part["thumbnail"] == "" and part["barcode_hash"] == ""  # blank image, "Assign barcode"
    for url in ("/static/img/blank_image.thumbnail.png", "/static/img/blank_image.png"):
        blank = phone.get(url, cite="lib/api.dart getThumbnail / getImage (staticThumb, staticImage)")
        assert blank.status_code == 200 and blank.headers["Content-Type"] == "image/png", url  # not a red X
    location = json_of(phone.get(f"stock/location/{part['default_location']}/",
                                 cite="lib/widget/part/part_detail.dart request (default location)"), phone)
    assert location["pathstring"] == "Store / Shelf B"
    pricing = json_of(phone.get(f"/api/part/{pk}/pricing/", cite="lib/inventree/part.dart getPricing"), phone)
    assert pricing["overall_min"] is None and pricing["overall_max"] is None  # "No pricing available"
    # The counts the screen asks for: BOM, used-in and variants -- none of which exist here
    for url, params, cite in (
            ("part/", {**PART_FILTERS, "in_bom_for": str(pk), "limit": "1"}, "part_detail.dart request (bomCount)"),
            ("bom/", {"sub_part_detail": "true", "part_detail": "true", "show_pricing": "false", "uses": str(pk),
                      "limit": "1"}, "part_detail.dart request (usedInCount)"),
            ("part/", {**PART_FILTERS, "variant_of": str(pk), "limit": "1"}, "part_detail.dart request (variantCount)")):
        assert json_of(phone.get(url, params, cite=f"lib/widget/part/{cite}"), phone)["count"] == 0
    # The stock tab: PaginatedStockItemList({"part": pk})
    stock = json_of(phone.get("stock/", {**STOCK_FILTERS, "part": str(pk), **STOCK_LIST_OPTIONS, **PAGE},
                              cite="lib/widget/stock/stock_list.dart requestPage"), phone)
    assert stock["count"] == 1 and stock["results"][0]["part_detail"]["full_name"] == "IC-LM358 LM358"
    assert stock["results"][0]["location_detail"]["pathstring"] == "Store / Shelf B"
    # "Suppliers" tile: SupplierPartList({"part": pk})
    suppliers = json_of(phone.get("company/part/", {**SUPPLIER_PART_FILTERS, "part": str(pk), **PAGE},
                                  cite="lib/widget/company/supplier_part_list.dart requestPage"), phone)
    assert suppliers["results"][0]["SKU"] == "296-LM358BIDDFRCT-ND"
    assert suppliers["results"][0]["part_detail"]["name"] == "LM358"


def test_a_scanned_stock_item_and_its_screen(app_server, phone):
    ids = app_server.store
    item_id = ids["items"][0]
    # An InvenTree-style label: {"stockitem": pk}
    pk = _scan(phone, json.dumps({"stockitem": item_id}), "stockitem")
    assert pk == item_id
    json_of(phone.get("stock/status/", cite="lib/widget/stock/stock_detail.dart request (StockStatus.load)"), phone)
    item = json_of(phone.get(f"stock/{pk}/", STOCK_FILTERS, cite="lib/widget/stock/stock_detail.dart reload"), phone)
    assert item["quantity"] == 100.0 and item["batch"] == "B0" and item["serial"] == ""
    assert item["status"] == 10 and item["status_custom_key"] is None and item["in_stock"] is True
    assert item["part_detail"]["full_name"] == "R-10K Resistor 10k" and item["part_detail"]["thumbnail"] == ""
    assert item["location_detail"]["name"] == "Shelf A"
    assert item["location_detail"]["pathstring"] == "Store / Shelf A"
    assert item["supplier_part"] is None and item["supplier_part_detail"] is None and item["supplier_detail"] is None
    assert (item["allocated"], item["is_building"], item["sales_order"], item["customer"]) == (0, False, None, None)
    assert item["packaging"] == "" and item["purchase_price"] is None and item["expired"] is False
    assert item["updated"] and item["tracking_items"] == 0 and item["stocktake_date"] is None
    expiry = json_of(phone.get("settings/global/STOCK_ENABLE_EXPIRY/", cite="stock_detail.dart request"), phone)
    assert expiry["value"] == "True"
    json_of(phone.get(f"part/{item['part']}/", PART_FILTERS, cite="stock_detail.dart request (part)"), phone)


def test_a_scanned_location_its_sub_locations_and_stock(app_server, phone):
    ids = app_server.store
    pk = _scan(phone, internal_code("stocklocation", ids["shelf_a"]), "stocklocation")
    location = json_of(phone.get(f"stock/location/{pk}/", cite="lib/widget/stock/location_display.dart request"),
                       phone)
    assert (location["name"], location["pathstring"], location["parent"]) == ("Shelf A", "Store / Shelf A", ids["store"])
    assert location["items"] == 2  # items here and below (InvenTree's count)
    subs = json_of(phone.get("stock/location/", {"parent": str(pk), "ordering": "+pathstring", "cascade": "true",
                                                 **PAGE}, cite="location_display.dart detailTiles -> location_list.dart"),
                   phone)
    assert [row["name"] for row in subs["results"]] == ["Bin 1"]
    stock = json_of(phone.get("stock/", {**STOCK_FILTERS, "location": str(pk), **STOCK_LIST_OPTIONS, **PAGE},
                              cite="location_display.dart stockTiles -> stock_list.dart requestPage"), phone)
    assert stock["count"] == 2
    own = json_of(phone.get("stock/", {**STOCK_FILTERS, "location": str(ids["store"]), **STOCK_LIST_OPTIONS,
                                       "cascade": "false", **PAGE}, cite="stock_list.dart (cascade off)"), phone)
    assert own["count"] == 0  # the store itself holds nothing directly


def test_the_top_level_of_stock_and_parts(app_server, phone):
    """lib/widget/home.dart _showStock -> LocationDisplayWidget(null); _showParts -> CategoryDisplayWidget(null)."""
    every = json_of(phone.get("stock/location/", {"ordering": "+pathstring", "cascade": "true", **PAGE},
                              cite="location_display.dart detailTiles (top level, API >= 174)"), phone)
    assert every["count"] == 4
    top = json_of(phone.get("stock/location/", {"ordering": "+pathstring", "cascade": "false", **PAGE},
                            cite="location_list.dart (include sublocations off)"), phone)
    assert [row["name"] for row in top["results"]] == ["Store"]
    old = json_of(phone.get("stock/location/", {"parent": "null", **PAGE},
                            cite="location_display.dart detailTiles (parent=null, API < 174)"), phone)
    assert [row["name"] for row in old["results"]] == ["Store"]
    stock = json_of(phone.get("stock/", {**STOCK_FILTERS, "location": "null", **STOCK_LIST_OPTIONS, **PAGE},
                              cite="location_display.dart stockTiles (location=null)"), phone)
    assert stock["count"] == 3
    unplaced = json_of(phone.get("stock/", {**STOCK_FILTERS, "location": "null", **PAGE},
                                 cite="location_display.dart stockTiles (location=null, cascade=false)"), phone)
    assert unplaced["count"] == 0
    categories = phone.get("part/category/", {"ordering": "+pathstring", "cascade": "true", **PAGE},
                           cite="category_display.dart detailTiles -> category_list.dart requestPage")
    assert json_of(categories, phone)["count"] == 0
    parts = json_of(phone.get("part/", {**PART_FILTERS, "category": "null", "ordering": "+name", "cascade": "true",
                                        "active": "true", **PAGE}, cite="category_display.dart partsTiles"), phone)
    assert [row["name"] for row in parts["results"]] == ["LM358", "Resistor 10k"]


def test_a_supplier_label_opens_the_supplier_part_and_its_company(app_server, phone):
    ids = app_server.store
    pk = _scan(phone, DIGIKEY, "supplierpart")
    assert pk == ids["lm358"]
    part = json_of(phone.get(f"company/part/{pk}/", SUPPLIER_PART_FILTERS,
                             cite="lib/widget/company/supplier_part_detail.dart request"), phone)
    assert part["SKU"] == "296-LM358BIDDFRCT-ND" and part["part_detail"]["name"] == "LM358"
    assert part["supplier_detail"]["name"] == "DigiKey" and part["manufacturer_part"] is None
    assert part["in_stock"] == 0.0 and part["active"] is True and part["pack_quantity"] == "1"
    company = json_of(phone.get(f"company/{part['supplier']}/", cite="supplier_part_detail.dart (supplier tile)"),
                      phone)
    assert company["name"] == "DigiKey" and company["is_supplier"] is True and company["active"] is True
    orders = phone.get("order/po/", {"supplier": str(company["pk"]), "outstanding": "true", "limit": "1"},
                       cite="lib/widget/company/company_detail.dart request (outstanding purchase orders)")
    assert json_of(orders, phone)["count"] == 0
    supplied = phone.get("company/part/", {**SUPPLIER_PART_FILTERS, "supplier": str(company["pk"]), "limit": "1"},
                         cite="company_detail.dart request (supplierPartCount)")
    assert json_of(supplied, phone)["count"] == 1


def test_an_unknown_code_is_a_400_the_app_shows_as_no_match(phone):
    response = phone.post("barcode/", {"barcode": "SSP999999X"}, cite="lib/barcode/handler.dart processBarcode")
    body = json_of(response, phone, 400)
    assert "success" not in body and body["error"] and body["barcode_hash"]
