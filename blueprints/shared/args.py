"""Reading ids and numbers from requests, one way: ASCII digits, bounded to the database's id range.

A bad id in a path is a 404 (the `id` URL converter does not match it); a bad id or number in a
query string or form is a 400 with a sentence saying which parameter and what it must be. Nothing
that is not an id ever reaches a query, so none can overflow into a 500.
"""
from __future__ import annotations

from flask import abort, request
from werkzeug.routing import BaseConverter, ValidationError

from database.ids import MAX_ID, parse_id, parse_whole

MAX_PAGE = 1_000_000


class IdConverter(BaseConverter):
    """`<id:name>` in a route: ASCII digits from 1 to MAX_ID; anything else does not match (404)."""

    regex = r"[0-9]{1,19}"
    weight = 50

    def to_python(self, value: str) -> int:
        """The id, or no match."""
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: int) -> str:
        """The id as digits."""
        return str(int(value))


def _source(where: str):
    return {"args": request.args, "form": request.form, "values": request.values}[where]


def arg_id(name: str, *, where: str = "args") -> int | None:
    """An optional id parameter (?part=12): None when absent or empty, 400 when it is not an id."""
    text = _source(where).get(name, "")
    if text == "":
        return None
    number = parse_id(text)
    if number is None:
        abort(400, description=f"{name} must be an id: a whole number from 1 to {MAX_ID}.")
    return number


def arg_ids(name: str, *, where: str = "args") -> list[int]:
    """Every value of a repeated id parameter (?id=1&id=2); 400 when one is not an id."""
    values = _source(where).getlist(name)
    numbers = [parse_id(value) for value in values]
    if None in numbers:
        abort(400, description=f"Every {name} must be an id: a whole number from 1 to {MAX_ID}.")
    return numbers  # type: ignore[return-value]


def arg_number(name: str, default: int, *, minimum: int = 0, maximum: int = MAX_PAGE,
               where: str = "args") -> int:
    """A whole-number parameter such as ?page=2 within bounds; `default` when absent, else 400."""
    text = _source(where).get(name, "")
    if text == "":
        return default
    number = parse_whole(text, minimum, maximum)
    if number is None:
        abort(400, description=f"{name} must be a whole number from {minimum} to {maximum}.")
    return number


def init_app(app) -> None:
    """Make `<id:...>` available to every blueprint's routes."""
    app.url_map.converters["id"] = IdConverter
