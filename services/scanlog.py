"""The scan log: one row per scan, written in the caller's transaction, pruned as it grows,
browsed newest first with keyset pagination, exported and deleted by filter."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields, replace
from typing import Any, Iterator

from sqlalchemy import delete, false, func

import settings
from barcodes.result import Scan, ScanResult
from extensions import db
from models import OBJECT_TYPES, ScanLog, User, utcnow

SOURCES = ("wedge", "dialog", "camera", "photo", "api", "action")
RESULTS = ("match", "no_match", "error")
# Pruning runs on roughly one insert in PRUNE_EVERY and deletes at most PRUNE_BATCH rows, so its
# cost per scan is constant; the batch is ten times the interval so a backlog drains quickly.
PRUNE_EVERY = 50
PRUNE_BATCH = 500
# Ids and times rise together except for scans committed in a different order than they began;
# date filters become id bounds (which every index serves) widened by this many rows for safety.
DATE_ID_SLACK = 1000
DELETE_BATCH = 5000
MAX_QUERY = 200
OBJECT_PATHS = {"part": "/parts/{}", "stockitem": "/stock-items/{}",
                "stocklocation": "/locations/{}", "supplierpart": "/supplier-parts/{}"}


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
) -> ScanLog | None:
    """Add a scan-log row to the session (the caller commits); None when logging is off."""
    if not settings.get("BARCODE_STORE_RESULTS"):
        return None
    scan: Scan | None = result.scan if result else None
    match = result.match if result else None
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    text = response if isinstance(response, str) else json.dumps(response, default=str)
    row = ScanLog(
        created_at=utcnow(),
        source=source[:16],
        user_id=user_id,
        raw=bytes(raw),
        data=storable(scan.text) if scan else "",
        symbology=(scan.symbology if scan else "")[:32],
        aim_id=(scan.aim_id if scan else "")[:4],
        plugin=((result.plugin or "") if result else "")[:64],
        result="error" if error or result is None else result.status,
        object_type=match.object_type if match else "",
        object_id=match.object_id if match else None,
        action=action[:32],
        parsed=json.dumps(result.fields, default=str) if result and result.fields else "",
        response=storable(text or error or (result.message if result else "")),
        duration_ms=duration_ms,
    )
    db.session.add(row)
    db.session.flush()  # the commit would flush anyway; the id decides whether to prune now
    if row.id % PRUNE_EVERY == 0:
        prune(PRUNE_BATCH)
    return row


def storable(text: str) -> str:
    """Text every database can hold: NUL becomes ␀ (PostgreSQL text cannot hold it) and bytes
    that were not UTF-8 (lone surrogates) become U+FFFD; `raw` keeps the exact bytes."""
    if "\x00" in text:
        text = text.replace("\x00", "\u2400")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
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
    deleted = _delete_ids(list(too_old))
    newest = newest_id()
    if deleted < limit and newest:
        last_out = newest - settings.get("BARCODE_RESULTS_MAX_NUM")
        surplus = db.session.scalars(
            db.select(ScanLog.id).where(ScanLog.id <= last_out).order_by(ScanLog.id).limit(limit - deleted)).all()
        deleted += _delete_ids(list(surplus))
    return deleted


def prune_all(batch: int = DELETE_BATCH) -> int:
    """Prune until both bounds hold, committing each batch (for cron); returns rows deleted."""
    total = 0
    while deleted := prune(batch):
        db.session.commit()
        total += deleted
    db.session.commit()
    return total


def _delete_ids(ids: list[int]) -> int:
    if not ids:
        return 0
    db.session.execute(delete(ScanLog).where(ScanLog.id.in_(ids)), execution_options={"synchronize_session": False})
    return len(ids)


@dataclass(frozen=True)
class ScanFilter:
    """What the history is narrowed to; empty fields filter nothing."""

    result: str = ""
    source: str = ""
    user_id: int | None = None
    plugin: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    q: str = ""
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return any(v not in ("", None) for k, v in self.as_args().items())

    def as_args(self) -> dict[str, str]:
        """The filter as query-string arguments (only those set)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "problems" and value not in ("", None):
                out[f.name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out


def parse_filter(args: Any, plugin_names: list[str] | tuple[str, ...] = ()) -> ScanFilter:
    """Read a filter from request args; unusable values are dropped and explained in `problems`."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for name, allowed in (("result", RESULTS), ("source", SOURCES)):
        value = (args.get(name) or "").strip()
        if value and value not in allowed:
            problems.append(f"Unknown {name} {value[:40]!r}; choose one of {', '.join(allowed)}.")
        elif value:
            values[name] = value
    user = (args.get("user_id") or "").strip()
    if user:
        if user.isdigit() and len(user) < 10 and db.session.get(User, int(user)) is not None:
            values["user_id"] = int(user)
        else:
            problems.append(f"There is no user {user[:40]!r}.")
    plugin = (args.get("plugin") or "").strip()
    if plugin:
        if plugin in plugin_names or _plugin_seen(plugin):
            values["plugin"] = plugin
        else:
            problems.append(f"There is no plugin {plugin[:64]!r} and no scan names one.")
    for name in ("since", "until"):
        text = (args.get(name) or "").strip()
        if text:
            try:
                values[name] = dt.date.fromisoformat(text)
            except ValueError:
                problems.append(f"{text[:40]!r} is not a date; use YYYY-MM-DD.")
    if values.get("since") and values.get("until") and values["since"] > values["until"]:
        problems.append("The start date is after the end date; showing nothing until that is fixed.")
    q = args.get("q") or ""
    if len(q) > MAX_QUERY:
        problems.append(f"The search was cut to {MAX_QUERY} characters.")
    values["q"] = q[:MAX_QUERY]
    return ScanFilter(**values, problems=tuple(problems))


def _plugin_seen(name: str) -> bool:
    """Whether any row names this plugin (one index probe)."""
    return len(name) <= 64 and db.session.execute(
        db.select(ScanLog.id).where(ScanLog.plugin == name).limit(1)).first() is not None


# The visible stand-ins the page shows for separators, so a search can use what people see.
# NUL is left out: it is stored as the picture itself (see storable).
_VISIBLE_TO_CONTROL = {chr(0x2400 + c): chr(c) for c in range(1, 32)} | {"\u2421": "\x7f"}


def _conditions(f: ScanFilter) -> list:
    """SQL conditions for a filter."""
    conds: list = []
    for name in ("result", "source", "plugin"):
        if getattr(f, name):
            conds.append(getattr(ScanLog, name) == getattr(f, name))
    if f.user_id is not None:
        conds.append(ScanLog.user_id == f.user_id)
    if f.q:
        needle = "".join(_VISIBLE_TO_CONTROL.get(ch, ch) for ch in f.q)
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(ScanLog.data.ilike(f"%{escaped}%", escape="\\"))
    if f.since and f.until and f.since > f.until:
        conds.append(false())
    conds.extend(_date_conditions(f.since, f.until))
    return conds


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def _date_conditions(since: dt.date | None, until: dt.date | None) -> list:
    """Exact time conditions plus id bounds, so keyset pages by id stay index-only."""
    conds: list = []
    if since:
        start = _day_start(since)
        first = db.session.scalar(db.select(ScanLog.id).where(ScanLog.created_at >= start)
                                  .order_by(ScanLog.created_at, ScanLog.id).limit(1))
        conds += [ScanLog.created_at >= start, ScanLog.id >= (first or 0) - DATE_ID_SLACK]
    if until:
        end = _day_start(until + dt.timedelta(days=1))
        last = db.session.scalar(db.select(ScanLog.id).where(ScanLog.created_at < end)
                                 .order_by(ScanLog.created_at.desc(), ScanLog.id.desc()).limit(1))
        conds += [ScanLog.created_at < end, ScanLog.id <= (last or 0) + DATE_ID_SLACK]
    return conds


@dataclass
class Page:
    """One page of history, newest first, with the keyset cursors of its neighbours."""

    rows: list[ScanLog]
    newer: int | None  # pass as ?after= to see the page before this one
    older: int | None  # pass as ?before= to see the next page


def page(f: ScanFilter, before: int | None = None, after: int | None = None, size: int = 25) -> Page:
    """A page of rows matching `f` below `before` (or above `after`), newest first."""
    conds = _conditions(f)
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
    return Page(rows=rows, newer=rows[0].id if rows and more_newer else None,
                older=rows[-1].id if rows and more_older else None)


def _exists(conds: list) -> bool:
    return db.session.execute(db.select(ScanLog.id).where(*conds).limit(1)).first() is not None


def get(scan_id: int) -> ScanLog | None:
    """One row by id, or None."""
    return db.session.get(ScanLog, scan_id)


def newest_id(f: ScanFilter | None = None) -> int:
    """The id of the newest row matching `f` (0 when none): the upper bound of a delete."""
    conds = _conditions(f) if f else []
    return db.session.scalar(db.select(ScanLog.id).where(*conds).order_by(ScanLog.id.desc()).limit(1)) or 0


def count(f: ScanFilter | None = None, upto: int | None = None) -> int:
    """How many rows match `f` (at or below id `upto`)."""
    conds = (_conditions(f) if f else []) + ([ScanLog.id <= upto] if upto is not None else [])
    return db.session.scalar(db.select(func.count()).select_from(ScanLog).where(*conds)) or 0


def delete_matching(f: ScanFilter | None, upto: int) -> int:
    """Delete rows matching `f` with id <= `upto`, in committed batches; returns rows deleted.

    The id bound keeps scans written meanwhile; batches keep each write lock short, so scanning
    goes on while a large history is cleared.
    """
    conds = (_conditions(f) if f else []) + [ScanLog.id <= upto]
    total = 0
    while ids := db.session.scalars(db.select(ScanLog.id).where(*conds).order_by(ScanLog.id).limit(DELETE_BATCH)).all():
        total += _delete_ids(list(ids))
        db.session.commit()
    return total


def delete_one(scan_id: int) -> bool:
    """Delete one row; False when it did not exist. The caller commits."""
    return _delete_ids([scan_id]) == 1 if get(scan_id) else False


CSV_COLUMNS = ("id", "time_utc", "user", "source", "result", "plugin", "symbology", "aim_id", "data",
               "raw_hex", "object_type", "object_id", "action", "response", "duration_ms")


def export_rows(f: ScanFilter | None = None, batch: int = 1000) -> Iterator[tuple]:
    """Every matching row as a CSV_COLUMNS tuple, newest first, read in keyset batches."""
    conds = _conditions(f) if f else []
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
    """(day, matches, misses) for the last `days` days, oldest first; misses include errors."""
    today = today or utcnow().date()
    first = today - dt.timedelta(days=days - 1)
    if db.engine.dialect.name == "postgresql":
        day = func.date(func.timezone("UTC", ScanLog.created_at))
    else:
        day = func.date(ScanLog.created_at)
    query = (db.select(day.label("day"), ScanLog.result, func.count())
             .where(ScanLog.created_at >= _day_start(first)).group_by("day", ScanLog.result))
    totals: dict[dt.date, list[int]] = {first + dt.timedelta(days=i): [0, 0] for i in range(days)}
    for day_value, result, n in db.session.execute(query):
        key = day_value if isinstance(day_value, dt.date) else dt.date.fromisoformat(str(day_value)[:10])
        if key in totals:
            totals[key][0 if result == "match" else 1] += n
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


def without(f: ScanFilter, name: str) -> ScanFilter:
    """The filter with one field cleared."""
    return replace(f, **{name: None if name in ("user_id", "since", "until") else ""})
