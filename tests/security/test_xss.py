"""Hostile text stored in every text field, and scanned, is shown escaped on every page that shows it:
lists, details, search, the no-match fragment, scan history, admin, label previews and barcode images."""
from __future__ import annotations

import base64
import re

import pytest

from models import OBJECT_TYPES
from tests.security.seed import seed_one_of_everything
from tests.security.test_route_sweep import routes

# Each payload would run script (or evaluate a template) if it reached the page unescaped.
PAYLOADS = [
    '<script>alert("xss1")</script>',
    '"><img src=x onerror=alert(2)>',
    "'><svg/onload=alert(3)>",
    "{{ 1337*1337 }}{% raw %}",
    "javascript:alert(5)//",
]
# What must never appear in an HTML or SVG answer once a payload is stored.
DANGEROUS = [
    re.compile(r"<script>alert", re.I),
    re.compile(r"<img src=x onerror", re.I),
    re.compile(r"<svg/onload", re.I),
    re.compile(r"1787569"),  # 1337*1337 evaluated by a template engine
    re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
]
MARKUP_TYPES = {"text/html", "image/svg+xml", "application/xhtml+xml"}


def _pages(app) -> list[str]:
    """Every GET page a signed-in admin can open, with id 1, every object type, and a search."""
    urls = set()
    for endpoint, method, url in routes(app):
        if method != "GET" or endpoint.split(".")[0] in ("api", "static") or endpoint == "auth.login":
            continue
        if "/part/" in url or url.endswith("/part") or "/part." in url:
            urls.update(url.replace("/part", f"/{kind}", 1) for kind in OBJECT_TYPES)
        urls.add(url)
    for kind in OBJECT_TYPES:
        urls.add(f"/labels/print?type={kind}&id=1")
    return sorted(urls)


def _dangerous_in(response) -> list[str]:
    """The dangerous patterns found in a markup answer, including SVGs embedded as data: URIs."""
    if response.mimetype not in MARKUP_TYPES:
        return []
    text = response.get_data(as_text=True)
    for blob in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", text):
        text += base64.b64decode(blob).decode("utf-8", "replace")
    return [pattern.pattern for pattern in DANGEROUS if pattern.search(text)]


def _requests(url: str, payload: str) -> list[tuple[str, dict]]:
    """The page, its htmx fragment, and for list pages (no id in the path) an htmx search for the payload."""
    hx = {"HX-Request": "true"}
    found = [(url, {}), (url, hx)]
    if not any(ch.isdigit() for ch in url.split("?")[0]):
        found.append((f"{url}{'&' if '?' in url else '?'}q={payload}", hx))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("payload", PAYLOADS)
def test_stored_payloads_are_escaped_on_every_page(app, client_for, users, payload):
    seed_one_of_everything(users["operator"], text=payload, url=payload if "javascript" in payload else None)
    client = client_for("admin")
    # Scan the payload too, so the history and its detail pages hold it as scanned data.
    client.post("/scan", data={"barcode": payload, "source": "dialog"}, headers={"HX-Request": "true"})
    found, broken, opened = {}, [], 0
    for url in _pages(app):
        for target, headers in _requests(url, payload):
            response = client.get(target, headers=headers)
            if response.status_code >= 500:
                broken.append((target, headers, response.status_code))
            opened += response.status_code == 200
            if problems := _dangerous_in(response):
                found[target] = problems
            response.close()  # streamed answers (CSV export) end their generator here
    assert found == {}
    assert broken == []
    assert opened > 40


@pytest.mark.parametrize("payload", PAYLOADS)
def test_scanned_payloads_are_escaped_in_the_scan_answers(hx_client, client_for, payload):
    fragment = hx_client.post("/scan", data={"barcode": payload, "source": "dialog"})
    assert fragment.status_code < 500
    assert _dangerous_in(fragment) == []
    page = client_for("operator").post("/scan", data={"barcode": payload, "source": "dialog"})
    assert page.status_code < 500 and _dangerous_in(page) == []
    image = hx_client.get("/barcodes/render.svg", query_string={"data": payload})
    assert image.status_code < 500 and _dangerous_in(image) == []


def test_admin_pages_escape_a_hostile_username(app, admin_client, users):
    from extensions import db
    from models import User

    users["viewer"].username = PAYLOADS[1]
    db.session.commit()
    for url in ("/admin/users", f"/admin/users/{users['viewer'].id}", "/admin/scans"):
        response = admin_client.get(url)
        assert response.status_code < 500
        assert _dangerous_in(response) == [], url
    assert db.session.get(User, users["viewer"].id).username == PAYLOADS[1]
