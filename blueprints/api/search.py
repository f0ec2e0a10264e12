"""POST /api/search/: InvenTree's search of every kind of object at once, which the InvenTree app's
search screen sends as it types ({"search": "lm358", "limit": 1, "part": {}, "stockitem": {}, ...}).

Each kind asked for answers {"count", "results"}, filtered by the options given for it (the same
filters as its list); kinds Shelfscan does not have answer a count of 0.
"""
from __future__ import annotations

from typing import Any

from flask import jsonify

from blueprints.api import bp, details
from blueprints.api.payload import DEFAULT_LIMIT, MAX_FILTER_TEXT, MAX_LIMIT, ApiError, filter_value, json_body
from blueprints.shared.access import requires
from services import api_objects
from services.api_objects import ListQuery, locations

# search key -> (list kind, filter values every result must have)
SEARCHED = {"part": ("part", {}), "stockitem": ("stockitem", {}), "stocklocation": ("stocklocation", {}),
            "supplierpart": ("supplierpart", {}), "company": ("company", {}),
            "supplier": ("company", {"is_supplier": True}), "manufacturer": ("company", {"is_manufacturer": True})}
LACKED = ("partcategory", "purchaseorder", "salesorder", "returnorder", "build", "manufacturerpart", "customer",
          "salesordershipment", "purchaseorderlineitem", "salesorderlineitem", "parttesttemplate")


def _number(data: dict, name: str, default: int, minimum: int, maximum: int) -> int:
    value = data.get(name, default)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise ApiError(400, {name: [f"A whole number from {minimum} to {maximum} is required."]})
    return value


def _options(kind: str, options: dict) -> tuple[dict, tuple, set]:
    """Filter values, unknown option names and expansion flags from one kind's options."""
    filters = locations.FILTERS if kind == "stocklocation" else api_objects.SPECS[kind].filters
    flags = locations.FLAGS if kind == "stocklocation" else api_objects.SPECS[kind].flags
    values, unknown, shown = {}, [], set(details.DEFAULT_FLAGS.get(kind, ()))
    for name, value in options.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if name in flags:
            (shown.add if text in ("true", "1") else shown.discard)(name)
        elif name in filters:
            values[name] = filter_value(name, filters[name].kind, text)
        else:
            unknown.append(name)
    return values, tuple(unknown), shown


def _search(kind: str, options: dict, term: str, limit: int, offset: int) -> dict[str, Any]:
    values, unknown, flags = _options(kind, options)
    query = ListQuery(values=values, unknown=unknown, search=term, limit=limit, offset=offset)
    if kind == "stocklocation":
        page, tree, counts = locations.page(query)
        return {"count": page.count, "results": details.serialize(kind, page.rows, flags, tree=tree, counts=counts)}
    page = api_objects.page(kind, query)
    return {"count": page.count, "results": details.serialize(kind, page.rows, flags)}


@bp.post("/search/")
@requires("viewer")
def search():
    """Search every kind named in the body (viewers may: it changes nothing)."""
    data = json_body()
    term = data.get("search", "")
    if not isinstance(term, str) or len(term) > MAX_FILTER_TEXT or "\x00" in term:
        raise ApiError(400, {"search": [f"A text of at most {MAX_FILTER_TEXT} characters is required."]})
    limit = _number(data, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _number(data, "offset", 0, 0, 2**62)
    answer: dict[str, Any] = {}
    for key, options in data.items():
        if key not in SEARCHED and key not in LACKED:
            continue  # not a kind of object: InvenTree ignores it too
        if not isinstance(options, dict):
            raise ApiError(400, {key: ["Expected a dictionary of options (filters), e.g. {}."]})
        if key in SEARCHED:
            kind, fixed = SEARCHED[key]
            answer[key] = _search(kind, {**options, **fixed}, term, limit, offset)
        elif key in LACKED:
            answer[key] = {"count": 0, "results": []}
    return jsonify(answer)
