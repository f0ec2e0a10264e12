"""Every route in app.url_map x every role (anonymous, viewer, operator, admin) gets the expected
answer, on real objects with id 1; every unsafe request without a CSRF token is refused."""
from __future__ import annotations

import pytest
from blueprints.shared.access import ROLE_RANK, required_role
from extensions import db
from tests.security.routes import argument_value
from tests.security.seed import seed_one_of_everything

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
# The only routes anyone may reach without signing in. A new entry here must be a decision.
# The web app manifest and the service worker hold no data, and browsers fetch the manifest without
# cookies (blueprints/app_shell.py).
PUBLIC = {("auth.login", "GET"), ("auth.login", "POST"), ("auth.logout", "POST"), ("home.healthz", "GET"),
          ("static", "GET"), ("api.root", "GET"), ("api.schema", "GET"),
          ("app_shell.manifest", "GET"), ("app_shell.service_worker", "GET")}
# Routes whose effect would end the sweep's own session; they are swept very last.
LAST = {"auth.logout"}


def routes(app):
    """(endpoint, method, url) for every route, with real ids in the URL, logout last."""
    found = []
    for rule in app.url_map.iter_rules():
        url = rule.build({name: argument_value(rule, name) for name in rule.arguments})[1]
        for method in sorted((rule.methods or set()) & METHODS):
            found.append((rule.endpoint, method, url))
    # Admin writes (settings, users) may switch features off for the routes after them: sweep them late.
    return sorted(found, key=lambda r: (r[0] in LAST, r[0].startswith("admin.") and r[1] != "GET"))


def _is_api(endpoint: str) -> bool:
    return endpoint.split(".")[0] == "api"


@pytest.fixture
def seeded(app, users):
    """One object of every kind, each with id 1."""
    seed_one_of_everything(users["operator"])
    return users


def test_public_routes_are_exactly_the_intended_ones(app):
    with app.test_request_context():
        public = {(endpoint, method) for endpoint, method, _ in routes(app) if required_role(endpoint, method) is None}
    assert public == PUBLIC


def test_anonymous_users_get_login_or_401_everywhere(app, client, seeded):
    checked = 0
    for endpoint, method, url in routes(app):
        with app.test_request_context():
            needed = required_role(endpoint, method)
        response = client.open(url, method=method)
        if needed is None:
            assert response.status_code < 500, (url, method, response.status_code)
        elif _is_api(endpoint):
            assert response.status_code == 401, (url, method, response.status_code)
            assert response.is_json and response.get_json()["detail"]
        else:
            assert response.status_code == 302 and "/login" in response.headers["Location"], (url, method)
            hx = client.open(url, method=method, headers={"HX-Request": "true"})
            assert hx.status_code == 401 and "/login" in hx.headers["HX-Redirect"], (url, method)
        checked += 1
    assert checked > 50


@pytest.mark.slow
@pytest.mark.parametrize("role", ["viewer", "operator", "admin"])
def test_each_role_gets_exactly_what_it_may(app, client_for, seeded, role):
    """Below the route's role: 403. At or above: the route works (no 401/403) and never 500s."""
    client = client_for(role)
    token = _token_for(seeded[role])
    for endpoint, method, url in routes(app):
        with app.test_request_context():
            needed = required_role(endpoint, method)
        allowed = needed is None or ROLE_RANK[role] >= ROLE_RANK[needed]
        callers = [("session", client, {})]
        if _is_api(endpoint):
            callers.append(("token", app.test_client(), {"Authorization": f"Token {token}"}))
        for how, caller, headers in callers:
            response = caller.open(url, method=method, headers=headers)
            where = (role, how, method, url, response.status_code)
            assert response.status_code < 500, where
            if allowed:
                assert response.status_code not in (401, 403), where
            else:
                assert response.status_code == 403, where
        db.session.rollback()


def _token_for(user) -> str:
    from services import tokens

    _, plain = tokens.create(user, "sweep")
    db.session.commit()
    return plain


def test_every_unsafe_request_without_csrf_is_refused(app, client_for, seeded):
    """Forms and htmx requests alike; the API refuses session-cookie writes without X-CSRFToken."""
    client = client_for("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    refused = 0
    for endpoint, method, url in routes(app):
        if method == "GET" or (endpoint, method) in PUBLIC - {("auth.login", "POST"), ("auth.logout", "POST")}:
            continue
        for headers in ({}, {"HX-Request": "true"}, {"HX-Request": "true", "X-CSRFToken": "forged"}):
            response = client.open(url, method=method, data={"x": "1"}, headers=headers)
            where = (method, url, headers, response.status_code)
            if _is_api(endpoint):
                assert response.status_code == 403 and "CSRF" in response.get_json()["detail"], where
            else:
                assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True), where
            refused += 1
    assert refused > 30


def test_a_csrf_token_from_another_session_is_refused(app, client_for, seeded):
    victim, attacker = client_for("operator"), client_for("viewer")
    app.config["WTF_CSRF_ENABLED"] = True
    page = attacker.get("/").get_data(as_text=True)
    stolen = page.split('"X-CSRFToken": "')[1].split('"')[0]
    response = victim.post("/scan", data={"barcode": "x", "csrf_token": stolen}, headers={"X-CSRFToken": stolen})
    assert response.status_code == 400
