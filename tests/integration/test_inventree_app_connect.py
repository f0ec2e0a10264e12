"""Contract: the InvenTree app connects to Shelfscan and draws its home screen and drawer.

Replays lib/api.dart connectToServer and what follows it, in the app's order, over a live server,
and asserts every field the app reads from each answer. The version advertised is the heart of it:
see docs/api.md "On a phone" for what each of the app's thresholds turns on.
"""
from __future__ import annotations

import base64

import pytest

from tests.conftest import PASSWORD
from tests.inventree_app import InvenTreeApp, app_server, json_of  # noqa: F401 (a fixture)


@pytest.fixture
def server(app_server):
    return app_server.url


def test_connecting_as_the_app_does(server):
    app = InvenTreeApp(server)
    # lib/api.dart checkServer: version non-empty, apiVersion >= _minApiVersion (100), instance shown
    info = json_of(app.get("/api/", cite="lib/api.dart checkServer"), app)
    assert info["version"] and info["instance"] == "Shelfscan"
    assert info["apiVersion"] == 206  # supportsNewUserEndpoints is off: user/token/, user/roles/
    # lib/api.dart fetchToken: GET user/token/?name=<device> with Basic; reads "token"
    basic = "Basic " + base64.b64encode(f"operator:{PASSWORD}".encode()).decode()
    name = "inventree-mobile-app-ios-" + "Maria's iPhone with a very long name " * 4 + "-iPhone-17.2"
    token = json_of(app.get("user/token/", {"name": name}, headers={"Authorization": basic},
                            cite="lib/api.dart fetchToken"), app)
    assert token["token"].startswith("sst-")
    app.token = token["token"]
    # lib/api.dart _checkAuth: GET user/me/ must answer 200; username, email, names, pk are read
    me = json_of(app.get("user/me/", cite="lib/api.dart _checkAuth"), app)
    assert me["username"] == "operator" and isinstance(me["pk"], int)
    assert {"email", "first_name", "last_name"} <= set(me)
    # lib/api.dart _fetchRoles: "roles" must be there, or the connection is aborted
    roles = json_of(app.get("user/roles/", cite="lib/api.dart _fetchRoles"), app)
    assert roles["roles"]["part"] == ["view", "change"] and roles["roles"]["stock"] == ["view", "change"]
    for lacked in ("build", "purchase_order", "sales_order", "return_order"):
        assert roles["roles"][lacked] is None  # checkRole answers false only for null: screens hidden
    # lib/api.dart _fetchPlugins -> InvenTreePlugin.list (model.dart): key, active, meta.human_name, mixins
    plugins = json_of(app.get("plugins/", cite="lib/inventree/model.dart InvenTreePlugin.list"), app)["results"]
    labels = [p for p in plugins if "labels" in p["mixins"]]
    assert labels and labels[0]["active"] is True and labels[0]["meta"]["human_name"]
    assert not any("locate" in p["mixins"] for p in plugins)  # no "locate" button on items and locations
    # lib/api.dart fetchStatusCodeData -> lib/inventree/status_codes.dart load: "values"
    for url in ("stock/track/status/", "stock/status/", "order/po/status/", "order/so/status/"):
        assert "values" in json_of(app.get(url, cite="lib/inventree/status_codes.dart load"), app)
    stock = json_of(app.get("stock/status/", cite="lib/inventree/status_codes.dart load"), app)["values"]
    assert stock["OK"] == {"key": 10, "name": "OK", "label": "OK", "color": "success"}
    assert stock["MISSING"]["key"] == 71 and stock["MISSING"]["logical_key"] == 70
    # lib/api.dart _refreshNotifications, every 60 s -> model.dart count: response.data["count"]
    count = app.get("notifications/", {"read": "false", "limit": "1"},
                    cite="lib/api.dart _refreshNotifications (InvenTreeModel.count)")
    assert json_of(count, app)["count"] == 0


