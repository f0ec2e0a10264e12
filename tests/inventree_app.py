"""The InvenTree mobile app's HTTP client, as a test double that speaks over real sockets.

It builds requests the way the app's lib/api.dart does (inventree/inventree-app, read at commit
06013b3), so the contract tests replay what a phone sends:
- URLs: relative ones resolve against <server>/api/, paths starting with / against the server
  (`_makeUrl`, `makeApiUrl`); query parameters are appended unencoded as `k=v&` (`apiRequest`), so a
  '+' in an ordering arrives as a space;
- headers on every request (`defaultHeaders`): Authorization: Token <token> once it has one,
  Accept and Content-Type application/json (GETs included), Accept-Language; Dart's User-Agent;
- bodies: JSON (`post`, `patch`: json.encode of the map).
Every request names the Dart function it stands for (`cite`), which a failing assertion prints.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

import pytest
import requests

USER_AGENT = "Dart/3.7 (dart:io)"


@dataclass
class Sent:
    """One request as sent, with the app source it replays."""

    method: str
    url: str
    cite: str
    status: int


@dataclass
class InvenTreeApp:
    """One phone signed in to one server."""

    server: str
    token: str = ""
    sent: list[Sent] = field(default_factory=list)

    def url(self, url: str, params: dict[str, str] | None = None) -> str:
        """The address `apiRequest` builds: resolved like `makeApiUrl`, parameters appended raw."""
        if url.startswith("http"):
            full = url
        elif url.startswith("/"):
            full = self.server + url
        else:
            full = f"{self.server}/api/{url}"
        if params:
            full += "?" + "".join(f"{key}={value}&" for key, value in params.items())
            full = full.rstrip("&")
        return full

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """`defaultHeaders()`, then the request's own (`apiRequest` sets them after)."""
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json", "Content-Type": "application/json",
                   "Accept-Language": "en"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        return {**headers, **(extra or {})}

    def send(self, method: str, url: str, *, cite: str, params: dict | None = None, body: dict | None = None,
             headers: dict | None = None) -> requests.Response:
        """One request; the answer (JSON or not) is returned as is."""
        full = self.url(url, params)
        data = json.dumps(body).encode() if body is not None else None
        response = requests.request(method, full, data=data, headers=self.headers(headers), timeout=30,
                                    allow_redirects=False)
        self.sent.append(Sent(method, full, cite, response.status_code))
        return response

    def get(self, url: str, params: dict | None = None, *, cite: str, headers: dict | None = None):
        """`InvenTreeAPI.get`."""
        return self.send("GET", url, cite=cite, params=params, headers=headers)

    def post(self, url: str, body: dict, *, cite: str):
        """`InvenTreeAPI.post` (and `linkBarcode`, `unlinkBarcode`)."""
        return self.send("POST", url, cite=cite, body=body)

    def patch(self, url: str, body: dict, *, cite: str):
        """`InvenTreeAPI.patch`."""
        return self.send("PATCH", url, cite=cite, body=body)

    def options(self, url: str, params: dict | None = None, *, cite: str):
        """`InvenTreeAPI.options`, which `launchApiForm` sends before drawing a form."""
        return self.send("OPTIONS", url, cite=cite, params=params)

    def sign_in(self, username: str, password: str) -> None:
        """`connectToServer` after `fetchToken`: server check, token (Basic), me, roles, plugins."""
        assert self.get("/api/", cite="lib/api.dart checkServer").status_code == 200
        basic = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
        token = self.get("user/token/", {"name": "inventree-mobile-app-android-Pixel 7-14"},
                         headers={"Authorization": basic}, cite="lib/api.dart fetchToken")
        assert token.status_code == 200, token.text
        self.token = token.json()["token"]
        for url, cite in (("user/me/", "lib/api.dart _checkAuth"), ("user/roles/", "lib/api.dart _fetchRoles"),
                          ("plugins/", "lib/api.dart _fetchPlugins (InvenTreePlugin.list)")):
            assert self.get(url, cite=cite).status_code == 200

    def trace(self) -> str:
        """The requests so far, with their sources: what a failing test prints."""
        return "\n".join(f"{s.status} {s.method} {s.url}  <- {s.cite}" for s in self.sent)


def json_of(response: requests.Response, app: InvenTreeApp, status: int = 200):
    """The answer's JSON after checking its status, with the request trace when it fails."""
    assert response.status_code == status, f"{response.status_code} {response.text[:500]}\n{app.trace()}"
    assert response.headers["Content-Type"].startswith("application/json"), app.trace()
    return response.json()


@dataclass
class Server:
    """A live Shelfscan with one user per role and the stock-action test store."""

    app: object
    url: str
    store: object

    def phone(self, role: str) -> InvenTreeApp:
        """An app signed in as the user of that role."""
        from tests.conftest import PASSWORD

        app = InvenTreeApp(self.url)
        app.sign_in(role, PASSWORD)
        return app

    def query(self, function):
        """Run function() in the live server's app context (to look at the database it wrote)."""
        from extensions import db

        with self.app.app_context():
            db.session.expire_all()
            return function()


@pytest.fixture
def app_server(live_server):
    """The live server, its users (viewer, operator, admin) and the store of test_stock_data."""
    from extensions import db
    from models import User
    from tests.conftest import PASSWORD
    from tests.integration.test_stock_data import make_store

    application, base_url = live_server
    with application.app_context():
        for role in ("viewer", "operator", "admin"):
            user = User(username=role, role=role)
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
        store = make_store(item_count=2)
        ids = {name: getattr(store, name).id for name in ("store", "shelf_a", "shelf_b", "bin_1", "resistor",
                                                           "opamp", "lm358")}
        ids["items"] = [item.id for item in store.items]
    return Server(application, base_url, ids)
