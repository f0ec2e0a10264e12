"""Lookup scans per user per minute: beyond BARCODE_SCAN_RATE_LIMIT they are refused until the oldest
of the minute has aged out (the views answer 429 with Retry-After).

Counted from the scan history itself, so a scan pays two index seeks and no extra write, and every
worker and app server sees the same count. With the history off (BARCODE_STORE_RESULTS) there is
nothing to count and nothing to protect: no limit applies. Scans that change stock (sessions,
receiving, linking) are an operator's work and are not limited here.
"""
from __future__ import annotations

import datetime as dt
import math

from extensions import db
from models import ScanLog, utcnow
from services import settings
from services.scanlog.writer import LOOKUP_ACTIONS

WINDOW_SECONDS = 60


class ScanRateLimited(Exception):
    """Too many lookups in the last minute; `retry_after` says how many seconds to wait."""

    def __init__(self, limit: int, retry_after: int):
        super().__init__(f"Too many scans: at most {limit} a minute. Try again in {retry_after} s.")
        self.retry_after = retry_after


def check(user_id: int | None, now: dt.datetime | None = None) -> None:
    """Raise ScanRateLimited if this user already made the allowed lookups in the last minute."""
    if user_id is None or not settings.get("BARCODE_STORE_RESULTS"):
        return
    limit = settings.get("BARCODE_SCAN_RATE_LIMIT")
    now = now or utcnow()
    since = now - dt.timedelta(seconds=WINDOW_SECONDS)
    first = db.session.scalar(db.select(ScanLog.id).where(ScanLog.created_at >= since)
                              .order_by(ScanLog.created_at, ScanLog.id).limit(1))
    if first is None:
        return
    # The user's rows of the last minute, through (user_id, id); at most `limit` are looked at.
    recent = db.session.scalars(
        db.select(ScanLog.created_at).where(ScanLog.user_id == user_id, ScanLog.id >= first,
                                            ScanLog.action.in_(LOOKUP_ACTIONS))
        .order_by(ScanLog.id.desc()).limit(limit)).all()
    if len(recent) < limit:
        return
    oldest = recent[-1] if recent[-1].tzinfo else recent[-1].replace(tzinfo=dt.timezone.utc)
    wait = math.ceil((oldest + dt.timedelta(seconds=WINDOW_SECONDS) - now).total_seconds())
    raise ScanRateLimited(limit, max(wait, 1))
