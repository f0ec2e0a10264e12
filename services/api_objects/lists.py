"""The API's object lists, declared: parts, stock items, supplier parts, companies, stock history.

Filter names and meanings follow InvenTree's API (stock/api.py, part/api.py, company/api.py), so
its clients get what they ask for. Filters on concepts Shelfscan does not have (categories,
variants, assemblies, orders, customers) match everything when they ask for their absence and
nothing when they ask for their presence. Stock locations are listed in Python (locations.py):
their path, depth and sub-trees come from the in-memory tree.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, func, not_, or_, select
from sqlalchemy.orm import contains_eager

from models import Company, Part, StockItem, StockTracking, SupplierPart
from services.api_objects.codes import AVAILABLE_STATUSES, STOCK_STATUS, status_for_code
from services.api_objects.query import (
    ALWAYS_TRUE,
    EMPTY,
    LACKED_REF,
    LACKED_TRUE,
    NO_OP_BOOL,
    NULL,
    Filter,
    ListSpec,
)
from services.location_tree import load_tree

IN_STOCK = and_(StockItem.quantity > 0, StockItem.status.in_(AVAILABLE_STATUSES))
PART_IN_STOCK = (select(func.coalesce(func.sum(StockItem.quantity), 0))
                 .where(StockItem.part_id == Part.id, IN_STOCK).correlate(Part).scalar_subquery())
STATUS_ORDER = case({status: code.key for status, code in STOCK_STATUS.items()}, value=StockItem.status, else_=0)


def _equals(column):
    return lambda query, value, _values: query.where(column == value)


def _bool_column(column):
    return lambda query, value, _values: query.where(column.is_(True) if value else column.is_(False))


def _iexact(column):
    return lambda query, value, _values: query.where(func.lower(column) == value.lower())


def _blank(column):
    return or_(column.is_(None), column == "")


# --- parts ----------------------------------------------------------------------------------------

PARTS = ListSpec(
    base=lambda: select(Part),
    tiebreak=Part.id,
    search=(Part.name, Part.ipn, Part.description),
    filters={
        "active": Filter("bool", _bool_column(Part.active)),
        "has_stock": Filter("bool", lambda q, v, _: q.where(PART_IN_STOCK > 0 if v else PART_IN_STOCK <= 0)),
        "IPN": Filter("text", _iexact(Part.ipn)),
        "name": Filter("text", _iexact(Part.name)),
        "category": LACKED_REF, "variant_of": LACKED_REF, "in_bom_for": LACKED_REF, "uses": LACKED_REF,
        "starred": LACKED_TRUE, "assembly": LACKED_TRUE, "is_template": LACKED_TRUE, "trackable": LACKED_TRUE,
        "virtual": LACKED_TRUE, "salable": LACKED_TRUE, "testable": LACKED_TRUE, "locked": LACKED_TRUE,
        "component": ALWAYS_TRUE, "purchaseable": ALWAYS_TRUE,
        "cascade": NO_OP_BOOL,  # sub-categories: there are no categories
    },
    orderings={"name": (Part.name,), "IPN": (Part.ipn,), "in_stock": (PART_IN_STOCK,),
               "description": (Part.description,), "units": (Part.units,)},
    default_order=(Part.name,),
    flags=frozenset({"category_detail", "path_detail"}),
)


# --- stock items ---------------------------------------------------------------------------------

def _location(query, value, values):
    """InvenTree's ?location=: with ?cascade (default on) the location's sub-locations too; 'null'
    is the top level, which with cascade holds everything and without it the unplaced items."""
    cascade = values.get("cascade", True)
    if value is NULL:
        return query if cascade else query.where(StockItem.location_id.is_(None))
    if not cascade:
        return query.where(StockItem.location_id == value)
    tree = load_tree()
    if value not in tree.names:
        return EMPTY
    return query.where(StockItem.location_id.in_(tree.below(value, include_self=True)))


def _in_stock(query, value, _values):
    return query.where(IN_STOCK if value else not_(IN_STOCK))


def _status(query, value, _values):
    status = status_for_code(value)
    return EMPTY if status is None else query.where(StockItem.status == status)


def _serialized(query, value, _values):
    return query.where(not_(_blank(StockItem.serial)) if value else _blank(StockItem.serial))


def _expired(query, value, _values):
    expired = and_(StockItem.expiry_date.is_not(None), StockItem.expiry_date < dt.date.today())
    return query.where(expired if value else not_(expired))


def _supplier(query, value, _values):
    supplied = select(SupplierPart.id).where(SupplierPart.supplier_id == value)
    return query.where(StockItem.supplier_part_id.in_(supplied))


STOCK = ListSpec(
    base=lambda: select(StockItem).join(StockItem.part),
    tiebreak=StockItem.id,
    search=(StockItem.serial, StockItem.batch, Part.name, Part.ipn, Part.description),
    filters={
        "part": Filter("id", _equals(StockItem.part_id)),
        "location": Filter("ref", _location),
        "cascade": NO_OP_BOOL,  # read by the location filter
        "include_variants": NO_OP_BOOL,
        "supplier_part": Filter("id", _equals(StockItem.supplier_part_id)),
        "supplier": Filter("id", _supplier),
        "in_stock": Filter("bool", _in_stock),
        "available": Filter("bool", _in_stock),  # nothing is ever allocated here
        "active": Filter("bool", _bool_column(Part.active)),
        "status": Filter("int", _status),
        "serialized": Filter("bool", _serialized),
        "serial": Filter("text", _equals(StockItem.serial)),
        "batch": Filter("text", _iexact(StockItem.batch)),
        "has_batch": Filter("bool", lambda q, v, _: q.where(not_(_blank(StockItem.batch)) if v else _blank(StockItem.batch))),
        "expired": Filter("bool", _expired),
        "depleted": Filter("bool", lambda q, v, _: q.where(StockItem.quantity <= 0 if v else StockItem.quantity > 0)),
        "external": LACKED_TRUE, "is_building": LACKED_TRUE, "sent_to_customer": LACKED_TRUE,
        "installed": LACKED_TRUE, "consumed": LACKED_TRUE, "allocated": LACKED_TRUE,
        "has_installed_items": LACKED_TRUE, "has_child_items": LACKED_TRUE, "has_purchase_price": LACKED_TRUE,
        "customer": LACKED_REF, "sales_order": LACKED_REF, "purchase_order": LACKED_REF, "build": LACKED_REF,
        "belongs_to": LACKED_REF, "consumed_by": LACKED_REF, "category": LACKED_REF,
    },
    orderings={"part__name": (Part.name,), "part__IPN": (Part.ipn,), "stock": (StockItem.quantity, StockItem.serial),
               "quantity": (StockItem.quantity,), "status": (STATUS_ORDER,), "batch": (StockItem.batch,),
               "updated": (StockItem.updated_at,), "creation_date": (StockItem.created_at,),
               "expiry_date": (StockItem.expiry_date,)},
    default_order=(Part.name, StockItem.quantity),
    flags=frozenset({"part_detail", "location_detail", "supplier_detail", "supplier_part_detail", "path_detail",
                     "tests", "manufacturer_detail"}),
)


# --- supplier parts and companies -------------------------------------------------------------------

SUPPLIER_PARTS = ListSpec(
    base=lambda: (select(SupplierPart).join(SupplierPart.part).join(SupplierPart.supplier)
                  .options(contains_eager(SupplierPart.supplier))),  # supplier_detail without a query per row
    tiebreak=SupplierPart.id,
    search=(SupplierPart.sku, SupplierPart.mpn, SupplierPart.manufacturer_name, Part.name, Part.ipn, Company.name),
    filters={
        "part": Filter("id", _equals(SupplierPart.part_id)),
        "supplier": Filter("id", _equals(SupplierPart.supplier_id)),
        "SKU": Filter("text", _iexact(SupplierPart.sku)),
        "MPN": Filter("text", _iexact(SupplierPart.mpn)),
        "active": ALWAYS_TRUE,
        "manufacturer": LACKED_REF, "manufacturer_part": LACKED_REF,
    },
    orderings={"SKU": (SupplierPart.sku,), "MPN": (SupplierPart.mpn,), "part": (Part.name,),
               "supplier": (Company.name,), "pack_quantity": (SupplierPart.pack_quantity,)},
    default_order=(Company.name, SupplierPart.sku),
    flags=frozenset({"part_detail", "supplier_detail", "manufacturer_detail", "manufacturer_part_detail", "pretty"}),
)

COMPANIES = ListSpec(
    base=lambda: select(Company),
    tiebreak=Company.id,
    search=(Company.name, Company.description, Company.website),
    filters={
        "is_supplier": Filter("bool", _bool_column(Company.is_supplier)),
        "is_manufacturer": Filter("bool", _bool_column(Company.is_manufacturer)),
        "name": Filter("text", _iexact(Company.name)),
        "is_customer": LACKED_TRUE,
        "active": ALWAYS_TRUE,
    },
    orderings={"name": (Company.name,), "description": (Company.description,), "website": (Company.website,)},
    default_order=(Company.name,),
)


# --- stock history --------------------------------------------------------------------------------

def _tracking_part(query, value, _values):
    return query.where(StockTracking.stock_item_id.in_(select(StockItem.id).where(StockItem.part_id == value)))


TRACKING = ListSpec(
    base=lambda: select(StockTracking),
    tiebreak=StockTracking.id,
    search=(StockTracking.notes,),
    filters={
        "item": Filter("id", _equals(StockTracking.stock_item_id)),
        "part": Filter("id", _tracking_part),
        "user": Filter("id", _equals(StockTracking.user_id)),
    },
    orderings={"date": (StockTracking.created_at,)},
    default_order=(StockTracking.created_at,),
    flags=frozenset({"user_detail", "item_detail"}),
)

SPECS = {"part": PARTS, "stockitem": STOCK, "supplierpart": SUPPLIER_PARTS, "company": COMPANIES,
         "stocktracking": TRACKING}
