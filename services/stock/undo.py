"""Undo of a committed scan-in session: everything goes back, unless something moved again since."""
from __future__ import annotations

from extensions import db
from models import ScanSession, StockLocation
from services.stock.common import (
    ConflictError,
    StockError,
    check_location_move,
    lock_items,
    log_action,
    started,
    track,
)
from services.stock.staging import claim


def undo(scan_session: ScanSession, *, user_id: int | None) -> int:
    """Reverse a committed move session in one transaction, if nothing moved since; returns how many."""
    since = started()
    if scan_session.kind != "move":
        raise StockError("Only a scan-in session can be undone.")
    claim(scan_session, "committed", "undone")
    try:
        count = _reverse_moves(scan_session, user_id=user_id, since=since)
    except StockError:
        db.session.rollback()
        raise
    db.session.commit()
    return count


def _reverse_moves(scan_session: ScanSession, *, user_id: int | None, since: float) -> int:
    """Put every line back where it was (the caller commits)."""
    target = scan_session.location
    items = lock_items([line.stock_item_id for line in scan_session.lines if line.stock_item_id])
    changed = [items.get(line.stock_item_id) for line in scan_session.lines if line.stock_item_id
               and (line.stock_item_id not in items or items[line.stock_item_id].location_id != target.id)]
    changed += [line.location for line in scan_session.lines if line.location_id and line.location.parent_id != target.id]
    if changed:
        names = ", ".join(str(thing) if thing else "a deleted item" for thing in changed)
        raise ConflictError(f"Nothing was undone: {names} moved again since this commit.")
    back = len(scan_session.lines)
    log_id = log_action(target, user_id=user_id, action="undo", since=since, response={
        "session": scan_session.id, "moved_back": back,
        "message": f"Undid scan-in session {scan_session.id}: {back} back where they were."})
    for line in scan_session.lines:
        if line.stock_item_id:
            item = items[line.stock_item_id]
            track(item, "undone", user_id=user_id, scan_log_id=log_id, from_location_id=target.id,
                  to_location_id=line.seen_location_id, quantity_before=item.quantity, quantity_after=item.quantity,
                  notes=f"Undo of scan-in session {scan_session.id}")
            item.location_id = line.seen_location_id
        else:
            if line.seen_location_id is not None:
                check_location_move(line.location, db.session.get(StockLocation, line.seen_location_id))
            line.location.parent_id = line.seen_location_id
    return len(scan_session.lines)


def last_committed(location_id: int, user_id: int | None) -> ScanSession | None:
    """This user's most recent committed move session on a location (the one Undo reverses)."""
    query = db.select(ScanSession).filter_by(location_id=location_id, user_id=user_id, kind="move",
                                             status="committed").order_by(ScanSession.committed_at.desc())
    return db.session.execute(query).scalars().first()
