"""A sweep over every route: login required, roles enforced, CSRF on every POST."""
from __future__ import annotations

import re

import pytest

from blueprints.shared.access import ROLE_RANK, required_role

# Routes that authenticate themselves (token or Basic auth) and are swept in the API's own tests.
SKIP_BLUEPRINTS = {"api"}
# The only writes a viewer may make: read-only lookups (scan to navigate; they add a scan-log row),
# changes to their own account (password, API tokens, other sessions), and printing, which posts
# because a long selection does not fit in a URL (a job keeps its PDF an hour, capped).
VIEWER_WRITES = {"scan.submit", "scan.submit_image", "account.change_password", "account.create_token",
                 "account.revoke_token", "account.end_other_sessions", "labels.preview", "labels.print_pdf",
                 "labels.print_zpl", "labels.start_job", "labels.pick_list", "labels.pick_list_pdf"}


def _url(rule) -> str:
    """A concrete URL for a rule, with 1 for every argument."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)


def _routes(app, methods):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.split(".")[0] in SKIP_BLUEPRINTS:
            continue
        for method in sorted((rule.methods or set()) & methods):
            yield rule, method


def test_anonymous_users_are_sent_to_login_everywhere(app, client):
    checked = 0
    for rule, method in _routes(app, {"GET", "POST", "PUT", "DELETE", "PATCH"}):
        if required_role(rule.endpoint, method) is None:
            continue
        response = client.open(_url(rule), method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (rule.rule, method)
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_roles_below_the_route_get_403(app, client_for, role):
    test_client = client_for(role)
    refused = 0
    for rule, method in _routes(app, {"GET", "POST", "PUT", "DELETE", "PATCH"}):
        needed = required_role(rule.endpoint, method)
        if needed is None or ROLE_RANK[needed] <= ROLE_RANK[role]:
            continue
        response = test_client.open(_url(rule), method=method)
        assert response.status_code == 403, (rule.rule, method, response.status_code)
        refused += 1
    if role == "viewer":
        # A viewer may change nothing: every non-public write is refused.
        writes = [r for r, m in _routes(app, {"POST", "PUT", "DELETE", "PATCH"}) if required_role(r.endpoint, m)]
        allowed = {r.endpoint for r in writes if required_role(r.endpoint, "POST") == "viewer"}
        assert allowed <= VIEWER_WRITES, allowed - VIEWER_WRITES
        assert refused >= len(writes) - len(allowed)


def test_viewer_can_read_every_page(app, client_for):
    test_client = client_for("viewer")
    for rule, method in _routes(app, {"GET"}):
        needed = required_role(rule.endpoint, method)
        if needed != "viewer":
            continue
        response = test_client.get(_url(rule))
        assert response.status_code < 500, (rule.rule, response.status_code)
        assert response.status_code != 403, rule.rule


def test_every_post_needs_a_csrf_token(app, client_for):
    test_client = client_for("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    posts = 0
    for rule, method in _routes(app, {"POST", "PUT", "DELETE", "PATCH"}):
        response = test_client.open(_url(rule), method=method, data={"x": "1"})
        assert response.status_code == 400, (rule.rule, method, response.status_code)
        assert "CSRF" in response.get_data(as_text=True), rule.rule
        posts += 1
    assert posts >= 1
