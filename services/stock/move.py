"""Moving stock: one item by scanning its new location, and the transfer the API offers."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from barcodes.result import ScanResult
from extensions import db
from models import StockItem, StockLocation
from services.stock.common import (
    GONE_STATUSES,
    InputError,
    StockError,
    describe_match,
    fmt_quantity,
    lock_items,
    log_change,
    log_scan,
    pick,
    resolve,
    started,
    track,
)
from services.stock.lines import Line, check_unchanged, locked_items, quantity_of


@dataclass
class Moved:
    """What a move did: the item now at `to`, and where it came from."""

    item: StockItem
    from_path: str
    to: StockLocation
    message: str


def refuse(result: ScanResult | None, *, user_id: int | None, action: str, message: str, since: float) -> StockError:
    """Undo anything pending, keep the refused scan in the log, and return the error to raise."""
    db.session.rollback()
    if result is not None:
        log_scan(result, user_id=user_id, action=action, response={"error": message}, since=since, done=False)
        db.session.commit()
    return StockError(message)


def scanned_location(result: ScanResult) -> StockLocation:
    """The location a scan names, or StockError saying what it was instead."""
    if result.status == "error":
        raise StockError(result.message or "That scan could not be read.")
    match = pick(result, "stocklocation")
    if match is None:
        if result.matches:
            raise StockError(f"That is {describe_match(result.matches[0])}, not a location. Scan a location's label.")
        raise StockError("No match for that barcode. Scan a location's label.")
    location = db.session.get(StockLocation, match.object_id)
    if location is None:
        raise StockError("That location no longer exists.")
    return location


def move_item(item: StockItem, location: StockLocation, *, user_id: int | None, scan_log_id: int | None = None,
              quantity: Decimal | None = None, notes: str = "") -> StockItem:
    """Move an item, or `quantity` of it split off as a new item, to a location (the caller commits)."""
    if item.status in GONE_STATUSES:
        raise StockError(f"{item} is marked {item.status}; it cannot be moved.")
    if quantity is not None and quantity > item.quantity:
        raise InputError(f"Only {fmt_quantity(item.quantity)} of {item.part.name} exist in that item; "
                         f"{fmt_quantity(quantity)} cannot be moved.", field="quantity")
    if quantity is not None and quantity <= 0:
        raise InputError("The quantity to move must be more than zero.", field="quantity")
    moving = item
    if quantity is not None and quantity < item.quantity:
        moving = _split(item, quantity, user_id=user_id, scan_log_id=scan_log_id)
    source = moving.location_id
    moving.location = location
    track(moving, "moved", user_id=user_id, scan_log_id=scan_log_id, from_location_id=source,
          to_location_id=location.id, quantity_before=moving.quantity, quantity_after=moving.quantity, notes=notes)
    return moving


def _split(item: StockItem, quantity: Decimal, *, user_id: int | None, scan_log_id: int | None) -> StockItem:
    """Take `quantity` off an item into a new item at the same place."""
    if item.serial:
        raise StockError(f"{item} is serialised; it moves whole.")
    before = item.quantity
    item.quantity = before - quantity
    part = StockItem(part=item.part, location=item.location, supplier_part=item.supplier_part, quantity=quantity,
                     batch=item.batch, expiry_date=item.expiry_date, status=item.status)
    db.session.add(part)
    db.session.flush()
    track(item, "split", user_id=user_id, scan_log_id=scan_log_id, quantity_before=before,
          quantity_after=item.quantity, notes=f"{fmt_quantity(quantity)} split off into stock item {part.id}")
    return part


def scan_into_location(item_id: int, raw: str, *, user_id: int | None) -> Moved:
    """Move a stock item to the location whose barcode was scanned; commits, or raises StockError."""
    since = started()
    result = resolve(raw)
    try:
        location = scanned_location(result)
        item = lock_items([item_id]).get(item_id)
        if item is None:
            raise StockError("That stock item no longer exists.")
    except StockError as error:
        raise refuse(result, user_id=user_id, action="move", message=str(error), since=since) from None
    from_path = item.location.path if item.location else "no location"
    if item.location_id == location.id:
        message = f"{item} is already in {location.path}."
        log_scan(result, user_id=user_id, action="move", response={"warning": message}, since=since, done=False)
        db.session.commit()
        return Moved(item, from_path, location, message)
    try:
        scan_id = log_scan(result, user_id=user_id, action="move", since=since,
                           response={"stockitem": item.id, "from": from_path, "to": location.path})
        move_item(item, location, user_id=user_id, scan_log_id=scan_id)
    except StockError as error:
        raise refuse(result, user_id=user_id, action="move", message=str(error), since=since) from None
    db.session.commit()
    return Moved(item, from_path, location, f"Moved {item} from {from_path} to {location.path}.")


def transfer(location_id: int, lines: list[Line], *, notes: str = "", user_id: int | None,
             source: str = "api") -> list[StockItem]:
    """Move several items (whole, or a quantity split off each) to one location in one transaction,
    under one scan-log row; commits, or raises StockError (InputError for one field) with nothing written."""
    since = started()
    try:
        location = db.session.get(StockLocation, location_id)
        if location is None:
            raise InputError(f'Invalid pk "{location_id}" - object does not exist.', field="location")
        items = locked_items(lines)
        wanted = []
        for index, line in enumerate(lines):
            check_unchanged(items[line.pk], line, index)
            quantity = None if line.quantity is None else quantity_of(line, index, allow_zero=False)
            wanted.append((items[line.pk], quantity, index))
        log_id = log_change("stocklocation", location.id, location.path, user_id=user_id, action="move",
                            source=source, since=since, response={"moved": [line.pk for line in lines]})
        moved = []
        for item, quantity, index in wanted:
            try:
                moved.append(move_item(item, location, user_id=user_id, scan_log_id=log_id, quantity=quantity,
                                       notes=notes or "Transfer"))
            except InputError as error:  # name the line it belongs to
                raise InputError(str(error), field=error.field, index=index) from None
    except StockError:
        db.session.rollback()
        raise
    db.session.commit()
    return moved
