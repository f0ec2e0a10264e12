"""Checking a username and password, behind the sign-in throttle (services/ratelimit.py).

Every password check goes through `authenticate` (the login form, the API's Basic auth, a password
asked again on the account page), so the throttle cannot be side-stepped through another door.
A browser that signed in before proves it with a device cookie (`device_cookie`), which lets its
owner in while strangers' guesses have the account locked elsewhere.
"""
from __future__ import annotations

import secrets

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.exceptions import TooManyRequests
from werkzeug.security import check_password_hash

from extensions import db
from models import User
from services import ratelimit

# A fixed hash to check against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = "scrypt:32768:8:1$aaaaaaaaaaaaaaaa$" + "0" * 128
DEVICE_COOKIE = "shelfscan_device"
DEVICE_DAYS = 365


class SignInThrottled(TooManyRequests):
    """Too many failed sign-ins for this username or address; says how long to wait.

    An HTTP 429 itself, so the API answers it as such wherever it surfaces."""

    def __init__(self, wait: int):
        super().__init__(f"Too many failed sign-ins; try again in {_minutes(wait)}.", retry_after=wait)
        self.wait = wait


def authenticate(username: str, password: str, address: str | None, device: str | None = None) -> User | None:
    """The active user with this username and password, or None; raises SignInThrottled when locked.

    `device` is the nonce of a device cookie already checked for this username (`device_for`)."""
    candidates = [ratelimit.login_keys(username, address)]
    if device:
        candidates.insert(0, ratelimit.login_keys(username, address, device))  # a locked device: as a stranger
    for keys in candidates:
        wait, reserved = ratelimit.reserve(keys)
        if not wait:
            break
    else:
        # The same answer whether or not the user exists, and the password is not even checked.
        raise SignInThrottled(wait)
    user = _check_password(username, password)
    if user is not None:
        ratelimit.succeeded(reserved, forget=keys.get("device") or keys["pair"])
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


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="shelfscan-sign-in-device")


def device_cookie(user: User) -> str:
    """A new device cookie value for a browser that just signed in as `user` (signed, not secret)."""
    return _serializer().dumps({"u": user.username.lower(), "n": secrets.token_urlsafe(16)})


def device_for(cookie: str | None, username: str) -> str | None:
    """The device nonce of a valid cookie issued for this username, or None."""
    if not cookie or len(cookie) > 500:
        return None
    try:
        data = _serializer().loads(cookie, max_age=DEVICE_DAYS * 86400)
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("u") != username.strip().lower() or not isinstance(data.get("n"), str):
        return None
    return data["n"]


def _minutes(seconds: int) -> str:
    """'1 minute' or 'N minutes', rounded up."""
    minutes = max(1, -(-seconds // 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
