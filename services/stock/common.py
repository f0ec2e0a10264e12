"""Shared pieces of the stock actions: errors, quantities, scans, tracking and the location tree."""
from __future__ import annotations

import time
from decimal import Decimal, InvalidOperation

from barcodes.result import Match, Scan, ScanResult
from database.connection import take_sqlite_write_lock
from extensions import db
from models import StockItem, StockLocation, StockTracking
from services import scanlog

# The most a quantity may be: what Numeric(18, 5) holds.
MAX_QUANTITY = Decimal("9999999999999")
# Scans for stock work are typed or scanned into a field on one of the stock pages; the API and the
# session camera say so themselves. Work started by a button (commit, undo) has no scan: "button".
SCAN_SOURCE = "page"
BUTTON_SOURCE = "button"
GONE_STATUSES = ("lost", "destroyed")


class StockError(ValueError):
    """Input the stock actions refuse, with a message for people."""


class ConflictError(StockError):
    """Someone else changed what this work was based on; nothing was written."""


class InputError(StockError):
    """Refused input that belongs to one field (of one line, when `index` is set), so an API client can
    show the message beside that field."""

    def __init__(self, message: str, *, field: str, index: int | None = None):
        super().__init__(message)
        self.field = field
        self.index = index


def parse_quantity(value, *, allow_zero: bool = True) -> Decimal:
    """A non-negative decimal quantity from text or a number, or StockError."""
    if isinstance(value, bool):
        raise StockError("The quantity must be a number.")
    try:
        quantity = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise StockError(f"The quantity {str(value)[:40]!r} is not a number.") from None
    if not quantity.is_finite():
        raise StockError("The quantity must be a finite number.")
    if quantity < 0:
        raise StockError("The quantity cannot be below zero.")
    if quantity == 0 and not allow_zero:
        raise StockError("The quantity must be more than zero.")
    if quantity > MAX_QUANTITY:
        raise StockError("The quantity is too large.")
    if quantity != quantity.quantize(Decimal("0.00001")):
        raise StockError("The quantity has more than five decimals.")
    return quantity


def fmt_quantity(quantity: Decimal | None) -> str:
    """A quantity for people: 10 rather than 10.00000."""
    if quantity is None:
        return ""
    text = f"{Decimal(quantity).normalize():f}"
    return text


def resolve(raw: str, source: str = SCAN_SOURCE) -> ScanResult:
    """Resolve scanned text through the barcode engine."""
    from services.barcode_engine import resolve_scan

    return resolve_scan(raw, source=source)


def started() -> float:
    """A start time for the duration a scan-log row records (pass it to log_scan or log_action)."""
    return time.perf_counter()


def elapsed_ms(since: float) -> float:
    """Milliseconds since `since` (from started())."""
    return (time.perf_counter() - since) * 1000


def pick(result: ScanResult, object_type: str) -> Match | None:
    """The match of one object type in a result, or None."""
    return next((m for m in result.matches if m.object_type == object_type), None)


def describe_match(match: Match) -> str:
    """'a part (LM358)' and the like, for wrong-type messages."""
    names = {"part": "a part", "stockitem": "a stock item", "stocklocation": "a location",
             "supplierpart": "a supplier part"}
    return f"{names.get(match.object_type, match.object_type)} ({match.title})"


def log_scan(result: ScanResult, *, user_id: int | None, action: str, response, since: float, done: bool = True,
             source: str = SCAN_SOURCE) -> int | None:
    """Write the scan-log row of a scan for stock work (the caller commits); returns its id.

    The row's result says what came of it: no_match or error when the scan named nothing, else done,
    or refused (`done=False`, the reason in `response`); its duration runs from `since`.
    """
    outcome = result.status if result.status in ("no_match", "error") else ("done" if done else "refused")
    return scanlog.record(source=source, user_id=user_id, raw=result.scan.raw, result=result, action=action,
                          response=response, duration_ms=elapsed_ms(since), outcome=outcome)


def log_change(object_type: str, object_id: int, title: str, *, user_id: int | None, action: str, response,
               since: float, source: str = BUTTON_SOURCE) -> int | None:
    """Write the scan-log row of work started without a scan (a button, a quantity form, an API call):
    no barcode, the object it concerned, result done (the caller commits)."""
    match = Match(object_type, object_id, title, "")
    result = ScanResult(scan=Scan(raw=b"", text=""), status="match", matches=[match])
    return log_scan(result, user_id=user_id, action=action, response=response, since=since, source=source)


def log_action(target: StockLocation | StockItem, *, user_id: int | None, action: str, response,
               since: float) -> int | None:
    """Write the scan-log row of work started by a button on a location's or stock item's page."""
    object_type = "stockitem" if isinstance(target, StockItem) else "stocklocation"
    return log_change(object_type, target.id, str(target), user_id=user_id, action=action, response=response,
                      since=since)


def track(item: StockItem, action: str, *, user_id: int | None, scan_log_id: int | None = None,
          from_location_id: int | None = None, to_location_id: int | None = None,
          quantity_before: Decimal | None = None, quantity_after: Decimal | None = None,
          notes: str = "") -> StockTracking:
    """Add a stock-tracking entry for an item (the caller commits)."""
    entry = StockTracking(stock_item=item, action=action, user_id=user_id, scan_log_id=scan_log_id,
                          from_location_id=from_location_id, to_location_id=to_location_id,
                          quantity_before=quantity_before, quantity_after=quantity_after, notes=notes)
    db.session.add(entry)
    return entry


def is_within(location: StockLocation | None, ancestor: StockLocation) -> bool:
    """Whether `location` is `ancestor` itself or somewhere below it."""
    seen = set()
    node = location
    while node is not None and node.id not in seen:
        if node.id == ancestor.id:
            return True
        seen.add(node.id)
        node = node.parent
    return False


def check_location_move(sub: StockLocation, new_parent: StockLocation) -> None:
    """Refuse moving a location into itself or one of its own children (no cycles)."""
    if sub.id == new_parent.id:
        raise StockError(f"{sub.path} cannot be put inside itself.")
    if is_within(new_parent, sub):
        raise StockError(f"{new_parent.path} is inside {sub.path}; a location cannot go into its own child.")


def location_name(location_id: int | None) -> str:
    """A location's path by id, or 'no location'."""
    location = db.session.get(StockLocation, location_id) if location_id else None
    return location.path if location else "no location"


def lock_items(ids: list[int]) -> dict[int, StockItem]:
    """Load stock items by id, locked for update (PostgreSQL: FOR UPDATE; SQLite: the write lock)."""
    if not ids:
        return {}
    _write_lock_for_sqlite()
    query = (db.select(StockItem).where(StockItem.id.in_(ids)).with_for_update()
             .execution_options(populate_existing=True))
    return {item.id: item for item in db.session.execute(query).scalars()}


def _write_lock_for_sqlite() -> None:
    """Take SQLite's write lock before this transaction reads what it will change."""
    take_sqlite_write_lock()
