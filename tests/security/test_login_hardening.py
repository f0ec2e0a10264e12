"""Sign-in hardening: rate limits per account and address, no user enumeration, sessions that end."""
from __future__ import annotations

import datetime as dt
import re

from werkzeug.security import generate_password_hash

from services.sign_in import _DUMMY_HASH
from extensions import db
from models import LoginFailure, User
from services import ratelimit
from services import users as user_service
from tests.conftest import PASSWORD, login

WRONG = "not the password"


def _attempt(client, username, password=WRONG, address="10.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_five_wrong_passwords_lock_the_account_from_that_address_for_a_while(client, users):
    for _ in range(5):
        assert _attempt(client, "operator").status_code == 422
    locked = _attempt(client, "operator", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins; try again in 15 minutes." in locked.get_data(as_text=True)
    assert 800 < int(locked.headers["Retry-After"]) <= 900
    # Other accounts are unaffected, from there too (the owner elsewhere: test_sign_in_throttle.py).
    assert _attempt(client, "viewer", PASSWORD).status_code == 303


def test_the_account_lock_ignores_case_and_spaces(client, users):
    for name in ("Operator", "OPERATOR", " operator", "operator ", "operator"):
        _attempt(client, name)
    assert _attempt(client, "operator", PASSWORD).status_code == 429


def test_many_failures_from_one_address_lock_that_address(client, users):
    for n in range(20):
        assert _attempt(client, f"guess{n}", address="10.0.0.66").status_code == 422
    refused = _attempt(client, "viewer", PASSWORD, address="10.0.0.66")
    assert refused.status_code == 429
    assert _attempt(client, "viewer", PASSWORD, address="10.0.0.67").status_code == 303


def test_a_locked_unknown_user_looks_like_a_locked_real_one(client, users):
    locked = {}
    for name in ("operator", "nobody"):
        answers = [_attempt(client, name, address="10.1.0.1") for n in range(6)]
        assert [a.status_code for a in answers] == [422] * 5 + [429]
        # The CSRF token carries the second it was made in; nothing else may differ.
        locked[name] = re.sub(r"[\w.-]{40,}", "TOKEN", answers[-1].get_data(as_text=True)).replace(name, "X")
    assert locked["operator"] == locked["nobody"]


def test_success_clears_the_account_count(client, users):
    for _ in range(4):
        _attempt(client, "operator")
    assert _attempt(client, "operator", PASSWORD).status_code == 303
    client.post("/logout")
    for _ in range(4):
        assert _attempt(client, "operator").status_code == 422
    assert _attempt(client, "operator", PASSWORD).status_code == 303


def test_lock_lifts_when_the_window_has_passed(app, users):
    keys = ratelimit.login_keys("operator", "10.0.0.1")
    for _ in range(5):
        ratelimit.reserve(keys)
    now = dt.datetime.now(dt.timezone.utc)
    assert 0 < ratelimit.retry_after(keys, now) <= 900
    assert ratelimit.retry_after(keys, now + dt.timedelta(seconds=901)) == 0


def test_old_failures_are_pruned(app, users):
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2)
    db.session.add_all(LoginFailure(key="user:someone", created_at=old) for _ in range(50))
    db.session.commit()
    ratelimit.reserve(ratelimit.login_keys("x", "1.2.3.4"))
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginFailure)) == 3  # pair, user, address


def test_unknown_users_cost_the_same_hash_work_as_real_ones(app, users):
    """The dummy hash uses the same scheme and cost as real passwords, so timing reveals nothing."""
    stored = users["viewer"].password_hash
    assert stored.startswith("scrypt:")
    assert stored.split("$")[0] == _DUMMY_HASH.split("$")[0] == generate_password_hash("x", "scrypt").split("$")[0]


def test_same_message_for_unknown_user_wrong_password_and_inactive_account(client, users):
    users["admin"].active = False
    db.session.commit()
    bodies = [_attempt(client, name, pw, address=f"10.3.0.{n}")
              for n, (name, pw) in enumerate([("viewer", WRONG), ("ghost", WRONG), ("admin", PASSWORD)])]
    assert {b.status_code for b in bodies} == {422}
    assert all("Unknown username or wrong password." in b.get_data(as_text=True) for b in bodies)


def test_deactivation_ends_existing_sessions(client, users):
    login(client, "operator")
    assert client.get("/").status_code == 200
    users["operator"].active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_password_change_ends_sessions_everywhere_but_allows_the_new_password(app, users):
    first, second = app.test_client(), app.test_client()
    login(first, "viewer")
    login(second, "viewer")
    user_service.reset_password(db.session.get(User, users["viewer"].id), "a brand new password")
    assert first.get("/").status_code == 302 and second.get("/").status_code == 302
    login(first, "viewer", "a brand new password")
    assert first.get("/").status_code == 200


def test_a_forged_session_id_gets_nowhere(app, users):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{users['admin'].id}:1"
    assert client.get("/").status_code == 302
    with client.session_transaction() as session:
        session["_user_id"] = "1 OR 1=1"
    assert client.get("/").status_code == 302


def test_sign_in_starts_a_fresh_session(app, users):
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, "viewer")
    with client.session_transaction() as session:
        assert "planted" not in session



def test_htmx_sign_in_answers_fragments_for_errors_and_lockout(client, users):
    """The login form posts with htmx: errors and the lockout come back as the form, never a 500."""
    hx = {"HX-Request": "true"}
    wrong = client.post("/login", data={"username": "viewer", "password": WRONG}, headers=hx)
    assert wrong.status_code == 422
    body = wrong.get_data(as_text=True)
    assert "Unknown username or wrong password." in body and "<html" not in body
    for _ in range(4):
        client.post("/login", data={"username": "viewer", "password": WRONG}, headers=hx)
    locked = client.post("/login", data={"username": "viewer", "password": PASSWORD}, headers=hx)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)
