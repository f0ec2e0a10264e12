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
    """Delete at most `limit` of the oldest rows beyond BARCODE_RESULTS_MAX_DAYS or _MAX_NUM.

    Every query here is an index seek, so the cost does not grow with the table. The count bound
    is kept by id: rows older than the newest MAX_NUM ids go. Ids missing from that window (scans
    deleted by hand) count against it, so the log may keep fewer rows than MAX_NUM, never more.
    """
    cutoff = (now or utcnow()) - dt.timedelta(days=settings.get("BARCODE_RESULTS_MAX_DAYS"))
    too_old = db.session.scalars(
        db.select(ScanLog.id).where(ScanLog.created_at < cutoff)
        .order_by(ScanLog.created_at, ScanLog.id).limit(limit)).all()
    deleted = delete_ids(list(too_old))
    newest = db.session.scalar(db.select(ScanLog.id).order_by(ScanLog.id.desc()).limit(1))
    if deleted < limit and newest:
        last_out = newest - settings.get("BARCODE_RESULTS_MAX_NUM")
        surplus = db.session.scalars(
            db.select(ScanLog.id).where(ScanLog.id <= last_out).order_by(ScanLog.id).limit(limit - deleted)).all()
        deleted += delete_ids(list(surplus))
    return deleted


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
