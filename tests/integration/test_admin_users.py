"""Accounts in the admin area: create, role, password, deactivate, API tokens."""
from __future__ import annotations

import datetime as dt

import pytest

from extensions import db
from models import ApiToken, User, utcnow
from services import sessions, tokens
from services import users as user_service
from tests.conftest import PASSWORD, login


def _user(name: str) -> User:
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(username=name)).scalar_one()


def test_create_a_user_who_can_then_sign_in(app, admin_client):
    response = admin_client.post("/admin/users", data={"username": "dana", "role": "operator", "password": "long password 1"})
    assert response.status_code == 303
    assert _user("dana").role == "operator"
    login(app.test_client(), "dana", "long password 1")


@pytest.mark.parametrize("data, message", [
    ({"username": "admin", "role": "viewer", "password": "long password 1"}, "already exists"),
    ({"username": "eve", "role": "root", "password": "long password 1"}, "Not a valid choice"),
    ({"username": "eve", "role": "viewer", "password": "short"}, "between 8 and 200"),
    ({"username": "", "role": "viewer", "password": "long password 1"}, "This field is required"),
])
def test_bad_new_users_get_field_messages(admin_client, data, message):
    response = admin_client.post("/admin/users", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 3


def test_change_role(admin_client, users):
    assert admin_client.post(f"/admin/users/{users['viewer'].id}/role", data={"role": "operator"}).status_code == 303
    assert _user("viewer").role == "operator"


def test_the_last_admin_keeps_the_role_and_stays_active(admin_client, users):
    response = admin_client.post(f"/admin/users/{users['admin'].id}/role", data={"role": "viewer"})
    assert response.status_code == 422 and "last active admin" in response.get_data(as_text=True)
    response = admin_client.post(f"/admin/users/{users['admin'].id}/deactivate")
    assert response.status_code == 422 and "your own account" in response.get_data(as_text=True)
    assert _user("admin").role == "admin" and _user("admin").active


def test_reset_password_ends_the_users_sessions(app, admin_client, client_for, users):
    operator = client_for("operator")
    assert operator.get("/").status_code == 200
    response = admin_client.post(f"/admin/users/{users['operator'].id}/password", data={"password": "brand new secret"})
    assert response.status_code == 303
    assert operator.get("/").status_code == 302  # the old session is over
    login(app.test_client(), "operator", "brand new secret")


def test_deactivate_ends_sessions_revokes_tokens_and_blocks_sign_in(app, admin_client, client_for, users):
    operator = client_for("operator")
    token = ApiToken(user_id=users["operator"].id, name="scanner", token_hash="b" * 64)
    db.session.add(token)
    db.session.commit()
    assert admin_client.post(f"/admin/users/{users['operator'].id}/deactivate").status_code == 303
    assert operator.get("/").status_code == 302
    response = app.test_client().post("/login", data={"username": "operator", "password": PASSWORD})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert admin_client.post(f"/admin/users/{users['operator'].id}/activate").status_code == 303
    login(app.test_client(), "operator")


def test_tokens_are_listed_and_revoked(admin_client, users):
    owner = users["operator"]
    valid = ApiToken(user_id=owner.id, name="line scanner <1>", token_hash="c" * 64)
    old = ApiToken(user_id=owner.id, name="old", token_hash="d" * 64, expires_at=utcnow() - dt.timedelta(days=1))
    foreign = ApiToken(user_id=users["viewer"].id, name="not yours", token_hash="e" * 64)
    db.session.add_all([valid, old, foreign])
    db.session.commit()
    html = admin_client.get(f"/admin/users/{owner.id}").get_data(as_text=True)
    assert "line scanner &lt;1&gt;" in html and "expired" in html and "not yours" not in html
    response = admin_client.post(f"/admin/users/{owner.id}/tokens/{valid.id}/revoke")
    assert response.status_code == 303
    refused = admin_client.post(f"/admin/users/{owner.id}/tokens/{foreign.id}/revoke")
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(ApiToken, valid.id).revoked_at is not None
    assert db.session.get(ApiToken, foreign.id).revoked_at is None
    assert "revoked" in admin_client.get(f"/admin/users/{owner.id}").get_data(as_text=True)


def test_unknown_user_is_a_404(admin_client):
    assert admin_client.get("/admin/users/9999").status_code == 404
    assert admin_client.post("/admin/users/9999/role", data={"role": "viewer"}).status_code == 404


def test_service_rules_without_http(app, users):
    with pytest.raises(user_service.UserError):
        user_service.reset_password(users["viewer"], "short")
    second = user_service.create("second-admin", "admin", "long password 2")
    user_service.change_role(users["admin"], "operator")  # another admin exists now
    assert users["admin"].role == "operator" and second.role == "admin"
    sessions.start(users["viewer"], remember=False)
    tokens.create(users["viewer"], "scanner")
    user_service.set_active(users["viewer"], False, acting=second)
    assert not users["viewer"].active and sessions.count(users["viewer"].id) == 0
    assert all(token.revoked_at for token in user_service.tokens(users["viewer"]))
