"""Committing a count: every change it will write, reviewed by the user first, then written as reviewed.

`review()` lists what a commit would write (quantities, moves here, items marked missing or found
again) with a digest of that list. `commit_count()` takes the digest the user saw and refuses when the
changes it would write now differ (someone moved stock, a scan came in from another tab), so nothing
is written that the user did not see.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from extensions import db
from models import ScanSession, ScanSessionLine, StockItem
from services.stock.common import ConflictError, StockError, fmt_quantity, lock_items, log_action, started, track
from services.stock.count import expected_items
from services.stock.staging import claim


class ReviewOutdated(StockError):
    """The changes a commit would write are not the ones the user reviewed."""


@dataclass
class Change:
    """What committing a count does to one stock item."""

    item: StockItem
    quantity_before: Decimal
    quantity_after: Decimal
    location_before: str  # the path it is booked in now
    moves_here: bool
    status_before: str
    status_after: str
    note: str  # for its history: found, counted, not found...
    kept_uncounted: bool = False  # scanned but no quantity typed: the booked quantity stands

    @property
    def changes_quantity(self) -> bool:
        """Whether the booked quantity changes."""
        return self.quantity_after != self.quantity_before

    @property
    def changes_status(self) -> bool:
        """Whether the status changes (marked missing, or found again)."""
        return self.status_after != self.status_before

    @property
    def changed(self) -> bool:
        """Whether committing changes anything about the item."""
        return self.changes_quantity or self.moves_here or self.changes_status


@dataclass
class Review:
    """The changes a commit would write, the items it leaves as they are, and the digest of both;
    `conflicts` name items someone else changed since they were counted (the commit would refuse)."""

    changes: list[Change]
    unchanged: list[Change]
    digest: str
    conflicts: list[str]


def _line_change(line: ScanSessionLine, item: StockItem, here: int) -> Change:
    """The change for an item that was scanned: found (quantity kept), counted, or counted 0."""
    where = item.location.path if item.location else "no location"
    moves = item.location_id != here
    if line.counted is None:
        status = "ok" if item.status == "missing" else item.status
        return Change(item, item.quantity, item.quantity, where, moves, item.status, status,
                      "found; quantity not counted, kept as booked", kept_uncounted=True)
    if not line.counted:  # counted none: missing; the booked quantity stays for the record
        return Change(item, item.quantity, item.quantity, where, moves, item.status, "missing", "counted 0, marked missing")
    status = "ok" if item.status == "missing" else item.status
    return Change(item, item.quantity, line.counted, where, moves, item.status, status,
                  f"counted {fmt_quantity(line.counted)}")


def plan(scan_session: ScanSession, items: dict[int, StockItem] | None = None) -> list[Change]:
    """What committing the count writes for each item it touches: the scanned ones and the expected
    ones not found. `items` are the locked rows at commit time; the current rows otherwise."""
    here = scan_session.location_id
    lines = [line for line in scan_session.lines if line.stock_item_id]
    if items is None:
        items = {line.stock_item_id: line.stock_item for line in lines}
        items.update({item.id: item for item in expected_items(here) if item.id not in items})
    scanned = {line.stock_item_id for line in lines}
    changes = [_line_change(line, items[line.stock_item_id], here) for line in lines if line.stock_item_id in items]
    for item in sorted(items.values(), key=lambda item: item.id):
        if item.id not in scanned and item.location_id == here:
            changes.append(Change(item, item.quantity, item.quantity, item.location.path, False, item.status,
                                  "missing", "not found, marked missing"))
    return changes


def _digest(changes: list[Change]) -> str:
    """A short fingerprint of exactly what a commit would write."""
    rows = sorted([change.item.id, str(change.quantity_before), str(change.quantity_after), change.item.location_id,
                   change.moves_here, change.status_before, change.status_after] for change in changes)
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:24]


def conflicts(lines: list[ScanSessionLine], items: dict[int, StockItem]) -> list[str]:
    """Counted items someone else moved, changed or deleted since they were scanned."""
    return [f"{items[line.stock_item_id]} changed after you counted it." if line.stock_item_id in items
            else "A counted stock item was deleted meanwhile." for line in lines
            if line.stock_item_id not in items or items[line.stock_item_id].location_id != line.seen_location_id
            or items[line.stock_item_id].quantity != line.seen_quantity]


def review(scan_session: ScanSession) -> Review:
    """What committing this count would write now, for the user to confirm."""
    changes = plan(scan_session)
    lines = [line for line in scan_session.lines if line.stock_item_id]
    problems = conflicts(lines, {line.stock_item_id: line.stock_item for line in lines})
    return Review([c for c in changes if c.changed], [c for c in changes if not c.changed], _digest(changes),
                  problems)


def commit_count(scan_session: ScanSession, *, user_id: int | None, reviewed: str | None) -> int:
    """Write the count as reviewed (`reviewed`: the digest the user confirmed) in one transaction;
    returns the items touched. ReviewOutdated when what it would write is not what was reviewed."""
    since = started()
    if not reviewed:
        raise ReviewOutdated("Review the changes before committing the count.")
    claim(scan_session, "open", "committed")
    try:
        touched = _apply_count(scan_session, user_id=user_id, reviewed=reviewed, since=since)
    except StockError:
        db.session.rollback()
        raise
    db.session.commit()
    return touched


def _apply_count(scan_session: ScanSession, *, user_id: int | None, reviewed: str, since: float) -> int:
    """Check the count against the present and the review, then write it (the caller commits)."""
    here = scan_session.location_id
    lines = [line for line in scan_session.lines if line.stock_item_id]
    items = lock_items([line.stock_item_id for line in lines] + [item.id for item in expected_items(here)])
    problems = conflicts(lines, items)
    if problems:
        raise ConflictError("Nothing was written: " + " ".join(problems) + " Remove and count it again.")
    changes = plan(scan_session, items)
    if _digest(changes) != reviewed:
        raise ReviewOutdated("Nothing was written: the count changed since you reviewed it. Check the changes again.")
    log_id = log_action(scan_session.location, user_id=user_id, action="commit", since=since,
                        response=_response(scan_session, changes))
    note = f"Count of {scan_session.location.path} (session {scan_session.id})"
    scanned = {line.stock_item_id for line in lines}
    for change in changes:
        item = change.item
        track(item, "counted", user_id=user_id, scan_log_id=log_id, from_location_id=item.location_id,
              to_location_id=here, quantity_before=change.quantity_before, quantity_after=change.quantity_after,
              notes=f"{note}: {change.note}")
        item.location_id, item.quantity, item.status = here, change.quantity_after, change.status_after
        if item.id not in scanned:  # the report keeps what was not found as a line counted 0
            scan_session.lines.append(ScanSessionLine(stock_item=item, counted=Decimal(0), seen_location_id=here,
                                                      seen_quantity=change.quantity_before))
    return len(changes)


def _response(scan_session: ScanSession, changes: list[Change]) -> dict:
    """The scan-history response of a committed count: how many of each change, in words too."""
    numbers = {"adjusted": sum(c.changes_quantity for c in changes), "moved_here": sum(c.moves_here for c in changes),
               "marked_missing": sum(c.status_after == "missing" != c.status_before for c in changes),
               "unchanged": sum(not c.changed for c in changes)}
    words = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in numbers.items())
    return {"session": scan_session.id, "kind": "count", **numbers,
            "message": f"Count of {scan_session.location.path} committed (session {scan_session.id}): {words}."}
