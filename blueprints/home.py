"""The start page, the search over every kind of object, and the health check."""
from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user

from blueprints import companies, locations, parts, stock_items, supplier_parts
from blueprints.shared.access import public
from blueprints.shared.listing import fetch, search_text
from blueprints.shared.rendering import render
from services import health, overview

bp = Blueprint("home", __name__)

# Every kind of object, in the order the start page and the search show them:
# (table, heading, its list's endpoint, how the list finds and sorts it).
KINDS = (
    ("part", "Parts", "parts.index", parts.LISTING),
    ("stock_item", "Stock items", "stock_items.index", stock_items.LISTING),
    ("stock_location", "Locations", "locations.index", locations.LISTING),
    ("company", "Companies", "companies.index", companies.LISTING),
    ("supplier_part", "Supplier parts", "supplier_parts.index", supplier_parts.LISTING),
)
PREVIEW = 5  # matches shown per kind; the list behind "See all" has the rest


@bp.route("/")
def index():
    """How much there is (each count opens its list), a search box, your latest scans and stock changes."""
    return render("home/index.html", counts=overview.counts(), kinds=KINDS,
                  scans=overview.recent_scans(current_user.id), changes=overview.recent_stock_changes())


@bp.route("/search")
def search():
    """The first matches of every kind of object, each list searched as its own page searches it."""
    q = search_text("q")
    results = [(kind, heading, fetch(spec, endpoint, q, per_page=PREVIEW))
               for kind, heading, endpoint, spec in KINDS] if q else []
    return render("home/search.html", block="search_results", q=q, results=results)


@bp.route("/healthz")
@public
def healthz():
    """200 when the database answers, 503 otherwise."""
    if not health.database_answers():
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)
