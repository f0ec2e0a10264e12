"""Counting a location (stocktake): expected against counted, commit adjustments, a CSV report."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import selectinload

from extensions import db
from models import ScanSession, ScanSessionLine, StockItem
from services.stock.common import (
    GONE_STATUSES,
    ConflictError,
    StockError,
    fmt_quantity,
    lock_items,
    log_action,
    parse_quantity,
    track,
)
from services.stock.staging import Outcome, claim, line_for_item, require_open

# A short number typed into a count session is a quantity for the last scanned item, not a barcode.
QUANTITY_INPUT = re.compile(r"\d{1,6}(?:[.,]\d{1,5})?")
CATEGORIES = ("matched", "difference", "missing", "unexpected")


@dataclass
class CountRow:
    """One stock item in a count: what was expected here and what was counted."""

    item: StockItem
    expected: Decimal | None  # None: the item was not expected here
    counted: Decimal | None  # None: not scanned (yet)
    category: str
    line_id: int | None = None  # the staged line, None for an expected item not scanned yet

    @property
    def difference(self) -> Decimal | None:
        """Counted minus expected (None when either is unknown)."""
        if self.expected is None or self.counted is None:
            return None
        return self.counted - self.expected


def is_quantity_input(text: str) -> bool:
    """Whether count-session input is a typed quantity rather than a scan."""
    return bool(QUANTITY_INPUT.fullmatch(text.strip()))


def count_item(scan_session: ScanSession, item: StockItem) -> Outcome:
    """Count one more of an item (the first scan counts 1); the caller commits."""
    line = line_for_item(scan_session, item.id)
    if line is not None:
        line.counted = (line.counted or 0) + 1
        return Outcome("warning", "counted", f"{item}: scanned again, counted {fmt_quantity(line.counted)}.",
                       line=line)
    if item.status in GONE_STATUSES:
        return Outcome("error", "wrong_type", f"{item} is marked {item.status}; it cannot be counted.")
    line = ScanSessionLine(session=scan_session, stock_item=item, counted=Decimal(1), seen_location_id=item.location_id,
                           seen_quantity=item.quantity)
    db.session.add(line)
    db.session.flush()
    if item.location_id != scan_session.location_id:
        where = item.location.path if item.location else "no location"
        return Outcome("warning", "unexpected", f"{item} was not expected here (it is booked in {where}); "
                       "committing moves it here.", line=line)
    return Outcome("accepted", "accepted", f"{item}: counted 1 of {fmt_quantity(item.quantity)} expected. "
                   "Type a quantity and Enter to correct.", line=line)


def set_count(scan_session: ScanSession, line_id: int | None, text: str) -> Outcome:
    """Set the counted quantity of a line (or of the last scanned one when line_id is None); commits."""
    require_open(scan_session)
    quantity = parse_quantity(text)
    lines = scan_session.lines
    if line_id is not None:
        line = next((line for line in lines if line.id == line_id), None)
    else:
        line = max(lines, key=lambda line: line.id) if lines else None
    if line is None or line.stock_item is None:
        raise StockError("Scan an item first, then type its quantity.")
    line.counted = quantity
    db.session.commit()
    return Outcome("accepted", "quantity", f"{line.stock_item.part.name}: counted {fmt_quantity(quantity)}.",
                   line=line)


def _category(expected: Decimal | None, counted: Decimal | None) -> str:
    if expected is None:
        return "unexpected"
    if not counted and expected:
        return "missing"
    return "matched" if counted == expected else "difference"


def report(scan_session: ScanSession) -> list[CountRow]:
    """Expected against counted: the staged lines, plus (while open) the expected items not yet scanned."""
    here = scan_session.location_id
    rows = [CountRow(line.stock_item, line.seen_quantity if line.seen_location_id == here else None,
                      line.counted, "", line.id) for line in scan_session.lines if line.stock_item is not None]
    if scan_session.status == "open":
        seen = {row.item.id for row in rows}
        rows += [CountRow(item, item.quantity, None, "") for item in expected_items(here) if item.id not in seen]
    for row in rows:
        row.category = _category(row.expected, row.counted)
    order = {name: rank for rank, name in enumerate(("missing", "difference", "unexpected", "matched"))}
    return sorted(rows, key=lambda row: (order[row.category], row.item.part.name, row.item.id))


def summary(rows: list[CountRow]) -> dict[str, int]:
    """How many report rows fall in each category."""
    return {name: sum(1 for row in rows if row.category == name) for name in CATEGORIES}


def expected_items(location_id: int) -> list[StockItem]:
    """The stock items booked directly in a location (not lost or destroyed)."""
    query = (db.select(StockItem).where(StockItem.location_id == location_id, StockItem.status.not_in(GONE_STATUSES))
             .options(selectinload(StockItem.part)).order_by(StockItem.id))
    return list(db.session.execute(query).scalars())


def commit_count(scan_session: ScanSession, *, user_id: int | None) -> int:
    """Write the count in one transaction: adjustments, moves here, missing items; returns items touched."""
    claim(scan_session, "open", "committed")
    try:
        touched = _apply_count(scan_session, user_id=user_id)
    except StockError:
        db.session.rollback()
        raise
    db.session.commit()
    return touched


def _apply_count(scan_session: ScanSession, *, user_id: int | None) -> int:
    """Check the counted items against the present and write the adjustments (the caller commits)."""
    here = scan_session.location_id
    lines = [line for line in scan_session.lines if line.stock_item_id]
    items = lock_items([line.stock_item_id for line in lines] + [item.id for item in expected_items(here)])
    conflicts = [f"{items[line.stock_item_id]} changed after you counted it." if line.stock_item_id in items
                 else "A counted stock item was deleted meanwhile." for line in lines
                 if line.stock_item_id not in items or items[line.stock_item_id].location_id != line.seen_location_id
                 or items[line.stock_item_id].quantity != line.seen_quantity]
    if conflicts:
        raise ConflictError("Nothing was written: " + " ".join(conflicts) + " Remove and count it again.")
    log_id = log_action(scan_session.location, user_id=user_id, action="count", response={"session": scan_session.id})
    note = f"Count of {scan_session.location.path} (session {scan_session.id})"
    counted_ids = {line.stock_item_id for line in lines}
    for line in lines:
        item = items[line.stock_item_id]
        if not line.counted:  # counted none: the item is missing, its booked quantity stays for the record
            track(item, "counted", user_id=user_id, scan_log_id=log_id, from_location_id=item.location_id,
                  to_location_id=here, quantity_before=item.quantity, quantity_after=item.quantity,
                  notes=f"{note}: counted 0, marked missing")
            item.location_id, item.status = here, "missing"
            continue
        track(item, "counted", user_id=user_id, scan_log_id=log_id, from_location_id=item.location_id,
              to_location_id=here, quantity_before=item.quantity, quantity_after=line.counted, notes=note)
        item.location_id, item.quantity = here, line.counted
        if item.status == "missing":
            item.status = "ok"
    for item in items.values():
        if item.id in counted_ids or item.location_id != here:
            continue
        scan_session.lines.append(ScanSessionLine(stock_item=item, counted=Decimal(0), seen_location_id=here,
                                             seen_quantity=item.quantity))
        track(item, "counted", user_id=user_id, scan_log_id=log_id, from_location_id=here, to_location_id=here,
              quantity_before=item.quantity, quantity_after=item.quantity, notes=f"{note}: not found, marked missing")
        item.status = "missing"
    return len(scan_session.lines)


def csv_report(scan_session: ScanSession) -> str:
    """The count report as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["stock_item", "part", "ipn", "batch", "serial", "expected", "counted", "difference", "result"])
    for row in report(scan_session):
        item = row.item
        writer.writerow([item.id, _cell(item.part.name), _cell(item.part.ipn or ""), _cell(item.batch),
                         _cell(item.serial or ""), fmt_quantity(row.expected), fmt_quantity(row.counted),
                         fmt_quantity(row.difference), row.category])
    return out.getvalue()


def _cell(text: str) -> str:
    """Keep spreadsheets from running user text as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
