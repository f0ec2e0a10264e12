"""Reading API requests: the JSON body, typed fields and pagination, with DRF-style 400 messages."""
from __future__ import annotations

import json
from typing import Any, Mapping
from urllib.parse import urlencode

from flask import current_app, request

from database.ids import MAX_ID, parse_id, parse_whole
from services.api_objects import NULL, Filter, ListQuery

MAX_BODY_BYTES = 1024 * 1024
MAX_BARCODE_LENGTH = 4096
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_PK = MAX_ID  # no row has a larger id on either database (database/ids.py)
# The URL converter for primary keys (blueprints/shared/args.py): anything but an id is a 404.
PK_CONVERTER = "id"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ApiError(Exception):
    """An API answer other than success: a status and the JSON body to send."""

    def __init__(self, status: int, body: dict[str, Any]):
        super().__init__(body)
        self.status = status
        self.body = body


def invalid(field: str, message: str) -> ApiError:
    """A 400 naming the field at fault, as Django REST framework words it."""
    return ApiError(400, {field: [message]})


def json_body() -> dict[str, Any]:
    """The request body as a dict: JSON (any content type), or form fields; {} when empty."""
    raw = request.get_data(cache=True)  # raises 413 past request.max_content_length
    if request.mimetype in FORM_TYPES:
        return request.form.to_dict()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise ApiError(400, {"detail": "The body is not valid JSON."}) from None
    if not isinstance(data, dict):
        raise ApiError(400, {"detail": "The body must be a JSON object."})
    return data


def barcode_field(data: dict[str, Any], name: str = "barcode", *, required: bool = True) -> str | None:
    """The barcode text from the body: a non-blank string of at most 4096 characters."""
    value = data.get(name)
    if value is None:
        if name in data:
            raise invalid(name, "This field may not be null.")
        if required:
            raise invalid(name, "This field is required.")
        return None
    if not isinstance(value, str):
        raise invalid(name, "Not a valid string.")
    if not value.strip():
        raise invalid(name, "This field may not be blank.")
    if len(value) > MAX_BARCODE_LENGTH:
        raise invalid(name, f"Ensure this field has no more than {MAX_BARCODE_LENGTH} characters.")
    return value


def pk_value(value: Any, name: str) -> int:
    """A primary key: a positive whole number (ASCII digits in a string are accepted, as DRF does)."""
    if isinstance(value, str):
        number = parse_whole(value, 0, 10**19)
        if number is None:
            raise invalid(name, "Incorrect type. Expected pk value.")
        value = number
    elif isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        value = int(value)  # 3.0 is an integer in JSON Schema
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(name, "Incorrect type. Expected pk value.")
    if parse_id(str(value)) is None:
        raise invalid(name, f'Invalid pk "{value}" - object does not exist.')
    return value


def query_int(name: str, default: int | None, *, minimum: int = 0, maximum: int | None = None) -> int | None:
    """An integer query parameter within bounds, or `default` when absent."""
    text = request.args.get(name)
    if text is None:
        return default
    number = parse_whole(text, 0, 10**19)
    if number is None:
        raise invalid(name, "A valid integer is required.")
    if number < minimum or (maximum is not None and number > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise invalid(name, f"Ensure this value is {bound}.")
    return number


def query_text(name: str, max_length: int) -> str:
    """A text query parameter ("" when absent); 400 when longer than `max_length`."""
    text = request.args.get(name, "")
    if len(text) > max_length:
        raise invalid(name, f"Ensure this field has no more than {max_length} characters.")
    if "\x00" in text:  # PostgreSQL text cannot hold NUL; no stored value contains one
        raise invalid(name, "Null characters are not allowed.")
    return text


def page_bounds() -> tuple[int, int]:
    """The (limit, offset) of a list request."""
    limit = query_int("limit", DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)
    offset = query_int("offset", 0, maximum=2**62)
    return limit, offset


def page_link(query: dict[str, str]) -> str:
    """A link to this endpoint with `query`: relative, or under the configured PUBLIC_URL.

    Never built from the Host header: a client that forges it would otherwise get links to another
    site, which it (or the next client it passes them to) follows with its token.
    """
    public = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return f"{public}{request.script_root}{request.path}?{urlencode(query)}"


def paginated(count: int, results: list, limit: int, offset: int) -> dict[str, Any]:
    """A limit/offset page as InvenTree answers it: count, next, previous, results."""
    def link(start: int) -> str:
        args = request.args.to_dict()
        args.update(limit=str(limit), offset=str(start))
        return page_link(args)

    return {
        "count": count,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
        "results": results,
    }


# --- list requests --------------------------------------------------------------------------------

# How InvenTree reads a boolean parameter (InvenTree.helpers.str2bool and isNull).
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f", "off"})
NULL_WORDS = frozenset({"null", "none"})
LIST_PARAMS = frozenset({"limit", "offset", "search", "ordering", "format"})
MAX_FILTER_TEXT = 200


def filter_value(name: str, kind: str, text: str):
    """A filter's typed value: bool, id, NULL (for 'null'), int or text; 400 when it does not read."""
    word = text.lower()
    if kind == "bool":
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise invalid(name, "Must be a valid boolean.")
    if kind in ("ref", "id"):
        if kind == "ref" and word in NULL_WORDS:
            return NULL
        number = parse_id(text)
        if number is None:
            raise invalid(name, "A valid integer is required.")
        return number
    if kind == "int":
        number = parse_whole(text, 0, MAX_ID)
        if number is None:
            raise invalid(name, "A valid integer is required.")
        return number
    if len(text) > MAX_FILTER_TEXT:
        raise invalid(name, f"Ensure this field has no more than {MAX_FILTER_TEXT} characters.")
    if "\x00" in text:
        raise invalid(name, "Null characters are not allowed.")
    return text


def shown_flags(flags: frozenset[str], defaults: frozenset[str] = frozenset()) -> set[str]:
    """The expansions (?part_detail=true...) a request asks for, starting from the defaults."""
    shown = set(defaults)
    for name in flags.intersection(request.args):
        (shown.add if request.args[name].lower() in TRUE_WORDS else shown.discard)(name)
    return shown


def list_query(filters: Mapping[str, Filter], flags: frozenset[str] = frozenset(),
               default_flags: frozenset[str] = frozenset()) -> tuple[ListQuery, set[str]]:
    """Read a list request: known filters typed, expansion flags, paging; other parameters are
    kept as `unknown` (the service answers an empty page for them)."""
    values, unknown = {}, []
    for name in request.args:
        text = request.args.get(name, "")
        if name in LIST_PARAMS or name in flags:
            continue
        if name in filters:
            kind, word = filters[name].kind, text.lower()
            if (kind == "text" and not word.strip()) or (kind == "bool" and (not word or word in NULL_WORDS)):
                continue  # an empty (or, for yes/no, null) filter filters nothing, as in django-filter
            values[name] = filter_value(name, filters[name].kind, text)
        else:
            unknown.append(name)
    limit, offset = page_bounds()
    ordering = tuple(query_text("ordering", MAX_FILTER_TEXT).split(","))
    return ListQuery(values=values, unknown=tuple(unknown), search=query_text("search", MAX_FILTER_TEXT),
                     ordering=ordering, limit=limit, offset=offset), shown_flags(flags, default_flags)
