"""Sign-in rate limit: failed logins counted per username and per client address, in the database.

The count lives in the database (not in process memory) so every worker process and every app server
behind the proxy sees the same number.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func

from extensions import db
from models import LoginFailure, utcnow


@dataclass(frozen=True)
class Limit:
    """At most `failures` failed sign-ins per key within `window` seconds."""

    failures: int
    window: int


DEFAULT_LIMITS = {"user": Limit(5, 15 * 60), "ip": Limit(20, 15 * 60)}


def limits() -> dict[str, Limit]:
    """The limits in force: the defaults, or LOGIN_RATE_LIMITS from the app config."""
    return current_app.config.get("LOGIN_RATE_LIMITS") or DEFAULT_LIMITS


def login_keys(username: str, address: str | None) -> dict[str, str]:
    """The keys a sign-in attempt counts against, by kind."""
    # Usernames are matched case-insensitively so 'Admin' and 'admin' share one budget.
    return {"user": f"user:{username.strip().lower()[:100]}", "ip": f"ip:{address or 'unknown'}"}


def retry_after(keys: dict[str, str], now: dt.datetime | None = None) -> int:
    """Seconds until a locked key may try again; 0 when no key is over its limit."""
    now = now or utcnow()
    wait = 0
    for kind, key in keys.items():
        limit = limits()[kind]
        since = now - dt.timedelta(seconds=limit.window)
        recent = db.select(LoginFailure.created_at).where(LoginFailure.key == key, LoginFailure.created_at > since)
        count = db.session.scalar(db.select(func.count()).select_from(recent.subquery()))
        if count < limit.failures:
            continue
        # Locked until enough of the recent failures have aged out of the window.
        oldest_that_counts = db.session.scalar(
            recent.order_by(LoginFailure.created_at.desc()).offset(limit.failures - 1).limit(1))
        expires = _aware(oldest_that_counts) + dt.timedelta(seconds=limit.window)
        wait = max(wait, math.ceil((expires - now).total_seconds()))
    return max(wait, 0)


def record_failure(keys: dict[str, str]) -> None:
    """Count one failed sign-in against every key, and forget failures older than any window."""
    now = utcnow()
    longest = max(limit.window for limit in limits().values())
    db.session.execute(delete(LoginFailure).where(LoginFailure.created_at < now - dt.timedelta(seconds=longest)))
    db.session.add_all(LoginFailure(key=key, created_at=now) for key in keys.values())
    db.session.commit()


def clear(key: str) -> None:
    """Forget the failures of one key (after a successful sign-in)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.key == key))
    db.session.commit()


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive UTC datetimes; make them comparable with aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
