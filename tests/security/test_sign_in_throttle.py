"""The sign-in throttle stops guessing without locking out the people it protects: the owner on a
browser that signed in before, the owner elsewhere, and everyone behind a NAT address someone else
is guessing from. `flask --app app unlock NAME` lifts a lock at once."""
from __future__ import annotations

from extensions import db
from models import LoginFailure
from services import sign_in
from tests.conftest import PASSWORD

WRONG = "not the password"


def _attempt(client, username, password=WRONG, address="10.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def _known_browser(app, username, address="10.0.0.1"):
    """A browser that has signed in as `username` before (and signed out again)."""
    browser = app.test_client()
    assert _attempt(browser, username, PASSWORD, address).status_code == 303
    browser.post("/logout")
    return browser


def test_guesses_from_one_address_do_not_lock_the_owner_out_elsewhere(client, users):
    for _ in range(5):
        _attempt(client, "operator", address="203.0.113.9")
    assert _attempt(client, "operator", PASSWORD, address="203.0.113.9").status_code == 429
    assert _attempt(client, "operator", PASSWORD, address="10.0.0.1").status_code == 303


def test_guesses_spread_over_addresses_lock_new_browsers_but_not_the_owners(app, client, users):
    owner = _known_browser(app, "operator")
    for n in range(10):
        _attempt(client, "operator", address=f"203.0.113.{n}")
    stranger = _attempt(app.test_client(), "operator", PASSWORD, address="198.51.100.1")
    assert stranger.status_code == 429  # the account-wide limit still stops a botnet
    assert _attempt(owner, "operator", PASSWORD).status_code == 303
    # Even from an address the guessing came from.
    assert _attempt(_known_browser(app, "viewer"), "viewer", PASSWORD, "203.0.113.1").status_code == 303


def test_people_behind_a_guessing_nat_get_in_from_their_own_browsers(app, client, users):
    colleague = _known_browser(app, "viewer", address="192.0.2.50")
    for n in range(20):
        _attempt(client, f"guess{n}", address="192.0.2.50")
    assert _attempt(app.test_client(), "viewer", PASSWORD, "192.0.2.50").status_code == 429
    assert _attempt(colleague, "viewer", PASSWORD, "192.0.2.50").status_code == 303


def test_a_known_browser_gets_five_tries_then_counts_as_a_stranger(app, users):
    browser = _known_browser(app, "operator")
    for _ in range(10):
        assert _attempt(browser, "operator").status_code == 422
    assert _attempt(browser, "operator", PASSWORD).status_code == 429
    assert _attempt(app.test_client(), "operator", PASSWORD, address="10.7.7.7").status_code == 303


def test_the_device_cookie_is_bound_to_its_account_and_cannot_be_forged(app, users):
    with app.test_request_context():
        cookie = sign_in.device_cookie(users["viewer"])
        assert sign_in.device_for(cookie, " Viewer ") is not None
        assert sign_in.device_for(cookie, "operator") is None
        assert sign_in.device_for(cookie[:-2] + "xx", "viewer") is None
        assert sign_in.device_for("garbage", "viewer") is None


def test_the_device_cookie_only_travels_to_the_login_page(app, users):
    response = app.test_client().post("/login", data={"username": "viewer", "password": PASSWORD})
    device = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(sign_in.DEVICE_COOKIE + "="))
    assert "Path=/login" in device and "HttpOnly" in device and "SameSite=Strict" in device


def test_unlock_lifts_the_lock_of_an_account(client, runner, users):
    for _ in range(5):
        _attempt(client, "operator", address="10.0.0.1")
    assert _attempt(client, "operator", PASSWORD).status_code == 429
    result = runner.invoke(args=["unlock", "Operator"])
    assert result.exit_code == 0 and "operator" in result.output and "5 failed sign-ins" in result.output
    assert _attempt(client, "operator", PASSWORD).status_code == 303


def test_unlock_by_address_and_for_nothing_to_unlock(client, runner, users):
    for n in range(20):
        _attempt(client, f"guess{n}", address="192.0.2.7")
    assert _attempt(client, "viewer", PASSWORD, "192.0.2.7").status_code == 429
    result = runner.invoke(args=["unlock", "--address", "192.0.2.7"])
    assert result.exit_code == 0, result.output
    assert _attempt(client, "viewer", PASSWORD, "192.0.2.7").status_code == 303
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginFailure)) == 20  # the guesses' accounts
    nothing = runner.invoke(args=["unlock", "nobody-at-all"])
    assert nothing.exit_code == 0 and "no failed sign-ins" in nothing.output
    assert runner.invoke(args=["unlock"]).exit_code != 0
