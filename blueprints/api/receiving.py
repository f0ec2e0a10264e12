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
from services import settings
from services.barcode_engine import scan_options
from services.printers import jobs as print_jobs
from services.printers import registry
from services.stock import StockError
from services.stock import receive as receiving


def _quantity(value, name: str):
    """A quantity as given (number or numeric text); the service checks its range."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise invalid(name, "A valid number is required.")
    return value


def _print_wish(data: dict) -> tuple[bool, int | None]:
    """Whether to print the new item's label (print_label, else the PRINT_ON_RECEIVE setting), and on which printer."""
    wanted = data.get("print_label")
    if wanted is not None and not isinstance(wanted, bool):
        raise invalid("print_label", "Must be a valid boolean.")
    printer = pk_value(data["printer"], "printer") if data.get("printer") is not None else None
    if printer is not None and registry.get(printer) is None:
        raise invalid("printer", f'Invalid pk "{printer}" - object does not exist.')
    return (settings.get("PRINT_ON_RECEIVE") if wanted is None else wanted), printer


def _print_label(item_id: int, printer: int | None) -> dict:
    """The print job of the received item's label, or {"state": "refused", "message": why}."""
    try:
        return print_jobs.describe(print_jobs.print_received(item_id, g.api_user.id, printer))
    except print_jobs.JobRefused as refused:
        return {"state": "refused", "message": str(refused), "complete": True}


def _received(raw: str, location: int | None, quantity, data: dict) -> dict:
    """Receive the package; the answer InvenTree's barcode endpoints give, or a 400 {"error": ...};
    with its label's print job when one was asked for (or the setting asks)."""
    wanted, printer = _print_wish(data)
    try:
        item = receiving.receive(raw, user_id=g.api_user.id, location_id=location, quantity=quantity, source="api")
    except StockError as error:
        raise ApiError(400, {"error": str(error), "barcode_data": raw}) from None
    detail = serializers.reference("stockitem", item.id)
    detail["instance"] = serializers.serialize("stockitem", item)
    answer = {"stockitem": detail, "success": f"Received {item}", "barcode_data": raw,
              "barcode_hash": barcode_hash(normalize(raw, scan_options().gs_substitute))}
    if wanted:
        answer["print_job"] = _print_label(item.id, printer)
    return answer


@bp.post("/barcode/receive/")
def barcode_receive():
    """Receive a supplier package: a new stock item from the label, the label linked to it."""
    data = json_body()
    raw = barcode_field(data)
    location = pk_value(data["location"], "location") if data.get("location") is not None else None
    return jsonify(_received(raw, location, _quantity(data.get("quantity"), "quantity"), data)), 201


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
    return jsonify(_received(raw, location, _quantity(data.get("quantity"), "quantity"), data))
