"""The admin area: scan history, settings, barcode plugins and users.

The admin-only floor for every route here is set once in blueprints/shared/access.py
(MIN_ROLE_BY_BLUEPRINT), so no view carries its own role decorator.
"""
from __future__ import annotations

from flask import Blueprint, current_app

from services.barcode_engine import plugin_infos

bp = Blueprint("admin", __name__, url_prefix="/admin")


def plugin_registry():
    """The app's barcode plugin registry (built in the factory)."""
    return current_app.extensions["barcode_registry"]


def plugin_names() -> list[str]:
    """Names of the registered barcode plugins, in order."""
    return [p.name for p in plugin_infos(plugin_registry())]


# The route modules, imported for the views they add to `bp`.
from blueprints.admin import overview, plugins, scans, settings, users  # noqa: E402,F401
