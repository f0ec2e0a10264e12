"""API tokens end with the password that made them; a token needs the password itself (HTTP Basic or
the account page), never just a session cookie; people see, make and revoke their own tokens and
change their own password."""
from __future__ import annotations

import re

from extensions import db
from models import ApiToken, User
from tests.conftest import PASSWORD, login

NEW = "a brand new password"


def _basic_token(client, username="operator", password=PASSWORD) -> str:
    response = client.get("/api/user/token/?name=scanner", auth=(username, password))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def _works(app, token: str) -> bool:
    return app.test_client().get("/api/user/me/", headers={"Authorization": f"Token {token}"}).status_code == 200


def _page_token(client, password=PASSWORD, name="bench") -> str:
    response = client.post("/account/tokens", data={"name": name, "password": password})
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    return re.search(r'id="new-token">(sst-[\w-]+)<', response.get_data(as_text=True)).group(1)


def test_tokens_stop_working_when_an_admin_resets_the_password(app, users, client_for):
    basic = _basic_token(app.test_client())
    from_page = _page_token(client_for("operator"))
    assert _works(app, basic) and _works(app, from_page)
    admin = client_for("admin")
    form = admin.get(f"/admin/users/{users['operator'].id}").get_data(as_text=True)
    assert "revokes their API tokens" in form
    assert admin.post(f"/admin/users/{users['operator'].id}/password", data={"password": NEW}).status_code == 303
    assert not _works(app, basic) and not _works(app, from_page)


def test_a_session_cookie_alone_cannot_make_a_token(app, users, client_for):
    session = client_for("viewer")
    for path in ("/api/user/token/?name=x", "/api/user/me/token/?name=x"):
        response = session.get(path)
        assert response.status_code == 403 and "needs the password" in response.get_json()["detail"]
    assert db.session.execute(db.select(ApiToken)).first() is None


def test_a_token_cannot_make_another_token(app, users):
    token = _basic_token(app.test_client())
    response = app.test_client().get("/api/user/token/?name=x", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == 1


def test_the_account_page_makes_a_token_only_with_the_password(app, users, client_for):
    client = client_for("viewer")
    wrong = client.post("/account/tokens", data={"name": "bench", "password": "not it"})
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    assert db.session.execute(db.select(ApiToken)).first() is None
    token = _page_token(client)
    assert _works(app, token)
    assert token not in client.get("/account").get_data(as_text=True)  # shown once only


def test_people_see_and_revoke_their_own_tokens_only(app, users, client_for):
    mine = _basic_token(app.test_client(), "viewer")
    theirs = _basic_token(app.test_client(), "operator")
    client = client_for("viewer")
    page = client.get("/account").get_data(as_text=True)
    assert "scanner" in page and page.count("Revoke</button>") == 1
    own_id, other_id = (db.session.scalar(db.select(ApiToken.id).join(User).where(User.username == name))
                        for name in ("viewer", "operator"))
    assert client.post(f"/account/tokens/{other_id}/revoke").status_code == 404
    assert _works(app, theirs)
    assert client.post(f"/account/tokens/{own_id}/revoke").status_code == 303
    assert not _works(app, mine)
    assert "revoked" in client.get("/account").get_data(as_text=True)


def test_changing_ones_own_password_revokes_tokens_and_other_sessions_only(app, users, client_for):
    token = _basic_token(app.test_client(), "viewer")
    here, elsewhere = client_for("viewer"), client_for("viewer")
    page = here.get("/account").get_data(as_text=True)
    assert "revokes all your API tokens" in page and "signs you out on every other device" in page
    response = here.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert response.status_code == 303
    assert "API tokens revoked: 1" in here.get("/account").get_data(as_text=True)
    assert here.get("/").status_code == 200  # this browser stays signed in
    assert elsewhere.get("/").status_code == 302
    assert not _works(app, token)
    login(app.test_client(), "viewer", NEW)


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failed_sign_in(app, users, client_for):
    client = client_for("viewer")
    for _ in range(5):
        response = client.post("/account/password", data={"current": "guess", "new": NEW, "confirm": NEW})
        assert response.status_code == 422 and "not your current password" in response.get_data(as_text=True)
    throttled = client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert throttled.status_code == 429
    mismatch = client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW + "x"})
    assert mismatch.status_code == 422 and "The two new passwords differ." in mismatch.get_data(as_text=True)
    elsewhere = app.test_client().post("/login", data={"username": "viewer", "password": PASSWORD},
                                       environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert elsewhere.status_code == 303  # the old password still stands


def test_sign_out_everywhere_else(app, users, client_for):
    here, elsewhere = client_for("operator"), client_for("operator")
    assert "1 other device" in here.get("/account").get_data(as_text=True)
    assert here.post("/account/sessions/end-others").status_code == 303
    assert here.get("/").status_code == 200 and elsewhere.get("/").status_code == 302


def test_the_account_page_is_in_the_navbar_for_every_role(client_for):
    for role in ("viewer", "operator", "admin"):
        assert 'href="/account"' in client_for(role).get("/").get_data(as_text=True)