def test_the_same_connection_with_the_newer_user_endpoints(server):
    """/api/user/me/token/ and /api/user/me/roles/ answer too (the app uses them from API 490)."""
    app = InvenTreeApp(server)
    basic = "Basic " + base64.b64encode(f"viewer:{PASSWORD}".encode()).decode()
    app.token = json_of(app.get("user/me/token/", {"name": "phone"}, headers={"Authorization": basic},
                                cite="lib/api.dart fetchToken (supportsNewUserEndpoints)"), app)["token"]
    roles = json_of(app.get("user/me/roles/", cite="lib/api.dart _fetchRoles (supportsNewUserEndpoints)"), app)
    assert roles["roles"]["stock"] == ["view"] and roles["roles"]["part"] == ["view"]
    assert roles["permissions"]["company"] == ["view"]  # checkPermission("company", "add") is false


def test_a_wrong_password_is_401_and_the_app_says_so(server):
    app = InvenTreeApp(server)
    basic = "Basic " + base64.b64encode(b"operator:wrong").decode()
    response = app.get("user/token/", {"name": "phone"}, headers={"Authorization": basic},
                       cite="lib/api.dart fetchToken (401 -> invalidUsernamePassword)")
    assert response.status_code == 401 and "token" not in response.json()


def test_every_call_needs_the_token(server):
    app = InvenTreeApp(server)
    for url in ("user/roles/", "plugins/", "stock/status/", "part/", "stock/location/", "settings/global/"):
        assert app.get(url, cite="any InvenTreeAPI.get without a token").status_code == 401, url


def test_the_home_screen_and_drawer(server):
    """lib/widget/home.dart getListTiles and lib/widget/drawer.dart: what each tile loads."""
    app = InvenTreeApp(server)
    app.sign_in("viewer", PASSWORD)
    # "Customers" shows regardless of roles: CompanyListWidget({"is_customer": "true"})
    customers = app.get("company/", {"is_customer": "true", "limit": "25", "offset": "0"},
                        cite="lib/widget/home.dart _showCustomers -> company_list.dart requestPage")
    assert json_of(customers, app)["count"] == 0
    # "Starred parts": PartList({"starred": "true"}) -- nothing is starred here, not everything
    starred = app.get("part/", {"category_detail": "true", "starred": "true", "ordering": "+name",
                                "cascade": "true", "active": "true", "limit": "25", "offset": "0"},
                      cite="lib/widget/home.dart _showStarredParts -> part_list.dart requestPage")
    assert json_of(starred, app)["count"] == 0
    # Settings the stock item screen reads (stock_detail.dart request -> api.dart getGlobalSetting)
    expiry = json_of(app.get("settings/global/STOCK_ENABLE_EXPIRY/", cite="lib/api.dart getGlobalSetting"), app)
    assert expiry["key"] == "STOCK_ENABLE_EXPIRY" and expiry["value"] == "True"
    codes = json_of(app.get("settings/global/PROJECT_CODES_ENABLED/", cite="lib/api.dart getGlobalSetting"), app)
    assert codes["value"] == "False"
    assert json_of(app.get("settings/user/", cite="lib/inventree/model.dart InvenTreeUserSetting"), app) == []


def test_search_screen_counts_what_exists(server):
    """lib/widget/search.dart search: POST search/ (consolidated search, API >= 102)."""
    app = InvenTreeApp(server)
    app.sign_in("viewer", PASSWORD)
    body = {"limit": 1, "search": "lm358", "part": {}, "partcategory": {}, "stockitem": {}, "stocklocation": {},
            "purchaseorder": {}, "salesorder": {}, "supplierpart": {}, "manufacturerpart": {}, "company": {}}
    found = json_of(app.post("search/", body, cite="lib/widget/search.dart _perform_search"), app)
    assert found["part"]["count"] == 1 and len(found["part"]["results"]) == 1
    assert found["supplierpart"]["count"] == 1 and found["stockitem"]["count"] == 1
    for lacked in ("partcategory", "purchaseorder", "salesorder", "manufacturerpart"):
        assert found[lacked]["count"] == 0
    shelves = json_of(app.post("search/", {**body, "search": "shelf"}, cite="lib/widget/search.dart"), app)
    assert shelves["stocklocation"]["count"] == 3  # Shelf A, Shelf B, and Bin 1 by its path (as InvenTree)
