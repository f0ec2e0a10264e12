"""Stock changes as InvenTree's API takes them: transfer, count, add and remove a list of items.

Bodies are InvenTree's: {"items": [{"pk": 12, "quantity": "5"}], "notes": "...", "location": 3}; the
InvenTree app sends pks and quantities as strings, which are read like numbers. Refusals are 400s in
Django REST framework's shape, which the app shows beside the field: {"location": [...]},
{"items": [{}, {"quantity": [...]}]} for the second line, or {"non_field_errors": [...]}.
"""
from __future__ import annotations

from typing import Any

from flask import g, jsonify

from blueprints.api import bp
from blueprints.api.payload import ApiError, json_body, pk_value
from database.ids import MAX_ID, parse_whole
from services.stock import StockError, adjust_many, move
from services.stock.common import InputError
from services.stock.lines import MAX_LINES, Line

MAX_NOTES = 5000


def items_error(count: int, index: int, errors: dict[str, list[str]]) -> ApiError:
    """A 400 for one line of `items`, as DRF nests it: one dict per line, empty for the good ones."""
    lines: list[dict] = [{} for _ in range(count)]
    lines[index] = errors
    return ApiError(400, {"items": lines})


def stock_error(error: StockError, count: int) -> ApiError:
    """A service's refusal in DRF's shape."""
    if isinstance(error, InputError):
        if error.index is not None:
            return items_error(count, error.index, {error.field: [str(error)]})
        return ApiError(400, {error.field: [str(error)]})
    return ApiError(400, {"non_field_errors": [str(error)]})


def _line(raw: Any, index: int, count: int) -> Line:
    """One entry of `items`, read: pk, quantity and the fields that must not change."""
    if not isinstance(raw, dict):
        raise items_error(count, index, {"non_field_errors": ["Invalid data. Expected a dictionary."]})
    try:
        pk = pk_value(raw.get("pk"), "pk") if raw.get("pk") is not None else None
    except ApiError as error:
        raise items_error(count, index, error.body) from None
    if pk is None:
        raise items_error(count, index, {"pk": ["This field is required."]})
    quantity = raw.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, (int, float, str, type(None))):
        raise items_error(count, index, {"quantity": ["A valid number is required."]})
    status = raw.get("status")
    if status is not None:
        number = status if isinstance(status, int) and not isinstance(status, bool) else parse_whole(status, 0, MAX_ID)
        if number is None:
            raise items_error(count, index, {"status": [f'"{str(status)[:40]}" is not a valid choice.']})
        status = number
    if raw.get("packaging") not in (None, ""):
        raise items_error(count, index, {"packaging": ["Shelfscan does not record packaging."]})
    batch = raw.get("batch")
    if batch is not None and not isinstance(batch, str):
        raise items_error(count, index, {"batch": ["Not a valid string."]})
    return Line(pk=pk, quantity=quantity, status=status, batch=batch)


def read_change(data: dict) -> tuple[list[Line], str]:
    """The lines and notes of a stock-change body; a DRF-shaped 400 when they do not read."""
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        raise ApiError(400, {"items": ["This field is required." if raw_items is None
                                       else 'Expected a list of items but got type "{}".'.format(type(raw_items).__name__)]})
    if not raw_items:
        raise ApiError(400, {"non_field_errors": ["A list of stock items must be provided."]})
    if len(raw_items) > MAX_LINES:
        raise ApiError(400, {"items": [f"At most {MAX_LINES} stock items per request."]})
    notes = data.get("notes") or ""
    if not isinstance(notes, str):
        raise ApiError(400, {"notes": ["Not a valid string."]})
    if len(notes) > MAX_NOTES or "\x00" in notes:
        raise ApiError(400, {"notes": [f"At most {MAX_NOTES} characters, and no null characters."]})
    return [_line(raw, index, len(raw_items)) for index, raw in enumerate(raw_items)], notes.strip()


def _done(verb: str, items: list) -> dict:
    """The success body: what was done, and each item's pk and quantity now."""
    count = len(items)
    return {"success": f"{verb} {count} stock item{'s' if count != 1 else ''}",
            "items": [{"pk": item.id, "quantity": float(item.quantity)} for item in items]}


@bp.post("/stock/transfer/")
def stock_transfer():
    """Move stock items (whole, or a quantity split off each) to one location in one transaction."""
    data = json_body()
    if data.get("location") is None:
        raise ApiError(400, {"location": ["This field is required."]})
    location = pk_value(data["location"], "location")
    lines, notes = read_change(data)
    try:
        moved = move.transfer(location, lines, notes=notes, user_id=g.api_user.id)
    except StockError as error:
        raise stock_error(error, len(lines)) from None
    return jsonify(location=location, **_done("Moved", moved)), 201


def _adjust_view(kind: str, verb: str):
    def view():
        lines, notes = read_change(json_body())
        try:
            changed = adjust_many.adjust(kind, lines, notes=notes, user_id=g.api_user.id)
        except StockError as error:
            raise stock_error(error, len(lines)) from None
        return jsonify(_done(verb, changed)), 201

    view.__name__ = view.__qualname__ = f"stock_{kind}"
    view.__doc__ = f"{verb} stock items (InvenTree's stock/{kind}/), one transaction, tracked and logged."
    return view


for _kind, _verb in (("count", "Counted"), ("add", "Added to"), ("remove", "Removed from")):
    bp.add_url_rule(f"/stock/{_kind}/", view_func=_adjust_view(_kind, _verb), methods=["POST"])
