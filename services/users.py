"""User accounts as the admin area manages them: create, role, password, deactivate, API tokens.

A new password or a deactivation ends every session of the account and revokes its API tokens: who
had the old password, or a copy of a cookie, keeps nothing.

Each change is one transaction, committed here; a change that cannot be made raises UserError with a
message for people, and nothing of it is saved.
"""
from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import manager_of_class

from database.connection import take_sqlite_write_lock
from extensions import db
from models import ROLES, ApiToken, User, UserSession, utcnow
from services.text import hidden

MIN_PASSWORD = 8
USER_COLUMNS = tuple(User.__table__.c)
_USER_CLASS = manager_of_class(User)


class UserError(ValueError):
    """A change to an account that cannot be made, with the reason."""


def _committed(change):
    """Run a change as one transaction: commit it, or roll it back and re-raise."""
    def run(*args, **kwargs):
        try:
            result = change(*args, **kwargs)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return result

    run.__name__, run.__doc__ = change.__name__, change.__doc__
    return run


def detached(row) -> User:
    """A User built from a row with USER_COLUMNS as attributes, detached from the session.

    Every request needs its caller; building it from one Core query costs a fifth of an ORM load.
    Being detached, it is read-only for the request: a view that changes an account loads it with
    db.session.get, which gives a fresh persistent instance.
    """
    user = _USER_CLASS.new_instance()  # as the ORM's loader does: no __init__, no change events
    user.__dict__.update({column.key: getattr(row, column.key) for column in USER_COLUMNS})
    make_transient_to_detached(user)
    return user


def all_users() -> list[User]:
    """Every account, by username."""
    return list(db.session.scalars(db.select(User).order_by(User.username)))


def any_exist() -> bool:
    """Whether there is at least one account."""
    return db.session.execute(db.select(User.id).limit(1)).first() is not None


def by_username(username: str) -> User | None:
    """The account with this username, or None."""
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()


def usernames() -> list:
    """(id, username) of every account, by username (for filter menus)."""
    return list(db.session.execute(db.select(User.id, User.username).order_by(User.username)))


def check_new_password(password: str) -> None:
    """Raise UserError unless `password` is long enough, and not absurdly long."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"The password must be at least {MIN_PASSWORD} characters.")
    if len(password) > 200:
        raise UserError("The password must be at most 200 characters.")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"The role must be one of {', '.join(ROLES)}.")


@_committed
def create(username: str, role: str, password: str) -> User:
    """Add a new active account."""
    username = (username or "").strip()
    if not username or len(username) > 80:
        raise UserError("The username must be 1 to 80 characters.")
    if invisible := next((ch for ch in username if hidden(ch)), None):
        # A name is how people tell accounts apart: "ad\u200bmin" must not pass for "admin".
        raise UserError(f"The username cannot hold invisible or direction-changing characters (U+{ord(invisible):04X}).")
    _check_role(role)
    check_new_password(password)
    if db.session.execute(db.select(User.id).filter_by(username=username)).first():
        raise UserError(f"A user named {username!r} already exists.")
    user = User(username=username, role=role, active=True)
    user.set_password(password)
    db.session.add(user)
    return user


def _locked_active_admins() -> set[int]:
    """Ids of the active admins, locked until the transaction ends (PostgreSQL: FOR UPDATE; SQLite:
    the write lock), so two admins demoting each other at once cannot both see the other as spare."""
    take_sqlite_write_lock()
    return set(db.session.scalars(db.select(User.id).where(User.role == "admin", User.active.is_(True))
                                  .with_for_update()))


def _is_last_admin(user: User) -> bool:
    """Whether `user` is the only active admin, judged under the lock (the caller's copy may be stale)."""
    return _locked_active_admins() == {user.id}


@_committed
def change_role(user: User, role: str) -> None:
    """Give a user another role; the last active admin keeps theirs."""
    _check_role(role)
    if role != "admin" and _is_last_admin(user):
        raise UserError("This is the last active admin; make someone else admin first.")
    user.role = role


def end_access(user: User) -> int:
    """End every session of `user` and revoke their live API tokens, in the caller's transaction;
    returns how many tokens were revoked."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    revoked = db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                                 .values(revoked_at=utcnow()))
    return revoked.rowcount or 0


@_committed
def reset_password(user: User, password: str) -> int:
    """Set a new password: the user's sessions end and their API tokens are revoked (how many: returned)."""
    check_new_password(password)
    user.set_password(password)
    return end_access(user)


@_committed
def set_active(user: User, active: bool, acting: User | None = None) -> None:
    """Deactivate (ending sessions and revoking API tokens) or reactivate an account."""
    if not active:
        if acting is not None and acting.id == user.id:
            raise UserError("You cannot deactivate your own account.")
        if _is_last_admin(user):
            raise UserError("This is the last active admin; it cannot be deactivated.")
        end_access(user)
    user.active = active


def tokens(user: User) -> list[ApiToken]:
    """A user's API tokens, newest first."""
    return list(db.session.scalars(
        db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


@_committed
def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of a user's API tokens (revoking twice keeps the first time)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise UserError("That token does not belong to this user.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token
