"""`flask --app app reset-password NAME` for a lost password, and `flask --app app unlock NAME`."""
from __future__ import annotations

from extensions import db
from models import ApiToken
from services import tokens
from tests.conftest import PASSWORD, login


def _signs_in(app, username: str, password: str) -> bool:
    return app.test_client().post("/login", data={"username": username, "password": password}).status_code == 303


def test_reset_password_sets_the_new_one_and_ends_everything_the_old_one_gave(app, runner, users):
    browser = login(app.test_client(), "admin")
    _, plain = tokens.create(users["admin"], "scanner")
    result = runner.invoke(args=["reset-password", "admin", "--password", "a-new-password-1"])
    assert result.exit_code == 0, result.output
    assert result.output == "New password for 'admin' set.\nSigned out everywhere; API tokens revoked: 1.\n"
    assert _signs_in(app, "admin", "a-new-password-1") and not _signs_in(app, "admin", PASSWORD)
    assert browser.get("/").status_code == 302
    assert app.test_client().get("/api/user/me/", headers={"Authorization": f"Token {plain}"}).status_code == 401


def test_reset_password_makes_one_up_when_not_given(app, runner, users):
    result = runner.invoke(args=["reset-password", "viewer"])
    assert result.exit_code == 0, result.output
    made_up = result.output.splitlines()[0].rpartition(": ")[2]
    assert len(made_up) >= 12 and _signs_in(app, "viewer", made_up)


def test_reset_password_refuses_unknown_users_and_short_passwords(app, runner, users):
    unknown = runner.invoke(args=["reset-password", "nobody", "--password", "long enough 1"])
    assert unknown.exit_code != 0 and "There is no user named 'nobody'" in unknown.output
    short = runner.invoke(args=["reset-password", "viewer", "--password", "short"])
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    assert _signs_in(app, "viewer", PASSWORD)
    assert db.session.execute(db.select(ApiToken)).first() is None
