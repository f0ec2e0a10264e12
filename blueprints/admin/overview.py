"""The admin overview page, and fresh settings for every admin page."""
from __future__ import annotations

from blueprints.admin import bp, plugin_names
from blueprints.shared.rendering import render
from services import scanlog, settings


@bp.before_request
def fresh_settings():
    """Admin pages show and change the stored settings: read them from the database, not from the
    worker's short-lived copy, so a change another worker just made is neither hidden nor undone."""
    settings.refresh()


@bp.route("/")
def index():
    """The admin overview: links to each part of the area and the state of the scan log."""
    return render("admin/index.html", logging_on=settings.get("BARCODE_STORE_RESULTS"),
                  scan_count=scanlog.count(), plugin_count=len(plugin_names()))
