"""Receiving a supplier package by its label, over the API: Shelfscan's own endpoint, and InvenTree's
barcode/po-receive/ that the InvenTree app's "Scan received parts" button posts to.

Shelfscan has no purchase orders: a package is received straight into stock, as on the web's receive
page (services/stock/receive.py) — a new stock item with the label linked to it, tracked and logged.
"""
from __future__ import annotations

from flask import g, jsonify

from barcodes.links import barcode_hash
from barcodes.normalize import normalize
from blueprints.api import bp, serializers
from blueprints.api.payload import ApiError, barcode_field, invalid, json_body, pk_value
from services.barcode_engine import scan_options
from services.stock import StockError
from services.stock import receive as receiving


def _quantity(value, name: str):
    """A quantity as given (number or numeric text); the service checks its range."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise invalid(name, "A valid number is required.")
    return value


def _received(raw: str, location: int | None, quantity) -> dict:
    """Receive the package; the answer InvenTree's barcode endpoints give, or a 400 {"error": ...}."""
    try:
        item = receiving.receive(raw, user_id=g.api_user.id, location_id=location, quantity=quantity, source="api")
    except StockError as error:
        raise ApiError(400, {"error": str(error), "barcode_data": raw}) from None
    detail = serializers.reference("stockitem", item.id)
    detail["instance"] = serializers.serialize("stockitem", item)
    return {"stockitem": detail, "success": f"Received {item}", "barcode_data": raw,
            "barcode_hash": barcode_hash(normalize(raw, scan_options().gs_substitute))}


@bp.post("/barcode/receive/")
def barcode_receive():
    """Receive a supplier package: a new stock item from the label, the label linked to it."""
    data = json_body()
    raw = barcode_field(data)
    location = pk_value(data["location"], "location") if data.get("location") is not None else None
    return jsonify(_received(raw, location, _quantity(data.get("quantity"), "quantity"))), 201


@bp.post("/barcode/po-receive/")
def barcode_po_receive():
    """InvenTree's receive-against-an-order scan, as the app sends it from a location's page
    (purchase_order and line_item null): the package goes into stock at `location`."""
    data = json_body()
    raw = barcode_field(data)
    for name in ("purchase_order", "line_item"):
        if data.get(name) is not None:
            raise ApiError(400, {"error": "Shelfscan has no purchase orders; scan the package from a "
                                          "location to receive it into stock.", name: ["No such object."]})
    location = pk_value(data["location"], "location") if data.get("location") is not None else None
    return jsonify(_received(raw, location, _quantity(data.get("quantity"), "quantity")))
