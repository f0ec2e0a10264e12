"""The lines of a multi-item stock change as API clients send them (InvenTree's `items` list): each
names a stock item and a quantity, and may repeat the status and batch the client showed.

Refusals are InputErrors that name the line and the field, so a client can put the message beside
the field it belongs to (Django REST framework's `items[1].quantity`).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from models import StockItem
from services.api_objects.codes import display_code
from services.stock.common import InputError, StockError, lock_items, parse_quantity

MAX_LINES = 1000


@dataclass(frozen=True)
class Line:
    """One stock item of a change, as the client sent it."""

    pk: int
    quantity: object = None  # a number or numeric text; None: the whole item (transfers only)
    status: int | None = None  # the status number the client showed; changing it here is refused
    batch: str | None = None  # likewise


def locked_items(lines: list[Line]) -> dict[int, StockItem]:
    """The lines' stock items, locked for update; InputError for an unknown or repeated item."""
    if not lines:
        raise StockError("A list of stock items must be provided.")
    if len(lines) > MAX_LINES:
        raise StockError(f"At most {MAX_LINES} stock items per request.")
    seen: set[int] = set()
    for index, line in enumerate(lines):
        if line.pk in seen:
            raise InputError("This stock item is listed twice.", field="pk", index=index)
        seen.add(line.pk)
    items = lock_items(list(seen))
    for index, line in enumerate(lines):
        if line.pk not in items:
            raise InputError(f'Invalid pk "{line.pk}" - object does not exist.', field="pk", index=index)
    return items


def quantity_of(line: Line, index: int, *, allow_zero: bool) -> Decimal:
    """The line's quantity as a decimal; InputError naming the line's quantity when it is no good."""
    if isinstance(line.quantity, (dict, list)):
        raise InputError("A valid number is required.", field="quantity", index=index)
    try:
        return parse_quantity(line.quantity, allow_zero=allow_zero)
    except StockError as error:
        raise InputError(str(error), field="quantity", index=index) from None


def check_unchanged(item: StockItem, line: Line, index: int) -> None:
    """Refuse a status or batch that differs from the item's: these actions do not change them (the
    InvenTree app sends back what it showed, which passes)."""
    if line.status is not None and line.status != display_code(item.status):
        raise InputError("Shelfscan does not change the status here; edit the stock item.", field="status",
                         index=index)
    if line.batch not in (None, "") and line.batch != item.batch:
        raise InputError("Shelfscan does not change the batch here; edit the stock item.", field="batch",
                         index=index)
