"""Every admin route refuses anonymous users, viewers and operators; every destructive one needs CSRF."""
from __future__ import annotations

import re

import pytest

from barcodes.result import Scan, ScanResult
from extensions import db
from models import ApiToken
from services import scanlog
from tests.integration.test_admin_plugins import FakeRegistry

ANY = {"GET", "POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def world(app, users):
    """A scan row, a token and a plugin, so every admin URL names something real."""
    app.extensions["barcode_registry"] = FakeRegistry(["internal", "gs1"])
    scan_id = scanlog.record(source="wedge", user_id=users["operator"].id, raw=b"SS-P-1",
                         result=ScanResult(scan=Scan(raw=b"SS-P-1", text="SS-P-1"), status="no_match"))
    token = ApiToken(user_id=users["operator"].id, name="ci", token_hash="a" * 64)
    db.session.add(token)
    db.session.commit()
    return {"scan_id": scan_id, "user_id": users["operator"].id, "token_id": token.id, "name": "gs1"}


def admin_routes(app, world):
    """(url, method) for every route of the admin blueprint, arguments filled with real ids."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != "admin":
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(world[m.group(1)]), rule.rule)
        found += [(url, method) for method in sorted(rule.methods & ANY)]
    return found


def test_the_sweep_covers_the_whole_admin_area(app, world):
    urls = {url for url, _ in admin_routes(app, world)}
    assert {"/admin/", "/admin/scans", "/admin/settings", "/admin/plugins", "/admin/users"} <= urls
    assert len(admin_routes(app, world)) >= 24


def test_anonymous_users_go_to_login_everywhere(app, client, world):
    for url, method in admin_routes(app, world):
        response = client.open(url, method=method)
        assert response.status_code == 302, (url, method, response.status_code)
        assert "/login" in response.headers["Location"], (url, method)


def test_anonymous_htmx_requests_get_an_hx_redirect(app, client, world):
    for url, method in admin_routes(app, world):
        response = client.open(url, method=method, headers={"HX-Request": "true"})
        assert response.status_code == 401 and "/login" in response.headers["HX-Redirect"], (url, method)


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_viewers_and_operators_get_403_everywhere(app, client_for, world, role):
    test_client = client_for(role)
    for url, method in admin_routes(app, world):
        response = test_client.open(url, method=method, data={"confirm": "yes", "upto": "999"})
        assert response.status_code == 403, (role, url, method, response.status_code)
    assert scanlog.get(world["scan_id"]) is not None


def test_admins_open_every_page(app, admin_client, world):
    for url, method in admin_routes(app, world):
        if method == "GET":
            response = admin_client.get(url)
            assert response.status_code == 200, (url, response.status_code)


def _token(test_client, url: str) -> str:
    page = test_client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_every_destructive_admin_action_needs_a_csrf_token(app, admin_client, world):
    """Without a token each POST is refused and changes nothing; the same POST with one works."""
    app.config["WTF_CSRF_ENABLED"] = True
    upto = str(world["scan_id"])
    actions = [
        (f"/admin/scans/{world['scan_id']}/delete", {"confirm": "yes"}),
        ("/admin/scans/delete", {"confirm": "yes", "upto": upto, "result": "no_match"}),
        ("/admin/scans/clear", {"confirm": "yes", "upto": upto}),
        ("/admin/settings", {"BARCODE_PREFIX": "ZZ", "BARCODE_STORE_RESULTS": "on"}),
        ("/admin/plugins/gs1/toggle", {}),
        ("/admin/plugins/gs1/move", {"direction": "up"}),
        ("/admin/users", {"username": "mallory", "role": "admin", "password": "long enough pw"}),
        (f"/admin/users/{world['user_id']}/role", {"role": "admin"}),
        (f"/admin/users/{world['user_id']}/password", {"password": "another long one"}),
        (f"/admin/users/{world['user_id']}/deactivate", {}),
        (f"/admin/users/{world['user_id']}/activate", {}),
        (f"/admin/users/{world['user_id']}/tokens/{world['token_id']}/revoke", {}),
    ]
    posted = {url for url, method in admin_routes(app, world) if method == "POST"}
    assert posted == {url for url, _ in actions}, "a POST route of the admin area is not checked here"
    for url, data in actions:
        response = admin_client.post(url, data=data)
        assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True), url
    db.session.expire_all()
    assert scanlog.get(world["scan_id"]) is not None
    assert db.session.get(ApiToken, world["token_id"]).revoked_at is None
    token = _token(admin_client, "/admin/scans/clear")
    response = admin_client.post("/admin/scans/clear", data={"confirm": "yes", "upto": upto, "csrf_token": token})
    assert response.status_code == 303
    assert scanlog.count() == 0
