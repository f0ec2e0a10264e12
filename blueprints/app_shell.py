"""The installable app shell: the web app manifest, the service worker, versioned static URLs.

Both routes are public: Chromium fetches the manifest without cookies, and the worker's update checks
must not turn into a login redirect once a session has ended. Neither holds any data.

Every `url_for('static', ...)` gets `?v=<hash of the file>`, so a changed file has a new URL: the
worker can answer static files from its cache first without ever serving a stale one after a deploy.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for

from blueprints.shared.access import public

bp = Blueprint("app_shell", __name__)

THEME_COLOR = "#24292f"  # the navbar's
# What every page loads: precached when the worker installs, so the shell opens from the device.
SHELL_FILES = (
    "css/app.css", "css/phone.css", "vendor/htmx-2.0.11/htmx.min.js", "js/app-shell.js", "js/feedback.js",
    "js/stack-tables.js", "js/scanner.js", "js/camera.js", "img/favicon.svg",
)
ICONS = (("img/icon-192.png", "192x192", "any"), ("img/icon-512.png", "512x512", "any"),
         ("img/icon-maskable-512.png", "512x512", "maskable"))


@lru_cache(maxsize=512)
def _file_hash(path: str, mtime_ns: int, size: int) -> str:
    """The first 12 hex digits of the file's SHA-256 (cached until the file changes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def static_version(filename: str) -> str | None:
    """The version of one static file, or None when there is no such file."""
    path = os.path.join(current_app.static_folder or "", filename)
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    return _file_hash(path, stat.st_mtime_ns, stat.st_size)


def static_tree_version() -> str:
    """One version for all static files: any change gives a new worker and a fresh cache."""
    root = Path(current_app.static_folder or "")
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        digest.update(f"{name}:{static_version(name)}\n".encode())
    return digest.hexdigest()[:12]


@bp.app_url_defaults
def _version_static_urls(endpoint: str, values: dict) -> None:
    """Add ?v=<file hash> to static URLs (see the module docstring)."""
    if endpoint == "static" and "v" not in values and values.get("filename"):
        version = static_version(values["filename"])
        if version:
            values["v"] = version


@bp.get("/manifest.webmanifest")
@public
def manifest():
    """The web app manifest: name, icons, standalone display, start URL, theme colour."""
    icons = [{"src": url_for("static", filename=src), "sizes": sizes, "type": "image/png", "purpose": purpose}
             for src, sizes, purpose in ICONS]
    home = url_for("home.index")
    response = jsonify(
        id=home, name="Shelfscan", short_name="Shelfscan", description="Barcode-first inventory",
        start_url=home, scope=home, display="standalone", orientation="any",
        background_color="#ffffff", theme_color=THEME_COLOR, icons=icons,
        shortcuts=[{"name": "Scan a barcode", "url": url_for("scan.page")}],
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/sw.js")
@public
def service_worker():
    """The service worker, at the root so its scope covers the whole app."""
    shell = [url_for("static", filename=name) for name in SHELL_FILES]
    body = render_template("app_shell/sw.js", version=static_tree_version(), shell=shell,
                           static_path=url_for("static", filename=""))
    return Response(body, mimetype="text/javascript")
