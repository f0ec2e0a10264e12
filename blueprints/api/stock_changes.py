"""Stock changes over the API: transfer stock items (as InvenTree takes it) and receive a package by its label."""
from __future__ import annotations

from flask import g, jsonify

from barcodes.links import barcode_hash
from barcodes.normalize import normalize
from blueprints.api import bp, serializers
from blueprints.api.payload import MAX_PK, ApiError, barcode_field, invalid, json_body, pk_value
from services.barcode_engine import scan_options
from services.stock import StockError, move
from services.stock import receive as receiving

# null (or no quantity) means the whole item, as InvenTree's transfer takes it.
QUANTITY = {"oneOf": [{"type": "number", "minimum": 0}, {"type": "string", "maxLength": 40}, {"type": "null"}]}


def _error(message: str, status: int = 400) -> ApiError:
    return ApiError(status, {"error": message})


def _quantity(value, name: str):
    """A quantity as given (number or numeric text); the service checks its range."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise invalid(name, "A valid number is required.")
    return value


@bp.post("/stock/transfer/")
def stock_transfer():
    """Move stock items (whole, or a quantity split off each) to one location in one transaction."""
    data = json_body()
    location = pk_value(data.get("location"), "location") if data.get("location") is not None else None
    if location is None:
        raise invalid("location", "This field is required.")
    lines = data.get("items")
    if not isinstance(lines, list) or not lines:
        raise invalid("items", "A non-empty list of items is required.")
    if len(lines) > 1000:
        raise invalid("items", "At most 1000 items per transfer.")
    for line in lines:
        if isinstance(line, dict) and "quantity" in line:
            _quantity(line["quantity"], "quantity")
    try:
        moved = move.transfer(location, lines, user_id=g.api_user.id)
    except StockError as error:
        raise _error(str(error)) from None
    items = [{"pk": item.id, "quantity": float(item.quantity)} for item in moved]
    return jsonify(success=f"Moved {len(items)} stock item{'s' if len(items) != 1 else ''}",
                   location=location, items=items), 201


@bp.post("/barcode/receive/")
def barcode_receive():
    """Receive a supplier package: a new stock item from the label, the label linked to it."""
    data = json_body()
    raw = barcode_field(data)
    location = pk_value(data["location"], "location") if data.get("location") is not None else None
    quantity = _quantity(data.get("quantity"), "quantity")
    try:
        item = receiving.receive(raw, user_id=g.api_user.id, location_id=location, quantity=quantity, source="api")
    except StockError as error:
        raise _error(str(error)) from None
    detail = serializers.reference("stockitem", item.id)
    detail["instance"] = serializers.serialize("stockitem", item)
    return jsonify(stockitem=detail, success=f"Received {item}", barcode_data=raw,
                   barcode_hash=barcode_hash(normalize(raw, scan_options().gs_substitute))), 201


_ERRORS = {str(code): {"description": text, "content": {"application/json": {"schema": {"type": "object"}}}}
           for code, text in ((400, "Refused, with a message"), (401, "Missing or bad credentials"),
                              (403, "Role too low or CSRF failure"), (413, "Body over 1 MB"))}
_CREATED = {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}
_PK = {"type": "integer", "minimum": 1, "maximum": MAX_PK}

# Picked up by blueprints/api/schema.py for the OpenAPI document.
OPENAPI_PATHS = {
    "/api/stock/transfer/": {"post": {
        "summary": "Move stock items to a location (whole, or a quantity of each)",
        "security": [{"tokenAuth": []}, {"cookieAuth": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["location", "items"],
            "properties": {"location": _PK, "notes": {"type": "string"}, "items": {
                "type": "array", "minItems": 1, "items": {"type": "object", "required": ["pk"],
                                                         "properties": {"pk": _PK, "quantity": QUANTITY}}}}}}}},
        "responses": {"201": _CREATED, **_ERRORS}}},
    "/api/barcode/receive/": {"post": {
        "summary": "Receive a supplier package by its label: a new stock item with the label linked",
        "security": [{"tokenAuth": []}, {"cookieAuth": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["barcode"],
            "properties": {"barcode": {"type": "string", "minLength": 1, "maxLength": 4096},
                           "location": _PK, "quantity": QUANTITY}}}}},
        "responses": {"201": _CREATED, **_ERRORS}}},
}
