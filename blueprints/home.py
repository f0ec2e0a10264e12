"""The start page and the health check."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import func, text

from blueprints.shared.access import public
from blueprints.shared.rendering import render
from extensions import db
from models import Part, StockItem, StockLocation, SupplierPart

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """Counts of what is in the inventory."""
    counts = {
        label: db.session.scalar(db.select(func.count()).select_from(model))
        for label, model in (("Parts", Part), ("Stock items", StockItem),
                             ("Locations", StockLocation), ("Supplier parts", SupplierPart))
    }
    return render("home/index.html", counts=counts)


@bp.route("/healthz")
@public
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)
