"""Narrowing the scan history: a filter read from request arguments, and its SQL conditions."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import false

from barcodes.normalize import replace_separators
from database.ids import parse_id
from extensions import db
from models import ScanLog, User

# Where a row came from: the scanner typing on any page (wedge), the scan dialog, a camera or photo,
# a field on a page (linking on an object's page, a scan session, receiving), a button with no
# barcode (commit, undo), the API; "action" is what stock work was logged as before "page" and "button".
SOURCES = ("wedge", "dialog", "camera", "photo", "page", "button", "api", "action")
# What came of it: a lookup found something (match) or nothing (no_match); work that changes data was
# done or refused (the reason in the row's response); error: the input could not be read at all.
RESULTS = ("match", "no_match", "done", "refused", "error")
SUCCESSES = ("match", "done")
# Ids and times rise together except for scans committed in a different order than they began;
# date filters become id bounds (which every index serves) widened by this many rows for safety.
DATE_ID_SLACK = 1000
MAX_QUERY = 200


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
        user_id = parse_id(user)
        if user_id is not None and db.session.get(User, user_id) is not None:
            values["user_id"] = user_id
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


def conditions(f: ScanFilter | None) -> list:
    """SQL conditions for a filter (none for None)."""
    conds: list = []
    if f is None:
        return conds
    for name in ("result", "source", "plugin"):
        if getattr(f, name):
            conds.append(getattr(ScanLog, name) == getattr(f, name))
    if f.user_id is not None:
        conds.append(ScanLog.user_id == f.user_id)
    if f.q:
        # What the pages show or copy (a GS badge copies as <GS>) searches for the control itself.
        needle = replace_separators("".join(_VISIBLE_TO_CONTROL.get(ch, ch) for ch in f.q))
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(ScanLog.data.ilike(f"%{escaped}%", escape="\\"))
    if f.since and f.until and f.since > f.until:
        conds.append(false())
    conds.extend(_date_conditions(f.since, f.until))
    return conds


def day_start(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of `day`."""
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def _date_conditions(since: dt.date | None, until: dt.date | None) -> list:
    """Exact time conditions plus id bounds, so keyset pages by id stay index-only."""
    conds: list = []
    if since:
        start = day_start(since)
        first = db.session.scalar(db.select(ScanLog.id).where(ScanLog.created_at >= start)
                                  .order_by(ScanLog.created_at, ScanLog.id).limit(1))
        if first is None:
            return [false()]  # nothing on or after that day
        conds += [ScanLog.created_at >= start, ScanLog.id >= first - DATE_ID_SLACK]
    if until:
        end = day_start(until + dt.timedelta(days=1))
        last = db.session.scalar(db.select(ScanLog.id).where(ScanLog.created_at < end)
                                 .order_by(ScanLog.created_at.desc(), ScanLog.id.desc()).limit(1))
        if last is None:
            return [false()]  # nothing up to that day
        conds += [ScanLog.created_at < end, ScanLog.id <= last + DATE_ID_SLACK]
    return conds
