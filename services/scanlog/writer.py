"""Writing the scan log: one row per scan in the caller's transaction, pruned as it grows."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import bindparam, delete

from barcodes.result import Scan, ScanResult
from database.prepared import Prepared
from extensions import db
from models import ScanLog, utcnow
from services import settings

# Pruning runs on roughly one insert in PRUNE_EVERY and deletes at most PRUNE_BATCH rows, so its
# cost per scan is constant; the batch is ten times the interval so a backlog drains quickly.
PRUNE_EVERY = 50
PRUNE_BATCH = 500
DELETE_BATCH = 5000
# Actions of scans that only looked something up (the scan dialog, the API's scan). Every other
# action changed data, and its rows are the audit trail: kept apart in retention (prune()).
LOOKUP_ACTIONS = ("navigate", "")


_TABLE = ScanLog.__table__
_INSERT = Prepared(_TABLE.insert().values({column: bindparam(column.key) for column in _TABLE.c if column.key != "id"})
                   .returning(_TABLE.c.id))


def record(
    *,
    source: str,
    user_id: int | None,
    raw: bytes,
    result: ScanResult | None = None,
    action: str = "",
    response: Any = "",
    duration_ms: float = 0.0,
    error: str = "",
    outcome: str = "",
) -> int | None:
    """Write a scan-log row in the caller's transaction (the caller commits); returns its id, or
    None when logging is off. A Core insert: every scan pays it, and it needs no ORM bookkeeping.

    `result` is what the scan resolved to (match, no_match, error); a row for work that changes data
    (link, move, receive, commit...) passes `outcome` instead: done, or refused (see filters.RESULTS).
    """
    if not settings.get("BARCODE_STORE_RESULTS"):
        return None
    scan: Scan | None = result.scan if result else None
    match = (result.linked or result.match) if result else None
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    text = response if isinstance(response, str) else json.dumps(response, default=str)
    values = dict(
        created_at=utcnow(),
        source=source[:16],
        user_id=user_id,
        raw=bytes(raw),
        data=storable(scan.text) if scan else "",
        symbology=(scan.symbology if scan else "")[:32],
        aim_id=(scan.aim_id if scan else "")[:4],
        plugin=((result.plugin or "") if result else "")[:64],
        result=outcome or ("error" if error or result is None else result.status),
        object_type=match.object_type if match else "",
        object_id=match.object_id if match else None,
        action=action[:32],
        parsed=json.dumps(result.fields, default=str) if result and result.fields else "",
        response=storable(text or error or (result.message if result else "")),
        duration_ms=duration_ms,
    )
    row_id = _INSERT.scalar(values)
    if row_id % PRUNE_EVERY == 0:
        prune(PRUNE_BATCH)
    return row_id


def storable(text: str) -> str:
    """Text every database can hold: NUL becomes ␀ (PostgreSQL text cannot hold it) and bytes
    that were not UTF-8 (lone surrogates) become U+FFFD; `raw` keeps the exact bytes."""
    if "\x00" in text:
        text = text.replace("\x00", "\u2400")
    if not text.isascii() and any("\ud800" <= ch <= "\udfff" for ch in text):
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def prune(limit: int = PRUNE_BATCH, now: dt.datetime | None = None) -> int:
    """Delete at most `limit` of the oldest rows beyond the retention bounds; returns how many.

    Lookups (scans that only looked something up: LOOKUP_ACTIONS) go after BARCODE_RESULTS_MAX_DAYS
    and beyond BARCODE_RESULTS_MAX_NUM; rows of changes (link, unlink, move, count, receive, undo,
    and any other action) only after BARCODE_CHANGES_MAX_DAYS, never by count, so nobody can push
    the audit trail out by scanning. Every query is an index seek (created, or action + id), so the
    cost does not grow with the table. The count bound works on ids: lookups older than the newest
    MAX_NUM ids go, so the history may keep fewer lookups than MAX_NUM, never more.
    """
    now = now or utcnow()
    lookups_days = settings.get("BARCODE_RESULTS_MAX_DAYS")
    changes_days = max(settings.get("BARCODE_CHANGES_MAX_DAYS"), lookups_days)  # changes outlive lookups
    deleted = 0
    first_kept = _first_id_since(now - dt.timedelta(days=lookups_days))
    newest = db.session.scalar(db.select(ScanLog.id).order_by(ScanLog.id.desc()).limit(1))
    if newest:
        # Everything before the first row young enough, and everything beyond the newest MAX_NUM ids.
        last_out = max(first_kept - 1, newest - settings.get("BARCODE_RESULTS_MAX_NUM"))
        for action in LOOKUP_ACTIONS:
            deleted += delete_ids(db.session.scalars(
                db.select(ScanLog.id).where(ScanLog.action == action, ScanLog.id <= last_out)
                .order_by(ScanLog.id).limit(limit - deleted)).all())
    if deleted < limit:
        # Older than the changes' bound: lookups that old went above, so this walk meets changes only.
        deleted += delete_ids(db.session.scalars(
            db.select(ScanLog.id).where(ScanLog.id < _first_id_since(now - dt.timedelta(days=changes_days)))
            .order_by(ScanLog.id).limit(limit - deleted)).all())
    return deleted


def _first_id_since(moment: dt.datetime) -> int:
    """The id of the oldest row written at `moment` or later (one past the newest when none is)."""
    first = db.session.scalar(db.select(ScanLog.id).where(ScanLog.created_at >= moment)
                              .order_by(ScanLog.created_at, ScanLog.id).limit(1))
    if first is not None:
        return first
    newest = db.session.scalar(db.select(ScanLog.id).order_by(ScanLog.id.desc()).limit(1))
    return (newest or 0) + 1


def prune_all(batch: int = DELETE_BATCH) -> int:
    """Prune until both bounds hold, committing each batch (for cron); returns rows deleted."""
    total = 0
    while deleted := prune(batch):
        db.session.commit()
        total += deleted
    db.session.commit()
    return total


def delete_ids(ids: list[int]) -> int:
    """Delete rows by id (no ORM bookkeeping); returns how many ids were given."""
    if not ids:
        return 0
    db.session.execute(delete(ScanLog).where(ScanLog.id.in_(ids)), execution_options={"synchronize_session": False})
    return len(ids)
