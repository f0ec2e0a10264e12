"""Scan sessions on a location: stage scans one by one, then commit them in one transaction.

A move session ("Scan items in") stages stock items (and, after confirmation, sub-locations) to move
into its location. Each staged line remembers where the item was and how much there was, so a commit
notices when someone else changed it meanwhile and refuses with a message instead of overwriting.
"""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from barcodes.result import ScanResult
from extensions import db
from models import Part, ScanSession, ScanSessionLine, StockItem, StockLocation
from services.stock import count
from services.stock.common import (
    ConflictError,
    StockError,
    check_location_move,
    describe_match,
    lock_items,
    log_action,
    log_scan,
    pick,
    resolve,
    track,
)
from services.stock.staging import Outcome, claim, line_for_item, require_open

KINDS = ("move", "count")


def start(location_id: int, kind: str, *, user_id: int | None) -> ScanSession:
    """This user's open session of `kind` on the location, or a new one; commits."""
    if kind not in KINDS:
        raise StockError(f"Unknown session kind {kind!r}.")
    location = db.session.get(StockLocation, location_id)
    if location is None:
        raise StockError("That location no longer exists.")
    query = db.select(ScanSession).filter_by(location_id=location.id, kind=kind, user_id=user_id, status="open")
    scan_session = db.session.execute(query.order_by(ScanSession.id.desc())).scalars().first()
    if scan_session is None:
        scan_session = ScanSession(location=location, kind=kind, user_id=user_id)
        db.session.add(scan_session)
        db.session.commit()
    return scan_session


def preload(scan_session: ScanSession) -> None:
    """Load the session's lines with their items, parts and locations in a few queries (for display)."""
    lines = selectinload(ScanSession.lines)
    item = lines.selectinload(ScanSessionLine.stock_item)
    query = db.select(ScanSession).where(ScanSession.id == scan_session.id).options(
        item.selectinload(StockItem.part), item.selectinload(StockItem.location),
        lines.selectinload(ScanSessionLine.location))
    db.session.execute(query.execution_options(populate_existing=True)).scalar_one()


def stage_scan(scan_session: ScanSession, raw: str, *, user_id: int | None, last_line: int | None = None) -> Outcome:
    """Resolve a scan and stage it (or, counting, take a typed quantity); logs the scan and commits."""
    require_open(scan_session)
    if not raw.strip():
        raise StockError("Nothing was scanned.")
    if scan_session.kind == "count":
        if count.is_quantity_input(raw):
            return count.set_count(scan_session, last_line, raw)
    result = resolve(raw)
    outcome = classify(scan_session, result)
    log_scan(result, user_id=user_id, action=scan_session.kind,
             response={"session": scan_session.id, "outcome": outcome.kind, "message": outcome.message})
    db.session.commit()
    return outcome


def stage_image(scan_session: ScanSession, image: bytes, *, user_id: int | None, last_line: int | None = None,
                recent: str = "") -> tuple[str, Outcome | None]:
    """Decode a camera frame and stage its first barcode; (text, None) when nothing new is in view
    (a frame not read within the camera's budget included: the camera sends the next one)."""
    from barcodes.decode import DecodeTimeout, ImageError
    from barcodes.decode_pool import DecodeBusy
    from services.barcode_engine import decode_image

    require_open(scan_session)
    try:
        found = decode_image(image, source="camera")
    except ImageError as error:
        raise StockError(str(error)) from None
    except (DecodeTimeout, DecodeBusy):
        return "", None
    if not found:
        return "", None
    text = found[0].text
    if text == recent:  # the same label still in view: staged already
        return text, None
    return text, stage_scan(scan_session, text, user_id=user_id, last_line=last_line)


