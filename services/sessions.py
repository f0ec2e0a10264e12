"""Signed-in browser sessions, kept in the database so that signing out really ends them.

The session cookie and the "Stay signed in" cookie hold only a random key (Flask-Login's user id,
see User.get_id); the `user_session` row holds its SHA-256. A copy of either cookie stops working
when its row goes: at sign-out, when the password changes or the account is deactivated
(services/users.py), and at the absolute lifetime, however busy the session is: SESSION_HOURS for a
plain sign-in, SESSION_REMEMBER_DAYS for "Stay signed in" (runtime settings; a change applies to
sessions already running).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import bindparam, delete, or_, select

from database.prepared import Prepared
from extensions import db
from models import User, UserSession, utcnow
from services import settings
from services.users import USER_COLUMNS, detached

_SESSION = UserSession.__table__
_USER_BY_SESSION = Prepared(
    select(*USER_COLUMNS, _SESSION.c.created_at.label("session_created_at"), _SESSION.c.remember)
    .select_from(_SESSION.join(User.__table__, User.__table__.c.id == _SESSION.c.user_id))
    .where(_SESSION.c.key_hash == bindparam("key_hash"))
)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def lifetime(remember: bool) -> dt.timedelta:
    """How long a session lasts from sign-in, by the settings in force now."""
    if remember:
        return dt.timedelta(days=settings.get("SESSION_REMEMBER_DAYS"))
    return dt.timedelta(hours=settings.get("SESSION_HOURS"))


def start(user: User, remember: bool) -> str:
    """Open a session for `user` (committed), set user.session_key and return it; drops expired rows."""
    now = utcnow()
    db.session.execute(delete(UserSession).where(or_(
        UserSession.created_at < now - lifetime(True),
        (UserSession.remember.is_(False)) & (UserSession.created_at < now - lifetime(False)))))
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, key_hash=_hash(key), remember=remember, created_at=now))
    db.session.commit()
    user.session_key = key
    return key


def user_for(key: str) -> User | None:
    """The active user of a live session, or None (unknown key, signed out, expired, deactivated).

    One Core query per request, as every page pays it."""
    if not key or len(key) > 100:
        return None
    row = _USER_BY_SESSION.first({"key_hash": _hash(key)})
    if row is None or not row.active or _aware(row.session_created_at) + lifetime(row.remember) <= utcnow():
        return None
    user = detached(row)
    user.session_key = key
    return user


def remembered(key: str | None) -> bool:
    """Whether the session with this key was started with "Stay signed in"."""
    return bool(key) and bool(db.session.scalar(
        db.select(UserSession.remember).where(UserSession.key_hash == _hash(key))))


def end(key: str | None) -> None:
    """End one session (sign-out), committed; an unknown key is fine."""
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == _hash(key)))
        db.session.commit()


def end_all(user_id: int, keep: str | None = None) -> int:
    """End every session of a user but `keep`, in the caller's transaction; returns how many."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if keep:
        query = query.where(UserSession.key_hash != _hash(keep))
    return db.session.execute(query).rowcount or 0


def count(user_id: int) -> int:
    """How many sessions a user has open (live or not yet pruned)."""
    return db.session.scalar(db.select(db.func.count()).select_from(UserSession)
                             .where(UserSession.user_id == user_id)) or 0


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
