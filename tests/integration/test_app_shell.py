"""The installable app: manifest and service worker served to anyone with the right types, versioned
static URLs, only the decoder worker allowed to compile WebAssembly, and no page with data ever cached."""
from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.security.seed import seed_one_of_everything
from tests.security.test_route_sweep import routes

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_manifest_is_public_and_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "Shelfscan" and manifest["short_name"]
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = set()
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png", icon
        width, height = Image.open(io.BytesIO(image.data)).size
        assert f"{width}x{height}" == icon["sizes"]
        sizes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_the_manifest_and_theme_colour(client, client_for, signed_in):
    page = (client_for("viewer") if signed_in else client).get("/" if signed_in else "/login")
    html = page.get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color"' in html
    assert ("data-service-worker=" in html) == signed_in  # registered for a signed-in user only


def test_the_service_worker_is_public_at_the_root_and_precaches_the_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-store"  # an update is seen at once
    source = response.get_data(as_text=True)
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", source).group(1))
    assert any(url.startswith("/static/css/app.css?v=") for url in shell)
    for url in shell:
        assert client.get(url).status_code == 200, url
    assert 'const STATIC_PATH = "/static/";' in source


def test_static_urls_carry_the_hash_of_their_file(client):
    html = client.get("/login").get_data(as_text=True)
    version = hashlib.sha256((STATIC / "css" / "app.css").read_bytes()).hexdigest()[:12]
    assert f'href="/static/css/app.css?v={version}"' in html


def test_a_new_static_file_gives_a_new_worker(app, client, tmp_path):
    """The worker's version covers every static file, so a deploy replaces its cache."""
    before = client.get("/sw.js").get_data(as_text=True)
    app.static_folder = str(tmp_path)
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text("body { color: red }")
    after = client.get("/sw.js").get_data(as_text=True)
    version = re.compile(r"const VERSION = (\"\w+\");")
    assert version.search(before).group(1) != version.search(after).group(1)


def test_only_the_decoder_worker_may_compile_webassembly(client, client_for):
    worker = client.get("/static/js/decode-worker.js").headers["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in worker
    for response in (client.get("/login"), client_for("viewer").get("/"), client.get("/static/js/camera.js"),
                     client.get("/static/vendor/zxing-wasm-3.1.8/zxing-reader.iife.js")):
        csp = response.headers["Content-Security-Policy"]
        assert "wasm" not in csp and "script-src 'self';" in csp


def test_no_answer_with_data_may_be_stored(app, client_for, users):
    """Every page, fragment, download and API answer says no-store; static files and images do not."""
    seed_one_of_everything(users["operator"])
    checked = 0
    for htmx in (False, True):
        client = client_for("admin", htmx=htmx)
        for endpoint, method, url in routes(app):
            if method != "GET" or endpoint in ("static", "auth.logout"):
                continue
            response = client.get(url)
            if response.mimetype.startswith("image/"):
                continue  # barcode images and the chart choose their own short private caching
            assert response.headers.get("Cache-Control") == "no-store", (url, response.status_code)
            checked += 1
    assert checked > 80
    assert client_for("viewer").get("/static/css/app.css").headers.get("Cache-Control") != "no-store"
