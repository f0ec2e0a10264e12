"""API credentials: tokens from HTTP Basic, 401/403 everywhere they are due, session calls with CSRF."""
from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from blueprints.shared.access import ROLE_RANK, required_role
from extensions import db
from models import ApiToken
from services import tokens
from tests.api_fixtures import auth, token_for
from tests.conftest import PASSWORD


def _api_routes(app):
    """(url, method, role) for every API route that needs credentials."""
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            role = required_role(rule.endpoint, method)
            if role is not None:
                yield url, method, role


def test_the_root_tells_the_client_what_it_needs_without_credentials(client):
    response = client.get("/api/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.get_json()
    assert body["server"] == "Shelfscan" and body["version"]
    assert isinstance(body["apiVersion"], int) and body["apiVersion"] >= 206


@pytest.mark.parametrize("path", ["/api/user/token/", "/api/user/me/token/"])
def test_basic_auth_gets_a_named_token_that_then_works(client, users, path):
    response = client.get(f"{path}?name=scanner-3", auth=("operator", PASSWORD))
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "scanner-3" and dt.date.fromisoformat(body["expiry"]) > dt.date.today()
    stored = db.session.execute(db.select(ApiToken)).scalar_one()
    assert stored.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in (stored.token_hash, stored.name)
    me = client.get("/api/user/me/", headers=auth(body["token"]))
    assert me.status_code == 200 and me.get_json()["username"] == "operator"
    assert me.get_json()["pk"] == users["operator"].id
    assert "Set-Cookie" not in me.headers  # token calls are stateless: no session is started


def test_basic_auth_with_a_wrong_password_is_refused(client, users):
    response = client.get("/api/user/token/", auth=("operator", "nope"))
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json"
    assert "detail" in response.get_json()
    assert db.session.execute(db.select(ApiToken)).first() is None


def test_basic_auth_is_only_for_the_token_routes(client, users):
    response = client.post("/api/barcode/", json={"barcode": "x"}, auth=("admin", PASSWORD))
    assert response.status_code == 401 and "Token" in response.get_json()["detail"]


def test_every_api_route_refuses_callers_without_credentials(app, client):
    checked = 0
    for url, method, _role in _api_routes(app):
        response = client.open(url, method=method, json={})
        assert response.status_code == 401, (url, method, response.status_code)
        assert response.headers["Content-Type"] == "application/json"
        assert response.get_json()["detail"]
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_roles_below_an_api_route_get_403(app, client, users, role):
    token = token_for(users[role])
    refused = 0
    for url, method, needed in _api_routes(app):
        if ROLE_RANK[needed] <= ROLE_RANK[role]:
            continue
        response = client.open(url, method=method, json={}, headers=auth(token))
        assert response.status_code == 403, (url, method, response.status_code)
        assert "role" in response.get_json()["detail"]
        refused += 1
    assert refused >= (1 if role == "operator" else 3)


def test_bad_revoked_and_expired_tokens_are_refused(client, users):
    assert client.get("/api/user/me/", headers=auth("sst-made-up")).status_code == 401
    row, plain = tokens.create(users["viewer"], "laptop")
    db.session.commit()
    assert client.get("/api/user/me/", headers=auth(plain)).status_code == 200
    tokens.expire(row.id)
    db.session.commit()
    assert client.get("/api/user/me/", headers=auth(plain)).status_code == 401
    row2, plain2 = tokens.create(users["viewer"], "phone")
    tokens.revoke(row2.id)
    db.session.commit()
    assert client.get("/api/user/me/", headers=auth(plain2)).status_code == 401


def test_a_deactivated_users_tokens_stop_working(client, users):
    token = token_for(users["operator"])
    users["operator"].active = False
    db.session.commit()
    response = client.get("/api/part/", headers=auth(token))
    assert response.status_code == 401


def test_an_unknown_scheme_is_refused(client, users):
    response = client.get("/api/user/me/", headers={"Authorization": "Digest abc"})
    assert response.status_code == 401


def test_the_web_ui_session_works_for_reads(viewer_client):
    response = viewer_client.get("/api/user/me/")
    assert response.status_code == 200 and response.get_json()["username"] == "viewer"


def test_session_writes_need_the_csrf_header(app, operator_client):
    app.config["WTF_CSRF_ENABLED"] = True
    page = operator_client.get("/").get_data(as_text=True)
    csrf_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    refused = operator_client.post("/api/barcode/generate/", json={"model": "part", "pk": 1})
    assert refused.status_code == 403 and "CSRF" in refused.get_json()["detail"]
    accepted = operator_client.post("/api/barcode/generate/", json={"model": "part", "pk": 1},
                                    headers={"X-CSRFToken": csrf_token})
    assert accepted.status_code == 404  # past the CSRF check: there is no part 1


def test_token_calls_need_no_csrf_token(app, client, users):
    app.config["WTF_CSRF_ENABLED"] = True
    token = token_for(users["operator"])
    response = client.post("/api/barcode/", json={"barcode": "nothing-here"}, headers=auth(token))
    assert response.status_code == 400 and response.get_json()["error"] == "No match found for barcode data"


def test_tokens_service_refuses_bad_names_and_past_expiry(users):
    with pytest.raises(tokens.TokenError):
        tokens.create(users["viewer"], "   ")
    with pytest.raises(tokens.TokenError):
        tokens.create(users["viewer"], "old", expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))


def test_guessing_passwords_over_basic_auth_is_throttled_with_json(client, users):
    statuses = [client.get("/api/user/token/", auth=("operator", f"guess-{n}")).status_code for n in range(30)]
    assert 429 in statuses and set(statuses) <= {401, 429}
    locked = client.get("/api/user/token/", auth=("operator", PASSWORD))
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert locked.headers["Content-Type"] == "application/json" and locked.get_json()["detail"]
