"""The API's next/previous links never carry the Host header a client sent (issue 18, point 13).

A forged Host (or X-Forwarded-Host) would otherwise put another site's address into the links a
client follows with its token. Links are relative, or built from the configured PUBLIC_URL.
"""
from __future__ import annotations

import pytest

from tests.api_fixtures import auth, make_inventory, token_for

EVIL = "evil.example"


@pytest.fixture
def headers(app, users):
    make_inventory()
    return auth(token_for(users["viewer"]))


@pytest.mark.parametrize("path", ["/api/part/?limit=1", "/api/part/?limit=1&offset=1",
                                  "/api/stock/location/?limit=1&offset=1"])
def test_a_forged_host_does_not_reach_the_links(client, headers, path):
    body = client.get(path, headers={**headers, "Host": EVIL, "X-Forwarded-Host": EVIL}).get_json()
    links = [body["next"], body["previous"]]
    assert any(links), body
    for link in filter(None, links):
        assert EVIL not in link
        assert link.startswith("/api/"), link


def test_links_use_the_configured_public_url(app, client, headers):
    app.config["PUBLIC_URL"] = "https://stock.example.org/"
    body = client.get("/api/part/?limit=1", headers={**headers, "Host": EVIL}).get_json()
    assert body["next"] == "https://stock.example.org/api/part/?limit=1&offset=1"
