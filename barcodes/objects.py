"""The four object types a barcode can name: model, stable web and API paths, human title."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Select, bindparam, literal, select

from barcodes.result import Match
from extensions import db
from models import OBJECT_TYPES, Company, Part, StockItem, StockLocation, SupplierPart
from database.prepared import Prepared


@dataclass(frozen=True)
class ObjectKind:
    """How one object type is stored, addressed and named."""

    key: str
    model: type
    web_path: str  # format string with {id}
    api_path: str  # format string with {id}
    label: str  # human name of the type


KINDS: dict[str, ObjectKind] = {
    "part": ObjectKind("part", Part, "/parts/{id}", "/api/part/{id}/", "Part"),
    "stockitem": ObjectKind("stockitem", StockItem, "/stock-items/{id}", "/api/stock/{id}/", "Stock item"),
    "stocklocation": ObjectKind("stocklocation", StockLocation, "/locations/{id}", "/api/stock/location/{id}/", "Location"),
    "supplierpart": ObjectKind("supplierpart", SupplierPart, "/supplier-parts/{id}", "/api/company/part/{id}/", "Supplier part"),
}
assert tuple(KINDS) == OBJECT_TYPES


def kind(object_type: str) -> ObjectKind:
    """The ObjectKind for a type key; raises KeyError for unknown types."""
    try:
        return KINDS[object_type]
    except KeyError:
        raise KeyError(f"unknown object type {object_type!r}") from None


def web_url(object_type: str, object_id: int) -> str:
    """The object's web page path, e.g. /parts/12."""
    return kind(object_type).web_path.format(id=object_id)


def api_url(object_type: str, object_id: int) -> str:
    """The object's API path, e.g. /api/part/12/."""
    return kind(object_type).api_path.format(id=object_id)


def get_object(object_type: str, object_id: int):
    """The object by primary key, or None (also for unknown types and ids out of range)."""
    if object_type not in KINDS or isinstance(object_id, bool) or not isinstance(object_id, int):
        return None
    if not 0 < object_id < 2**63:
        return None
    return db.session.get(KINDS[object_type].model, object_id)


# Deeper than any real tree; stops a walk up a (forbidden, but possible in a hand-edited database) cycle.
MAX_LOCATION_DEPTH = 64


def _location_path_query() -> Select:
    """The names from a location up to the root, nearest first, in one recursive query."""
    location = StockLocation.__table__
    up = (select(location.c.parent_id, location.c.name, literal(0).label("depth"))
          .where(location.c.id == bindparam("pk")).cte("up", recursive=True))
    up = up.union_all(
        select(location.c.parent_id, location.c.name, (up.c.depth + 1).label("depth"))
        .join_from(location, up, location.c.id == up.c.parent_id).where(up.c.depth < MAX_LOCATION_DEPTH))
    return select(up.c.name).order_by(up.c.depth.desc())


def _title_queries() -> dict[str, tuple[Prepared, Callable]]:
    """Per type, a Core query for the columns an object's title is made of, and how to make it
    from the rows (empty when there is no such object)."""
    part, item, company, supplier_part = (m.__table__ for m in (Part, StockItem, Company, SupplierPart))
    pk = bindparam("pk")

    def first(title: Callable) -> Callable:
        return lambda rows: title(rows[0])

    return {key: (Prepared(statement), title) for key, (statement, title) in {
        "part": (select(part.c.ipn, part.c.name).where(part.c.id == pk),
                 first(lambda row: Part.title_of(row.ipn, row.name))),
        "stockitem": (select(part.c.name, item.c.serial, item.c.quantity)
                      .join_from(item, part, part.c.id == item.c.part_id).where(item.c.id == pk),
                      first(lambda row: StockItem.title_of(row.name, row.serial, row.quantity))),
        "stocklocation": (_location_path_query(),
                          lambda rows: StockLocation.title_of([row.name for row in rows])),
        "supplierpart": (select(company.c.name, supplier_part.c.sku)
                         .join_from(supplier_part, company, company.c.id == supplier_part.c.supplier_id)
                         .where(supplier_part.c.id == pk),
                         first(lambda row: SupplierPart.title_of(row.name, row.sku))),
    }.items()}


_TITLE_QUERIES = _title_queries()


def find_match(object_type: str, object_id: int) -> Match | None:
    """The Match for an object by type and id, or None when there is no such object.

    Every scan that names an object comes here, so it is one Core query for the columns the title
    is made of: a fifth of the cost of loading the ORM object (and its relations) for str().
    """
    if object_type not in KINDS or isinstance(object_id, bool) or not isinstance(object_id, int):
        return None
    if not 0 < object_id < 2**63:
        return None
    statement, title = _TITLE_QUERIES[object_type]
    rows = statement.all({"pk": object_id})
    return make_match(object_type, object_id, title(rows)) if rows else None


def make_match(object_type: str, object_id: int, title: str) -> Match:
    """The Match for an object whose title the caller already has."""
    return Match(object_type=object_type, object_id=object_id, title=title,
                 url=web_url(object_type, object_id), api_url=api_url(object_type, object_id))
