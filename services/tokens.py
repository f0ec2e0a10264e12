"""API tokens: created per user and name, stored as SHA-256, expirable and revocable.

The plain token is shown once, when it is created; the database only holds its hash, so a leaked
database does not leak usable tokens. Each change commits itself.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import bindparam, select, update

from database.prepared import Prepared
from extensions import db
from models import ApiToken, User, utcnow
from services.users import USER_COLUMNS, detached

TOKEN_PREFIX = "sst-"  # makes Shelfscan tokens recognisable in logs and secret scanners
MAX_NAME_LENGTH = 100
LIFETIME = dt.timedelta(days=365)  # of a new token, from the API or the account page
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


_TOKEN = ApiToken.__table__
_CALLER_BY_TOKEN = Prepared(
    select(*USER_COLUMNS, _TOKEN.c.id.label("token_id"), _TOKEN.c.expires_at, _TOKEN.c.revoked_at,
           _TOKEN.c.last_used_at)
    .select_from(_TOKEN.join(User.__table__, User.__table__.c.id == _TOKEN.c.user_id))
    .where(_TOKEN.c.token_hash == bindparam("token_hash"))
)
_TOUCH = update(_TOKEN).where(_TOKEN.c.id == bindparam("token_id")).values(last_used_at=bindparam("now"))


class TokenError(ValueError):
    """A token that cannot be created as asked (bad name or expiry)."""


def hash_token(plain: str) -> str:
    """The SHA-256 hex digest a token is stored and looked up by."""
    return hashlib.sha256(plain.encode("utf-8", "surrogateescape")).hexdigest()


def create(user: User, name: str, *, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the plain token (the only time it is known)."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise TokenError(f"A token name needs 1 to {MAX_NAME_LENGTH} characters.")
    if expires_at is not None and _aware(expires_at) <= utcnow():
        raise TokenError("The expiry date must be in the future.")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(plain), expires_at=expires_at)
    db.session.add(token)
    db.session.commit()
    return token, plain


def user_for(plain: str) -> User | None:
    """The active user a valid (unexpired, unrevoked) token belongs to, or None.

    One Core query (token joined with its user) per API request, since every API call pays it; it
    commits the last-used time itself, at most once a minute per token.
    """
    if not plain or len(plain) > 200:
        return None
    row = _CALLER_BY_TOKEN.first({"token_hash": hash_token(plain)})
    if row is None or not _usable(row.revoked_at, row.expires_at) or not row.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - _aware(row.last_used_at) > LAST_USED_RESOLUTION:
        db.session.connection().execute(_TOUCH, {"token_id": row.token_id, "now": now})
        db.session.commit()
    return detached(row)


def is_usable(token: ApiToken) -> bool:
    """Whether a token is neither revoked nor expired."""
    return _usable(token.revoked_at, token.expires_at)


def _usable(revoked_at: dt.datetime | None, expires_at: dt.datetime | None) -> bool:
    return revoked_at is None and (expires_at is None or _aware(expires_at) > utcnow())


def expire(token_id: int, when: dt.datetime | None = None) -> ApiToken | None:
    """Set when a token stops working (now by default); None when there is no such token."""
    token = db.session.get(ApiToken, token_id)
    if token is not None:
        token.expires_at = when or utcnow()
        db.session.commit()
    return token


def revoke(token_id: int) -> ApiToken | None:
    """Revoke a token for good; None when there is no such token."""
    token = db.session.get(ApiToken, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def tokens_for(user_id: int | None = None) -> list[ApiToken]:
    """Tokens, newest first, optionally of one user (for the admin area)."""
    query = db.select(ApiToken).order_by(ApiToken.id.desc())
    if user_id is not None:
        query = query.filter_by(user_id=user_id)
    return list(db.session.execute(query).scalars())


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
