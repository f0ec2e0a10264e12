"""Reading the scan history: keyset pages, counts, exports, the daily chart, deletes by filter."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import func

from extensions import db
from models import OBJECT_TYPES, ScanLog, User, utcnow
from services.scanlog.filters import SUCCESSES, ScanFilter, conditions, day_start
from services.scanlog.writer import DELETE_BATCH, delete_ids

OBJECT_PATHS = {"part": "/parts/{}", "stockitem": "/stock-items/{}",
                "stocklocation": "/locations/{}", "supplierpart": "/supplier-parts/{}"}


@dataclass
class HistoryPage:
    """One page of history, newest first, with the keyset cursors of its neighbours."""

    rows: list[ScanLog]
    newer: int | None  # pass as ?after= to see the page before this one
    older: int | None  # pass as ?before= to see the next page


def history_page(f: ScanFilter, before: int | None = None, after: int | None = None, size: int = 25) -> HistoryPage:
    """A page of rows matching `f` below `before` (or above `after`), newest first."""
    conds = conditions(f)
    query = db.select(ScanLog).where(*conds).options(db.joinedload(ScanLog.user))
    if after is not None:
        found = db.session.scalars(query.where(ScanLog.id > after).order_by(ScanLog.id).limit(size + 1)).all()
        more_newer, rows = len(found) > size, list(reversed(found[:size]))
        more_older = bool(rows) and _exists(conds + [ScanLog.id < rows[-1].id])
    else:
        if before is not None:
            query = query.where(ScanLog.id < before)
        found = db.session.scalars(query.order_by(ScanLog.id.desc()).limit(size + 1)).all()
        rows, more_older = list(found[:size]), len(found) > size
        more_newer = before is not None and bool(rows) and _exists(conds + [ScanLog.id > rows[0].id])
    return HistoryPage(rows=rows, newer=rows[0].id if rows and more_newer else None,
                older=rows[-1].id if rows and more_older else None)


def _exists(conds: list) -> bool:
    return db.session.execute(db.select(ScanLog.id).where(*conds).limit(1)).first() is not None


def get(scan_id: int) -> ScanLog | None:
    """One row by id, or None."""
    return db.session.get(ScanLog, scan_id)


def latest_of(user_id: int) -> ScanLog | None:
    """A user's most recent scan, or None."""
    return db.session.scalars(db.select(ScanLog).filter_by(user_id=user_id).order_by(ScanLog.id.desc()).limit(1)).first()


def newest_id(f: ScanFilter | None = None) -> int:
    """The id of the newest row matching `f` (0 when none): the upper bound of a delete."""
    conds = conditions(f)
    return db.session.scalar(db.select(ScanLog.id).where(*conds).order_by(ScanLog.id.desc()).limit(1)) or 0


def count(f: ScanFilter | None = None, upto: int | None = None) -> int:
    """How many rows match `f` (at or below id `upto`)."""
    conds = (conditions(f)) + ([ScanLog.id <= upto] if upto is not None else [])
    return db.session.scalar(db.select(func.count()).select_from(ScanLog).where(*conds)) or 0


def delete_matching(f: ScanFilter | None, upto: int) -> int:
    """Delete rows matching `f` with id <= `upto`, in committed batches; returns rows deleted.

    The id bound keeps scans written meanwhile; batches keep each write lock short, so scanning
    goes on while a large history is cleared.
    """
    conds = (conditions(f)) + [ScanLog.id <= upto]
    total = 0
    while ids := db.session.scalars(db.select(ScanLog.id).where(*conds).order_by(ScanLog.id).limit(DELETE_BATCH)).all():
        total += delete_ids(list(ids))
        db.session.commit()
    return total


def delete_one(scan_id: int) -> bool:
    """Delete one row and commit; False when it did not exist."""
    deleted = delete_ids([scan_id]) == 1 if get(scan_id) else False
    db.session.commit()
    return deleted


CSV_COLUMNS = ("id", "time_utc", "user", "source", "result", "plugin", "symbology", "aim_id", "data",
               "raw_hex", "object_type", "object_id", "action", "response", "duration_ms")


def export_rows(f: ScanFilter | None = None, batch: int = 1000) -> Iterator[tuple]:
    """Every matching row as a CSV_COLUMNS tuple, newest first, read in keyset batches."""
    conds = conditions(f)
    columns = (ScanLog.id, ScanLog.created_at, User.username, ScanLog.source, ScanLog.result,
               ScanLog.plugin, ScanLog.symbology, ScanLog.aim_id, ScanLog.data, ScanLog.raw,
               ScanLog.object_type, ScanLog.object_id, ScanLog.action, ScanLog.response, ScanLog.duration_ms)
    before = None
    while True:
        query = db.select(*columns).outerjoin(User, ScanLog.user_id == User.id).where(*conds)
        if before is not None:
            query = query.where(ScanLog.id < before)
        rows = db.session.execute(query.order_by(ScanLog.id.desc()).limit(batch)).all()
        for r in rows:
            created = r.created_at.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
            yield (r.id, created, r.username or "", r.source, r.result, r.plugin, r.symbology, r.aim_id,
                   r.data, bytes(r.raw).hex(), r.object_type, r.object_id if r.object_id is not None else "",
                   r.action, r.response, f"{r.duration_ms:.2f}")
        if len(rows) < batch:
            return
        before = rows[-1].id


def daily_counts(days: int = 30, today: dt.date | None = None) -> list[tuple[dt.date, int, int]]:
    """(day, matches, misses) for the last `days` days, oldest first; work done counts as a match,
    refusals and errors as misses."""
    today = today or utcnow().date()
    first = today - dt.timedelta(days=days - 1)
    if db.engine.dialect.name == "postgresql":
        day = func.date(func.timezone("UTC", ScanLog.created_at))
    else:
        day = func.date(ScanLog.created_at)
    query = (db.select(day.label("day"), ScanLog.result, func.count())
             .where(ScanLog.created_at >= day_start(first)).group_by("day", ScanLog.result))
    totals: dict[dt.date, list[int]] = {first + dt.timedelta(days=i): [0, 0] for i in range(days)}
    for day_value, result, n in db.session.execute(query):
        key = day_value if isinstance(day_value, dt.date) else dt.date.fromisoformat(str(day_value)[:10])
        if key in totals:
            totals[key][0 if result in SUCCESSES else 1] += n
    return [(d, m, x) for d, (m, x) in sorted(totals.items())]


def object_path(row: ScanLog) -> str | None:
    """The web page of the object a scan resolved to, or None."""
    if row.object_type in OBJECT_TYPES and row.object_id is not None:
        return OBJECT_PATHS[row.object_type].format(row.object_id)
    return None


def parsed_fields(row: ScanLog) -> dict[str, Any] | None:
    """The parsed fields as a dict (None when there are none or they are not JSON)."""
    try:
        value = json.loads(row.parsed) if row.parsed else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
