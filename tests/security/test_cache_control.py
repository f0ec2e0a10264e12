"""Authenticated answers are never stored by a browser or a proxy: every route of app.url_map, swept
as an admin, answers `Cache-Control: no-store`; static files keep their own caching."""
from __future__ import annotations

from tests.security.seed import seed_one_of_everything
from tests.security.test_route_sweep import routes


def test_every_signed_in_answer_is_no_store(app, users, client_for):
    seed_one_of_everything(users["operator"])
    client = client_for("admin")
    checked, stored = 0, []
    for endpoint, method, url in routes(app):
        if method != "GET" or endpoint == "static":
            continue
        response = client.get(url)
        if "no-store" not in response.headers.get("Cache-Control", ""):
            stored.append((url, response.status_code, response.headers.get("Cache-Control")))
        checked += 1
    assert stored == [] and checked > 50


def test_downloads_and_htmx_fragments_are_no_store(app, users, client_for):
    seed_one_of_everything(users["operator"])
    client = client_for("admin")
    for url, headers in (("/admin/users", {}), ("/parts/", {"HX-Request": "true"}),
                         ("/labels/print.pdf?type=part&id=1", {}), ("/labels/reports/stock", {}), ("/barcodes/part/1.svg", {}), ("/no/such/page", {})):
        response = client.get(url, headers=headers)
        assert response.headers.get("Cache-Control") == "no-store", (url, response.status_code)


def test_static_files_keep_their_caching(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
