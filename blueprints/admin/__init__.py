"""The admin area: scan history, settings, barcode plugins and users.

The admin-only floor for every route here is set once in blueprints/access.py
(MIN_ROLE_BY_BLUEPRINT), so no view carries its own role decorator.
"""
from __future__ import annotations

from flask import Blueprint, current_app

import settings
from blueprints.admin import display
from blueprints.rendering import render

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_app_template_filter(display.visible, "visible_controls")


@bp.before_request
def fresh_settings():
    """Admin pages show and change the stored settings: read them from the database, not from the
    worker's short-lived copy, so a change another worker just made is neither hidden nor undone."""
    settings.refresh()


def plugin_registry():
    """The app's barcode plugin registry, or None until the engine provides one."""
    return current_app.extensions.get("barcode_registry")


def plugin_names() -> list[str]:
    """Names of the registered barcode plugins, in order."""
    registry = plugin_registry()
    return [p.name for p in registry.all()] if registry is not None else []


@bp.route("/")
def index():
    """The admin overview: links to each part of the area and the state of the scan log."""
    from services import scanlog

    return render("admin/index.html", logging_on=settings.get("BARCODE_STORE_RESULTS"),
                  scan_count=scanlog.count(), plugin_count=len(plugin_names()))


from blueprints.admin import plugins, scans, settings_page, users  # noqa: E402,F401  (routes)
