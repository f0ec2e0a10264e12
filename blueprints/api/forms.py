"""The forms InvenTree clients build from OPTIONS, field by field, for every form the InvenTree app
opens on Shelfscan's objects: the edit screens (part, stock item, location, supplier part), the notes
editor, and the stock actions (transfer, count, add, remove).

Names and types are InvenTree's, so the app's lookups (`items.child.children.quantity`) find them;
`attr` says which model attribute an edit writes.
"""
from __future__ import annotations

from blueprints.api.fields import ApiField, related, status_choices

LOCATION = related("Location", "stocklocation", "/api/stock/location/", help_text="Destination stock location",
                   required=True)
NOTES = ApiField("string", "Notes", "Stock transaction notes", extra={"multiline": True})


def _lacked(kind: str, label: str, reported="") -> ApiField:
    return ApiField(kind, label, lacked=True, reported=reported)


PART = {
    "name": ApiField("string", "Name", "Part name", required=True, max_length=100, attr="name"),
    "description": ApiField("string", "Description", "Part description", max_length=250, attr="description"),
    "IPN": ApiField("string", "IPN", "Internal part number; unique when set", max_length=100, attr="ipn"),
    "units": ApiField("string", "Units", "Units of measure, e.g. pcs, m, g", max_length=20, attr="units"),
    "gtin": ApiField("string", "GTIN", "8, 12, 13 or 14 digits (EAN/UPC)", max_length=14, attr="gtin"),
    "active": ApiField("boolean", "Active", "Is this part active?", attr="active"),
    "default_location": related("Default Location", "stocklocation", "/api/stock/location/",
                                help_text="Where this part is normally stored", attr="default_location_id"),
    "category": _lacked("related field", "Category", None),
    "revision": _lacked("string", "Revision"), "keywords": _lacked("string", "Keywords"),
    "link": _lacked("string", "Link"),
    **{name: _lacked("boolean", name.replace("_", " ").capitalize(), False)
       for name in ("assembly", "salable", "trackable", "is_template", "virtual", "testable", "locked")},
    **{name: _lacked("boolean", name.capitalize(), True) for name in ("component", "purchaseable")},
    "notes": ApiField("string", "Notes", "Shelfscan keeps no notes on parts; stock items have them",
                      read_only=True),
}

STOCK_ITEM = {
    "status": ApiField("choice", "Status", "Stock item status", required=True, attr="status", choices=status_choices),
    "batch": ApiField("string", "Batch Code", "Batch code for this stock item", max_length=100, attr="batch"),
    "expiry_date": ApiField("date", "Expiry Date", "Expiry date for the stock item", attr="expiry_date"),
    "notes": ApiField("string", "Notes", "Notes on this stock item", max_length=5000, attr="notes",
                      extra={"multiline": True}),
    "serial": ApiField("string", "Serial Number", "Serial number for this item", max_length=100, attr="serial"),
    "part": related("Part", "part", "/api/part/", read_only=True),
    "location": related("Location", "stocklocation", "/api/stock/location/", read_only=True,
                        help_text="Move stock with a transfer"),
    "quantity": ApiField("decimal", "Quantity", "Change the quantity with a count", read_only=True),
    "packaging": _lacked("string", "Packaging"), "link": _lacked("string", "Link"),
    "purchase_price": _lacked("decimal", "Purchase Price", None),
    "purchase_price_currency": _lacked("string", "Currency"),
}

LOCATION_EDIT = {
    "name": ApiField("string", "Name", "Name", required=True, max_length=100, attr="name"),
    "description": ApiField("string", "Description", "Description", max_length=250, attr="description"),
    "parent": related("Parent Location", "stocklocation", "/api/stock/location/",
                      help_text="Parent stock location", attr="parent_id"),
    "structural": _lacked("boolean", "Structural", False), "external": _lacked("boolean", "External", False),
}

SUPPLIER_PART = {
    "supplier": related("Supplier", "company", "/api/company/", required=True, attr="supplier_id",
                        extra={"filters": {"is_supplier": True}}),
    "part": related("Part", "part", "/api/part/", required=True, attr="part_id"),
    "SKU": ApiField("string", "SKU", "Supplier stock keeping unit", required=True, max_length=100, attr="sku"),
    "MPN": ApiField("string", "MPN", "Manufacturer part number", max_length=100, attr="mpn"),
    "manufacturer_name": ApiField("string", "Manufacturer", "Manufacturer name", max_length=100,
                                  attr="manufacturer_name"),
    "link": ApiField("url", "Link", "URL for external supplier part link", max_length=300, attr="link"),
    "pack_quantity": ApiField("decimal", "Pack Quantity", "Units in one pack", attr="pack_quantity"),
    "note": _lacked("string", "Note"), "packaging": _lacked("string", "Packaging"),
    "active": _lacked("boolean", "Active", True),
}

EDITS = {"part": PART, "stockitem": STOCK_ITEM, "stocklocation": LOCATION_EDIT, "supplierpart": SUPPLIER_PART}


def adjustment(with_location: bool) -> dict[str, dict]:
    """The fields of stock/transfer/ (with a location), count/, add/ and remove/ (without)."""
    children = {
        "pk": related("stock_item", "stockitem", "/api/stock/", help_text="StockItem primary key value",
                      required=True).meta(),
        "quantity": ApiField("decimal", "Quantity", required=True, extra={"min_value": 0}).meta(),
        "batch": ApiField("string", "Batch Code", "Batch code for this stock item (not changed here)",
                          max_length=100).meta(),
        # The app shows the status in its transfer form; Shelfscan keeps it, so it is hidden.
        "status": {**ApiField("choice", "Status", "Stock item status (not changed here)",
                              choices=status_choices).meta(), "hidden": True},
        "packaging": _lacked("string", "Packaging").meta(),
    }
    fields = {"items": {"type": "list", "required": True, "read_only": False, "label": "Items",
                        "child": {"type": "nested object", "required": True, "read_only": False,
                                  "children": children}},
              "notes": NOTES.meta()}
    if with_location:
        fields["location"] = LOCATION.meta()
    return fields
