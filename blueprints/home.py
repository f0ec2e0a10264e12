"""The start page and the health check."""
from __future__ import annotations

from flask import Blueprint, jsonify

from blueprints.shared.access import public
from blueprints.shared.rendering import render
from services import health, inventory

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """Counts of what is in the inventory."""
    return render("home/index.html", counts=inventory.counts())


@bp.route("/healthz")
@public
def healthz():
    """200 when the database answers, 503 otherwise."""
    if not health.database_answers():
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)
