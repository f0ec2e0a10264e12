"""Checking a username and password, behind the sign-in rate limit (services/ratelimit.py).

Every password check goes through `authenticate` (the login form and the API's Basic auth alike), so
the rate limit cannot be side-stepped by guessing through another door.
"""
from __future__ import annotations

from werkzeug.exceptions import TooManyRequests
from werkzeug.security import check_password_hash

from extensions import db
from models import User
from services import ratelimit

# A fixed hash to check against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = "scrypt:32768:8:1$aaaaaaaaaaaaaaaa$" + "0" * 128


class SignInThrottled(TooManyRequests):
    """Too many failed sign-ins for this username or address; says how long to wait.

    An HTTP 429 itself, so the API answers it as such wherever it surfaces."""

    def __init__(self, wait: int):
        super().__init__(f"Too many failed sign-ins; try again in {_minutes(wait)}.", retry_after=wait)
        self.wait = wait


def authenticate(username: str, password: str, address: str | None) -> User | None:
    """The active user with this username and password, or None; raises SignInThrottled when locked."""
    keys = ratelimit.login_keys(username, address)
    wait = ratelimit.retry_after(keys)
    if wait:
        # The same answer whether or not the user exists, and the password is not even checked.
        raise SignInThrottled(wait)
    user = _check_password(username, password)
    if user is None:
        ratelimit.record_failure(keys)
    else:
        ratelimit.clear(keys["user"])
    return user


def _check_password(username: str, password: str) -> User | None:
    """The active user with this username and password, or None, in the same time either way."""
    user = db.session.execute(db.select(User).filter_by(username=username.strip())).scalar_one_or_none()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def _minutes(seconds: int) -> str:
    """'1 minute' or 'N minutes', rounded up."""
    minutes = max(1, -(-seconds // 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
