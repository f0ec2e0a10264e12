"""Sign-in throttle: sign-in attempts counted per key in the database, checked and recorded at once.

Which keys an attempt counts against:
- A browser that signed in to this account before sends its device cookie (services/sign_in.py):
  its attempts count only against that device. Guesses made elsewhere cannot lock the owner out,
  nor can failures of other people behind the same NAT address.
- Every other attempt (a new browser, the API's HTTP Basic) counts against the account from this
  address, the account from anywhere (guessing spread over many addresses) and the address for any
  account (one address trying many accounts). A device over its own limit is such an attempt too.

Atomic: an attempt is recorded as a failure *before* its password is checked, in a transaction
that first takes a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction advisory lock) and
counts under it; a right password deletes the record again. Parallel guesses cannot all pass the
check before one of them is counted. The rows live in the database, so every worker process and
every app server sees the same counts.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, text

from database.connection import take_sqlite_write_lock
from extensions import db
from models import LoginFailure, utcnow

# pg_advisory_xact_lock takes a 64-bit number; this one is only used here ("SIGNIN" in ASCII).
_PG_LOCK_ID = 0x5349474E494E


@dataclass(frozen=True)
class Limit:
    """At most `failures` failed sign-ins per key within `window` seconds."""

    failures: int
    window: int


DEFAULT_LIMITS = {"device": Limit(5, 15 * 60), "pair": Limit(5, 15 * 60), "user": Limit(10, 15 * 60),
                  "ip": Limit(20, 15 * 60)}


def limits() -> dict[str, Limit]:
    """The limits in force: the defaults, or LOGIN_RATE_LIMITS from the app config."""
    return current_app.config.get("LOGIN_RATE_LIMITS") or DEFAULT_LIMITS


def _name(username: str) -> str:
    # Usernames are matched case-insensitively so 'Admin' and 'admin' share one budget.
    return username.strip().lower()[:100]


def login_keys(username: str, address: str | None, device: str | None = None) -> dict[str, str]:
    """The keys an attempt counts against, by kind: the device's alone, or account and address."""
    if device:
        return {"device": f"device:{device}"}
    name, address = _name(username), address or "unknown"
    return {"pair": f"pair:{address}|{name}", "user": f"user:{name}", "ip": f"ip:{address}"}


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


def _lock() -> None:
    """Serialise check-and-record across workers and servers until this transaction ends."""
    take_sqlite_write_lock()
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})


def reserve(keys: dict[str, str]) -> tuple[int, list[int]]:
    """Count one attempt against every key, unless one is over its limit (committed either way).

    Returns (0, the recorded rows) or (seconds to wait, []). The rows stand as failures until
    `succeeded` deletes them. Failures older than every window are forgotten here too."""
    try:
        _lock()
        now = utcnow()
        longest = max(limit.window for limit in limits().values())
        db.session.execute(delete(LoginFailure).where(LoginFailure.created_at < now - dt.timedelta(seconds=longest)))
        wait = retry_after(keys, now)
        rows = [] if wait else [LoginFailure(key=key, created_at=now) for key in keys.values()]
        db.session.add_all(rows)
        db.session.flush()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return wait, [row.id for row in rows]


def succeeded(reserved: list[int], forget: str) -> None:
    """The password was right: drop this attempt's rows and the earlier failures of key `forget`
    (the owner's typos from this device or address; the account-wide count stays), committed."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.id.in_(reserved) | (LoginFailure.key == forget)))
    db.session.commit()


def unlock(username: str | None = None, address: str | None = None) -> int:
    """Forget the failures of an account (from every address) and/or an address, committed;
    returns how many failed attempts that was."""
    doomed, attempts = [], set()
    rows = db.session.execute(db.select(LoginFailure.id, LoginFailure.key, LoginFailure.created_at))
    for row_id, key, created_at in rows:
        kind, _, rest = key.partition(":")
        at, _, name = rest.partition("|")
        if (username is not None and ((kind == "user" and rest == _name(username)) or
                                      (kind == "pair" and name == _name(username)))) or \
                (address is not None and kind in ("ip", "pair") and at == address):
            doomed.append(row_id)
            attempts.add(created_at)  # the rows of one attempt share its moment
    db.session.execute(delete(LoginFailure).where(LoginFailure.id.in_(doomed)))
    db.session.commit()
    return len(attempts)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive UTC datetimes; make them comparable with aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
