"""Changing one stock item from its page: add to it, take from it, count it, move some or all of it.

Each function is one unit of work: it locks the item, checks the input, writes the change with its
stock-tracking entry and a scan-history row (no barcode: source "button"; a scanned location's
label: source "page"), and commits; on refusal it raises StockError and writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from extensions import db
from models import StockItem, StockLocation
from services.stock.common import (
    GONE_STATUSES,
    MAX_QUANTITY,
    StockError,
    fmt_quantity,
    lock_items,
    log_action,
    log_scan,
    parse_quantity,
    resolve,
    started,
    track,
)
from services.stock.move import move_item, scanned_location


@dataclass
class Changed:
    """What a change did, for the message the page shows."""

    item: StockItem  # the item changed (for a partial move: the part split off and moved)
    message: str


def _item(item_id: int) -> StockItem:
    """The stock item, locked for this transaction; StockError when it is gone or lost."""
    item = lock_items([item_id]).get(item_id)
    if item is None:
        raise StockError("That stock item no longer exists.")
    if item.status in GONE_STATUSES:
        raise StockError(f"{item} is marked {item.status}; change its status before changing its stock.")
    return item


def _finish(item: StockItem, action: str, tracked: str, before: Decimal, *, user_id: int | None, since: float,
            notes: str) -> Changed:
    """Track a quantity change, log it and commit."""
    summary = f"{fmt_quantity(before)} → {fmt_quantity(item.quantity)}"
    log_id = log_action(item, user_id=user_id, action=action, since=since,
                        response={"stockitem": item.id, "quantity_before": fmt_quantity(before),
                                  "quantity_after": fmt_quantity(item.quantity), "notes": notes})
    track(item, tracked, user_id=user_id, scan_log_id=log_id, from_location_id=item.location_id,
          to_location_id=item.location_id, quantity_before=before, quantity_after=item.quantity,
          notes=notes or f"{tracked.capitalize()} on its page")
    db.session.commit()
    return Changed(item, f"{tracked.capitalize()}: {item.part.name} {summary}.")


def _run(work, *args, **kwargs) -> Changed:
    """Run one change; on refusal roll back whatever it began and raise the StockError."""
    try:
        return work(*args, **kwargs)
    except StockError:
        db.session.rollback()
        raise


def add(item_id: int, quantity, *, user_id: int | None, notes: str = "") -> Changed:
    """Add `quantity` to the item (found more, a delivery topped it up); commits."""
    return _run(_change, item_id, quantity, +1, user_id=user_id, notes=notes)


def remove(item_id: int, quantity, *, user_id: int | None, notes: str = "") -> Changed:
    """Take `quantity` from the item (used, scrapped, sold); commits."""
    return _run(_change, item_id, quantity, -1, user_id=user_id, notes=notes)


def _change(item_id: int, quantity, sign: int, *, user_id: int | None, notes: str) -> Changed:
    since = started()
    amount = parse_quantity(quantity, allow_zero=False)
    item = _item(item_id)
    before = item.quantity
    after = before + sign * amount
    if after < 0:
        raise StockError(f"Only {fmt_quantity(before)} are in stock; {fmt_quantity(amount)} cannot be taken.")
    if after > MAX_QUANTITY:
        raise StockError("The quantity would be too large.")
    if item.serial and after > 1:
        raise StockError(f"{item} is serialised: it holds 0 or 1.")
    item.quantity = after
    return _finish(item, "add" if sign > 0 else "remove", "added" if sign > 0 else "removed", before,
                   user_id=user_id, since=since, notes=notes.strip()[:250])


def count(item_id: int, quantity, *, user_id: int | None, notes: str = "") -> Changed:
    """Set the item's quantity to what was counted (the same number confirms it); commits."""
    return _run(_count, item_id, quantity, user_id=user_id, notes=notes)


def _count(item_id: int, quantity, *, user_id: int | None, notes: str) -> Changed:
    since = started()
    counted = parse_quantity(quantity)
    item = _item(item_id)
    if item.serial and counted > 1:
        raise StockError(f"{item} is serialised: it holds 0 or 1.")
    before = item.quantity
    item.quantity = counted
    if item.status == "missing" and counted:
        item.status = "ok"
    return _finish(item, "count", "counted", before, user_id=user_id, since=since, notes=notes.strip()[:250])


def move(item_id: int, quantity, *, user_id: int | None, location_id: int | None = None, location_code: str = "",
         notes: str = "") -> Changed:
    """Move the item, or `quantity` of it split off as a new item, to a location chosen or scanned; commits."""
    return _run(_move, item_id, quantity, user_id=user_id, location_id=location_id, location_code=location_code,
                notes=notes)


def _move(item_id: int, quantity, *, user_id: int | None, location_id: int | None, location_code: str,
          notes: str) -> Changed:
    since = started()
    amount = parse_quantity(quantity, allow_zero=False) if str(quantity or "").strip() else None
    result = resolve(location_code) if location_code.strip() else None
    location = scanned_location(result) if result else db.session.get(StockLocation, location_id or 0)
    if location is None:
        raise StockError("Choose the location to move it to, or scan its label.")
    item = _item(item_id)
    if item.location_id == location.id:
        raise StockError(f"{item} is already in {location.path}.")
    whole = amount is None or amount == item.quantity
    response = {"stockitem": item.id, "to": location.path, "quantity": fmt_quantity(amount or item.quantity)}
    log_id = (log_scan(result, user_id=user_id, action="move", response=response, since=since) if result
              else log_action(item, user_id=user_id, action="move", response=response, since=since))
    moved = move_item(item, location, user_id=user_id, scan_log_id=log_id, quantity=None if whole else amount,
                      notes=notes.strip()[:250] or "Moved on its page")
    db.session.commit()
    if whole:
        return Changed(moved, f"Moved {moved} to {location.path}.")
    return Changed(moved, f"Moved {fmt_quantity(amount)} to {location.path} as stock item {moved.id}; "
                          f"{fmt_quantity(item.quantity)} stay here.")
