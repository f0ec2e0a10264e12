"""Read endpoints for parts, stock items, locations and supplier parts, under InvenTree's URLs."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import func, or_

from blueprints.api import bp, serializers
from blueprints.api.payload import MAX_PK, PK_CONVERTER, ApiError, page_bounds, paginated, query_int, query_text
from extensions import db
from models import Company, Part, StockItem, StockLocation, SupplierPart

MAX_SEARCH = 200


def _detail(object_type: str, pk: int):
    found = serializers.find_serialized(object_type, pk)
    if found is None:
        raise ApiError(404, {"detail": "No matching object found."})
    return jsonify(found)


def _like(term: str) -> str:
    """A case-insensitive LIKE pattern that matches `term` literally."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _searched(query, columns):
    """Narrow a query to rows where any column contains ?search= (case-insensitive)."""
    term = query_text("search", MAX_SEARCH).strip()
    if not term:
        return query
    pattern = _like(term)
    return query.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in columns)))


def _filtered(query, filters):
    """Narrow a query by integer query parameters, e.g. ?part=3&location=2."""
    for name, column in filters.items():
        value = query_int(name, None, minimum=1, maximum=MAX_PK)
        if value is not None:
            query = query.where(column == value)
    return query


def _list(object_type: str, query, model):
    """One limit/offset page of a query, with its total count."""
    limit, offset = page_bounds()
    count = db.session.execute(db.select(func.count()).select_from(query.subquery())).scalar_one()
    rows = list(db.session.execute(query.order_by(model.id).limit(limit).offset(offset)).scalars())
    return jsonify(paginated(count, serializers.serialize_many(object_type, rows), limit, offset))


@bp.get(f"/part/<{PK_CONVERTER}:pk>/")
def part_detail(pk: int):
    """One part."""
    return _detail("part", pk)


@bp.get("/part/")
def part_list():
    """Parts, searched by name, IPN and description."""
    query = _searched(db.select(Part), [Part.name, Part.ipn, Part.description])
    return _list("part", query, Part)


@bp.get(f"/stock/<{PK_CONVERTER}:pk>/")
def stock_detail(pk: int):
    """One stock item."""
    return _detail("stockitem", pk)


@bp.get("/stock/")
def stock_list():
    """Stock items, filtered by part, location or supplier part, searched by part name, serial, batch."""
    query = db.select(StockItem).join(StockItem.part)
    query = _filtered(query, {"part": StockItem.part_id, "location": StockItem.location_id,
                              "supplier_part": StockItem.supplier_part_id})
    query = _searched(query, [Part.name, StockItem.serial, StockItem.batch])
    return _list("stockitem", query, StockItem)


@bp.get(f"/stock/location/<{PK_CONVERTER}:pk>/")
def location_detail(pk: int):
    """One stock location."""
    return _detail("stocklocation", pk)


@bp.get("/stock/location/")
def location_list():
    """Stock locations, filtered by parent, searched by name and description."""
    query = _filtered(db.select(StockLocation), {"parent": StockLocation.parent_id})
    query = _searched(query, [StockLocation.name, StockLocation.description])
    return _list("stocklocation", query, StockLocation)


@bp.get(f"/company/part/<{PK_CONVERTER}:pk>/")
def supplier_part_detail(pk: int):
    """One supplier part."""
    return _detail("supplierpart", pk)


@bp.get("/company/part/")
def supplier_part_list():
    """Supplier parts, filtered by part or supplier, searched by SKU, MPN, part and supplier name."""
    query = db.select(SupplierPart).join(SupplierPart.part).join(SupplierPart.supplier)
    query = _filtered(query, {"part": SupplierPart.part_id, "supplier": SupplierPart.supplier_id})
    query = _searched(query, [SupplierPart.sku, SupplierPart.mpn, Part.name, Company.name])
    return _list("supplierpart", query, SupplierPart)
