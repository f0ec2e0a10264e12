"""Counting a location (stocktake): scan what you find, type what differs, see expected against counted.

Scanning an item says it is here; it does not count its pieces. Until a quantity is typed for it the
line is *found* and its booked quantity stands, so no scan alone can write stock off. Committing goes
through a review of every change it will write (services/stock/count_commit.py).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import selectinload

from extensions import db
from models import ScanSession, ScanSessionLine, StockItem
from services.stock.common import GONE_STATUSES, StockError, fmt_quantity, parse_quantity
from services.stock.staging import Outcome, line_for_item, require_open

# A short number typed into a count session is a quantity for the last scanned item, not a barcode.
QUANTITY_INPUT = re.compile(r"\d{1,6}(?:[.,]\d{1,5})?")
# found: scanned, no quantity typed (the booked quantity stands); matched/difference: a typed quantity
# against the booked one; missing: not found (or counted 0); unexpected: booked somewhere else.
CATEGORIES = ("matched", "found", "difference", "missing", "unexpected")


@dataclass
class CountRow:
    """One stock item in a count: what was expected here and what was counted."""

    item: StockItem
    expected: Decimal | None  # None: the item was not expected here
    counted: Decimal | None  # None: no quantity typed (found, or not scanned yet)
    category: str
    line_id: int | None = None  # the staged line, None for an expected item not scanned yet
    booked: Decimal | None = None  # the item's quantity as booked when it was scanned (wherever it was)

    @property
    def difference(self) -> Decimal | None:
        """Counted minus expected (None when either is unknown)."""
        if self.expected is None or self.counted is None:
            return None
        return self.counted - self.expected


def is_quantity_input(text: str) -> bool:
    """Whether count-session input is a typed quantity rather than a scan."""
    return bool(QUANTITY_INPUT.fullmatch(text.strip()))


def _where(item: StockItem) -> str:
    return item.location.path if item.location else "no location"


def count_item(scan_session: ScanSession, item: StockItem) -> Outcome:
    """Note an item as found here (its booked quantity stands until one is typed); the caller commits."""
    line = line_for_item(scan_session, item.id)
    if line is not None:
        state = (f"found, {fmt_quantity(line.seen_quantity)} as booked" if line.counted is None
                 else f"counted {fmt_quantity(line.counted)}")
        return Outcome("warning", "duplicate", f"{item} is already in the count ({state}). "
                       "Type a quantity and Enter to change it.", line=line)
    if item.status in GONE_STATUSES:
        return Outcome("error", "wrong_type", f"{item} is marked {item.status}; it cannot be counted.")
    line = ScanSessionLine(session=scan_session, stock_item=item, counted=None, seen_location_id=item.location_id,
                           seen_quantity=item.quantity)
    db.session.add(line)
    db.session.flush()
    booked = fmt_quantity(item.quantity)
    if item.location_id != scan_session.location_id:
        return Outcome("warning", "unexpected", f"{item} was not expected here (booked in {_where(item)} with "
                       f"{booked}). Committing moves it here with {booked}, unless you type the quantity you see.",
                       line=line)
    return Outcome("accepted", "accepted", f"{item}: found, {booked} expected. Type the quantity you see and "
                   "Enter if it differs.", line=line)


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
    return Outcome("accepted", "quantity", f"{line.stock_item.part.name}: counted {fmt_quantity(quantity)} "
                   f"({fmt_quantity(line.seen_quantity)} booked).", line=line)


def _category(expected: Decimal | None, counted: Decimal | None, scanned: bool) -> str:
    if expected is None:
        return "unexpected"
    if counted is None:
        return "found" if scanned else "missing"
    if not counted and expected:
        return "missing"
    return "matched" if counted == expected else "difference"


def report(scan_session: ScanSession) -> list[CountRow]:
    """Expected against counted: the staged lines, plus (while open) the expected items not yet scanned."""
    here = scan_session.location_id
    rows = [CountRow(line.stock_item, line.seen_quantity if line.seen_location_id == here else None,
                     line.counted, "", line.id, line.seen_quantity)
            for line in scan_session.lines if line.stock_item is not None]
    if scan_session.status == "open":
        seen = {row.item.id for row in rows}
        rows += [CountRow(item, item.quantity, None, "", booked=item.quantity)
                 for item in expected_items(here) if item.id not in seen]
    for row in rows:
        row.category = _category(row.expected, row.counted, row.line_id is not None)
    order = {name: rank for rank, name in enumerate(("missing", "difference", "unexpected", "found", "matched"))}
    return sorted(rows, key=lambda row: (order[row.category], row.item.part.name, row.item.id))


def summary(rows: list[CountRow]) -> dict[str, int]:
    """How many report rows fall in each category."""
    return {name: sum(1 for row in rows if row.category == name) for name in CATEGORIES}


def expected_items(location_id: int) -> list[StockItem]:
    """The stock items booked directly in a location (not lost or destroyed)."""
    query = (db.select(StockItem).where(StockItem.location_id == location_id, StockItem.status.not_in(GONE_STATUSES))
             .options(selectinload(StockItem.part)).order_by(StockItem.id))
    return list(db.session.execute(query).scalars())


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
