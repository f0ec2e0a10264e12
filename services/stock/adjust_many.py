"""Counting, adding and removing several stock items in one request, as InvenTree's stock/count/, add/
and remove/ do (the API; one item from its page is services/stock/adjust.py).

One request is one transaction: every line is checked before anything is written, then each item's
new quantity is written with a stock-tracking entry, all under one scan-log row (the scan history
keeps what changed stock, as it does for the web's count sessions).
"""
from __future__ import annotations

from decimal import Decimal

from extensions import db
from models import StockItem
from services.stock.common import (
    GONE_STATUSES,
    MAX_QUANTITY,
    InputError,
    StockError,
    fmt_quantity,
    log_change,
    started,
    track,
)
from services.stock.lines import Line, check_unchanged, locked_items, quantity_of

# kind -> (tracking action, verb for messages)
KINDS = {"count": ("counted", "counted"), "add": ("added", "added to"), "remove": ("removed", "removed from")}


def _new_quantity(kind: str, item: StockItem, amount: Decimal, index: int) -> Decimal:
    """What the item holds after the change; InputError when it cannot hold that."""
    verb = KINDS[kind][1]
    if item.status in GONE_STATUSES:
        raise StockError(f"{item} is marked {item.status}; stock cannot be {verb} it.")
    if item.serial and (kind != "count" or amount > 1):
        raise StockError(f"{item} is serialised: its quantity is 1 or 0.")
    if kind == "count":
        return amount
    if amount == 0:
        raise InputError("The quantity must be more than zero.", field="quantity", index=index)
    if kind == "remove":
        if amount > item.quantity:
            raise InputError(f"Only {fmt_quantity(item.quantity)} of {item.part.name} exist in that item; "
                             f"{fmt_quantity(amount)} cannot be removed.", field="quantity", index=index)
        return item.quantity - amount
    if item.quantity + amount > MAX_QUANTITY:
        raise InputError("The quantity would be too large.", field="quantity", index=index)
    return item.quantity + amount


def adjust(kind: str, lines: list[Line], *, notes: str = "", user_id: int | None, source: str = "api") -> list[StockItem]:
    """Count (set), add to or remove from several stock items in one transaction; commits, or raises
    StockError (InputError for one line's field) with nothing written."""
    since = started()
    if kind not in KINDS:
        raise StockError(f"Unknown stock adjustment {kind!r}.")
    try:
        items = locked_items(lines)
        changes = []
        for index, line in enumerate(lines):
            item = items[line.pk]
            check_unchanged(item, line, index)
            changes.append((item, _new_quantity(kind, item, quantity_of(line, index, allow_zero=True), index)))
    except StockError:
        db.session.rollback()
        raise
    first = changes[0][0]
    log_id = log_change("stockitem", first.id, str(first), user_id=user_id, action=kind, source=source, since=since,
                        response={"items": [item.id for item, _ in changes]})
    action = KINDS[kind][0]
    for item, after in changes:
        track(item, action, user_id=user_id, scan_log_id=log_id, from_location_id=item.location_id,
              to_location_id=item.location_id, quantity_before=item.quantity, quantity_after=after, notes=notes)
        item.quantity = after
        if kind == "count" and after > 0 and item.status == "missing":
            item.status = "ok"  # found again, as a count session marks it
    db.session.commit()
    return [item for item, _ in changes]
