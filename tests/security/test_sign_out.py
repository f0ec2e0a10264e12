"""Signing out ends the session on the server: a copy of the session cookie, or of the "stay signed
in" cookie, is worth nothing afterwards. Every session has an absolute lifetime (runtime settings),
the remember cookie a month rather than a year."""
from __future__ import annotations

import datetime as dt

from extensions import db
from services import settings
from tests.conftest import PASSWORD, login


def _sign_in(app, username="viewer", remember=False):
    client = app.test_client()
    data = {"username": username, "password": PASSWORD} | ({"remember": "y"} if remember else {})
    assert client.post("/login", data=data).status_code == 303
    return client


def _with_cookie(app, name: str, value: str):
    """A fresh browser holding only a copy of one cookie."""
    other = app.test_client()
    other.set_cookie(name, value)
    return other


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_a_copied_session_cookie_is_dead_after_sign_out(app, users):
    client = _sign_in(app)
    copy = _with_cookie(app, "session", client.get_cookie("session").value)
    assert _signed_in(copy)
    client.post("/logout")
    assert not _signed_in(copy) and not _signed_in(client)


def test_a_copied_remember_cookie_is_dead_after_sign_out(app, users):
    client = _sign_in(app, remember=True)
    copy = _with_cookie(app, "remember_token", client.get_cookie("remember_token").value)
    assert _signed_in(copy)  # the cookie alone signs a browser in, as "stay signed in" promises
    client.post("/logout")
    assert not _signed_in(copy)


def test_signing_out_one_browser_leaves_the_others_signed_in(app, users):
    desk, phone = _sign_in(app), _sign_in(app)
    desk.post("/logout")
    assert _signed_in(phone) and not _signed_in(desk)


def _age_sessions(hours: float) -> None:
    """Make every stored session `hours` older, as if that much time had passed."""
    from models import UserSession

    for row in db.session.scalars(db.select(UserSession)):
        row.created_at = row.created_at - dt.timedelta(hours=hours)
    db.session.commit()


def test_a_session_ends_at_its_absolute_lifetime_however_active(app, users):
    settings.save({"SESSION_HOURS": 8})
    client = _sign_in(app)
    _age_sessions(7.9)
    assert _signed_in(client)
    _age_sessions(0.2)
    assert not _signed_in(client)


def test_stay_signed_in_lasts_the_remember_days_and_no_longer(app, users):
    settings.save({"SESSION_HOURS": 8, "SESSION_REMEMBER_DAYS": 14})
    client = _sign_in(app, remember=True)
    cookie = client.get_cookie("remember_token")
    lifetime = cookie.expires - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(days=13, hours=23) < lifetime <= dt.timedelta(days=14)
    copy = _with_cookie(app, "remember_token", cookie.value)
    _age_sessions(24 * 13.9)
    assert _signed_in(copy)
    _age_sessions(24 * 0.2)
    assert not _signed_in(copy) and not _signed_in(client)


def test_the_lifetimes_are_bounded_settings(app):
    import pytest

    for key, bad in (("SESSION_HOURS", 0), ("SESSION_HOURS", 24 * 31), ("SESSION_REMEMBER_DAYS", 0),
                     ("SESSION_REMEMBER_DAYS", 366)):
        with pytest.raises(settings.SettingError):
            settings.save({key: bad})


def test_sign_in_after_sign_out_works(app, users):
    client = _sign_in(app)
    client.post("/logout")
    login(client, "viewer")
    assert _signed_in(client)
