"""The barcode engine's Catalog on the app's database: fixed Core statements, built once.

Every scan that names an object comes through here, so each lookup is one indexed Core query for
the columns a title is made of, never ORM objects: loading a Part (and its relations) for str() costs
five times as much. The statements with fixed parameters run as Prepared statements on the session's
DB-API cursor (database/prepared.py); the two with IN lists go through the session's connection.
"""
from __future__ import annotations

from contextlib import nullcontext
from typing import Callable, ContextManager

from sqlalchemy import Select, bindparam, func, literal, select

from barcodes.catalog import MAX_MATCHES
from barcodes.objects import is_reference, make_match
from barcodes.result import Match
from database.prepared import Prepared
from extensions import db
from models import Barcode, Company, Part, StockItem, StockLocation, SupplierPart

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


def _supplier_part_queries() -> dict[tuple[str, bool], Select]:
    """(id, sku, supplier name) of supplier parts by sku or mpn (both indexed), with or without the
    supplier's company names."""
    supplier_part, company = SupplierPart.__table__, Company.__table__
    statements = {}
    for column in ("sku", "mpn"):
        query = (select(supplier_part.c.id, supplier_part.c.sku, company.c.name)
                 .join_from(supplier_part, company, supplier_part.c.supplier_id == company.c.id)
                 .where(supplier_part.c[column] == bindparam("value")))
        statements[column, False] = query.order_by(supplier_part.c.id).limit(MAX_MATCHES)
        statements[column, True] = (query.where(func.lower(company.c.name).in_(bindparam("names", expanding=True)))
                                    .order_by(supplier_part.c.id).limit(MAX_MATCHES))
    return statements


_TITLE_QUERIES = _title_queries()
# Per type: is there an object with a higher id? (one primary-key index probe)
_LATER_QUERIES = {key: Prepared(select(model.__table__.c.id).where(model.__table__.c.id > bindparam("pk")).limit(1))
                  for key, model in (("part", Part), ("stockitem", StockItem), ("stocklocation", StockLocation),
                                     ("supplierpart", SupplierPart))}
_BARCODE = Barcode.__table__
_TARGET_BY_HASH = Prepared(select(_BARCODE.c.object_type, _BARCODE.c.object_id)
                           .where(_BARCODE.c.data_hash == bindparam("data_hash")))
_PART = Part.__table__
_PARTS_BY_GTIN = (select(_PART.c.id, _PART.c.ipn, _PART.c.name)
                  .where(_PART.c.gtin.in_(bindparam("forms", expanding=True))).order_by(_PART.c.id).limit(MAX_MATCHES))
_SUPPLIER_PARTS = _supplier_part_queries()


class SqlCatalog:
    """The Catalog (barcodes/catalog.py) on the current app's database session."""

    def find_match(self, object_type: str, object_id: int) -> Match | None:
        """The Match for an object by type and id, or None when there is no such object."""
        if not is_reference(object_type, object_id):
            return None
        statement, title = _TITLE_QUERIES[object_type]
        rows = statement.all({"pk": object_id})
        return make_match(object_type, object_id, title(rows)) if rows else None

    def was_deleted(self, object_type: str, object_id: int) -> bool:
        """Whether a missing object existed once: a later one of its type exists (ids only grow)."""
        if not is_reference(object_type, object_id):
            return False
        return _LATER_QUERIES[object_type].first({"pk": object_id}) is not None

    def linked_target(self, data_hash: str) -> tuple[str, int] | None:
        """The (type, id) a linked barcode points to: one unique-index lookup."""
        row = _TARGET_BY_HASH.first({"data_hash": data_hash})
        return None if row is None else (row.object_type, row.object_id)

    def parts_by_gtin(self, forms: list[str]) -> list[Match]:
        """Parts whose GTIN is one of `forms` (indexed), by id."""
        rows = db.session.connection().execute(_PARTS_BY_GTIN, {"forms": forms})
        return [make_match("part", row.id, Part.title_of(row.ipn, row.name)) for row in rows]

    def supplier_parts(self, field: str, value: str, supplier_names: tuple[str, ...] = ()) -> list[Match]:
        """Supplier parts whose sku or mpn is `value`, of one of the companies `supplier_names` when given."""
        params = {"value": value, "names": list(supplier_names)} if supplier_names else {"value": value}
        rows = db.session.connection().execute(_SUPPLIER_PARTS[field, bool(supplier_names)], params).all()
        return [make_match("supplierpart", row.id, SupplierPart.title_of(row.name, row.sku)) for row in rows]

    def isolated(self) -> ContextManager:
        """A SAVEPOINT on PostgreSQL, where a failed statement aborts the whole transaction; nothing on
        SQLite, where the transaction stays usable, so no round trips are spent there."""
        if db.session.get_bind().dialect.name == "sqlite":
            return nullcontext()
        return db.session.begin_nested()