def classify(scan_session: ScanSession, result: ScanResult) -> Outcome:
    """Turn a resolved scan into a staged line or a message (the caller commits)."""
    if result.status == "error":
        return Outcome("error", "no_match", result.message or "That scan could not be read.")
    item_match = pick(result, "stockitem")
    if item_match:
        item = db.session.get(StockItem, item_match.object_id)
        if item is None:
            return Outcome("error", "no_match", "That stock item no longer exists.")
        return stage_item(scan_session, item)
    location_match = pick(result, "stocklocation")
    if location_match and scan_session.kind == "move":
        return _offer_location(scan_session, db.session.get(StockLocation, location_match.object_id))
    part_match = pick(result, "part")
    if part_match:
        return _offer_for_part(scan_session, db.session.get(Part, part_match.object_id))
    if result.matches:
        return Outcome("error", "wrong_type", f"That is {describe_match(result.matches[0])}, not a stock item.")
    return Outcome("error", "no_match", "No match for that barcode; nothing was staged.")


def stage_item(scan_session: ScanSession, item: StockItem) -> Outcome:
    """Stage a stock item: accepted, or a duplicate / already-here warning (the caller commits)."""
    if scan_session.kind == "count":
        return count.count_item(scan_session, item)
    line = line_for_item(scan_session, item.id)
    if line is not None:
        if line.seen_location_id != item.location_id:
            # Someone moved it after it was staged: take the new place as the starting point.
            line.seen_location_id, line.seen_quantity = item.location_id, item.quantity
            return Outcome("warning", "duplicate", f"{item} is already in the list; it has moved meanwhile "
                           f"and now counts from {_where(item)}.", line=line)
        return Outcome("warning", "duplicate", f"{item} is already in the list.", line=line)
    if item.location_id == scan_session.location_id:
        return Outcome("warning", "already_here", f"{item} is already in {scan_session.location.path}.")
    if item.status in ("lost", "destroyed"):
        return Outcome("error", "wrong_type", f"{item} is marked {item.status}; it cannot be moved.")
    line = ScanSessionLine(session=scan_session, stock_item=item, seen_location_id=item.location_id,
                           seen_quantity=item.quantity)
    db.session.add(line)
    db.session.flush()
    return Outcome("accepted", "accepted", f"{item} from {_where(item)}", line=line)


def _where(item: StockItem) -> str:
    return item.location.path if item.location else "no location"


def _offer_for_part(scan_session: ScanSession, part: Part | None) -> Outcome:
    """A part was scanned: offer its only stock item, or say why not."""
    if part is None:
        return Outcome("error", "no_match", "That part no longer exists.")
    items = [i for i in part.stock_items if i.status not in ("lost", "destroyed")]
    if len(items) == 1:
        item = items[0]
        if scan_session.kind == "move" and item.location_id == scan_session.location_id:
            return Outcome("warning", "already_here", f"That is the part {part.name}; its only stock item is "
                           f"already in {scan_session.location.path}.")
        return Outcome("warning", "offer", f"That is the part {part.name}, not a stock item. Its only stock item "
                       f"is {item} in {_where(item)}.", offer=item)
    if not items:
        return Outcome("error", "wrong_type", f"That is the part {part.name}, not a stock item, and it has no stock.")
    return Outcome("error", "wrong_type", f"That is the part {part.name}, not a stock item; it has {len(items)} "
                   "stock items, so scan the label of the one you hold.")


def _offer_location(scan_session: ScanSession, location: StockLocation | None) -> Outcome:
    """A location was scanned in a move session: ask before moving it under this one."""
    if location is None:
        return Outcome("error", "no_match", "That location no longer exists.")
    target = scan_session.location
    if location.id == target.id:
        return Outcome("warning", "already_here", f"That is {target.path} itself, the location you are filling.")
    if location.parent_id == target.id:
        return Outcome("warning", "already_here", f"{location.name} is already inside {target.path}.")
    if any(line.location_id == location.id for line in scan_session.lines):
        return Outcome("warning", "duplicate", f"{location.path} is already in the list.")
    try:
        check_location_move(location, target)
    except StockError as error:
        return Outcome("error", "cycle", str(error))
    return Outcome("warning", "confirm_location", f"That is the location {location.path}. Move it, with everything "
                   f"in it, into {target.path}?", confirm=location)


def stage_location(scan_session: ScanSession, location_id: int, *, user_id: int | None) -> Outcome:
    """Stage a confirmed sub-location to move under the session's location; commits."""
    require_open(scan_session)
    location = db.session.get(StockLocation, location_id)
    outcome = _offer_location(scan_session, location)
    if outcome.kind != "confirm_location":
        return outcome
    line = ScanSessionLine(session=scan_session, location=location, seen_location_id=location.parent_id)
    db.session.add(line)
    db.session.commit()
    return Outcome("accepted", "accepted", f"Location {location.path}", line=line)


def stage_offered(scan_session: ScanSession, item_id: int, *, user_id: int | None) -> Outcome:
    """Stage an item offered for a scanned part; commits."""
    require_open(scan_session)
    item = db.session.get(StockItem, item_id)
    if item is None:
        raise StockError("That stock item no longer exists.")
    outcome = stage_item(scan_session, item)
    db.session.commit()
    return outcome


def remove_line(scan_session: ScanSession, line_id: int) -> None:
    """Take a line off an open session; commits."""
    require_open(scan_session)
    line = next((line for line in scan_session.lines if line.id == line_id), None)
    if line is None:
        raise StockError("That line is not in this session.")
    scan_session.lines.remove(line)
    db.session.commit()


def cancel(scan_session: ScanSession) -> None:
    """Close an open session without changing any stock; commits."""
    require_open(scan_session)
    scan_session.status = "cancelled"
    db.session.commit()


def commit(scan_session: ScanSession, *, user_id: int | None) -> int:
    """Move every staged line into the session's location in one transaction; returns how many."""
    if scan_session.kind == "count":
        return count.commit_count(scan_session, user_id=user_id)
    if not scan_session.lines:
        raise StockError("Nothing is staged yet; scan some items first.")
    claim(scan_session, "open", "committed")
    try:
        moved = _apply_moves(scan_session, user_id=user_id)
    except StockError:
        db.session.rollback()
        raise
    db.session.commit()
    return moved


def _apply_moves(scan_session: ScanSession, *, user_id: int | None) -> int:
    """Check every line against the present and apply the moves (the caller commits)."""
    target = scan_session.location
    items = lock_items([line.stock_item_id for line in scan_session.lines if line.stock_item_id])
    conflicts = []
    for line in scan_session.lines:
        if line.stock_item_id:
            item = items.get(line.stock_item_id)
            if item is None or item.location_id != line.seen_location_id:
                conflicts.append(_moved_meanwhile(line, item))
        elif line.location.parent_id != line.seen_location_id:
            conflicts.append(f"{line.location.name} was moved by someone else after you scanned it.")
    if conflicts:
        raise ConflictError("Nothing was moved: " + " ".join(conflicts) + " Remove or rescan it, then commit again.")
    log_id = log_action(target, user_id=user_id, action="move",
                        response={"session": scan_session.id, "committed": len(scan_session.lines)})
    for line in scan_session.lines:
        if line.stock_item_id:
            track(items[line.stock_item_id], "moved", user_id=user_id, scan_log_id=log_id,
                  from_location_id=line.seen_location_id, to_location_id=target.id,
                  quantity_before=line.seen_quantity, quantity_after=items[line.stock_item_id].quantity,
                  notes=f"Scan-in session {scan_session.id}")
            items[line.stock_item_id].location_id = target.id
        else:
            check_location_move(line.location, target)
            line.location.parent_id = target.id
    return len(scan_session.lines)


def _moved_meanwhile(line: ScanSessionLine, item: StockItem | None) -> str:
    """The conflict message for one item someone else changed."""
    if item is None:
        return "A staged stock item was deleted meanwhile."
    latest = item.tracking[0] if item.tracking else None
    who = f" by {latest.user.username}" if latest and latest.user else " by someone else"
    where = item.location.path if item.location else "no location"
    return f"{item} was moved{who} to {where} after you scanned it."
