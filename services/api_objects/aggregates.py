"""Numbers the API shows beside objects, each for a whole page in one grouped query.

InvenTree annotates its querysets with these (in_stock, suppliers, tracking_items...); a query per
object would make a page of 25 cost 25 round trips.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import func, select

from extensions import db
from models import StockItem, StockTracking, SupplierPart
from services.api_objects.lists import IN_STOCK


def by_id(model, ids: Iterable[int | None]) -> dict[int, Any]:
    """The rows of `model` with these ids (None and repeats ignored), by id, from one query."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {row.id: row for row in db.session.execute(select(model).where(model.id.in_(wanted))).scalars()}


def _grouped(key, value, ids: Iterable[int], *where) -> dict:
    """{key: value} for the given keys, from one GROUP BY query."""
    ids = list(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(key, value).where(key.in_(ids), *where).group_by(key)).all())


def part_in_stock(part_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each part's quantity in stock (available statuses, more than zero)."""
    return _grouped(StockItem.part_id, func.sum(StockItem.quantity), part_ids, IN_STOCK)


def part_supplier_counts(part_ids: Iterable[int]) -> dict[int, int]:
    """How many supplier parts each part has."""
    return _grouped(SupplierPart.part_id, func.count(), part_ids)


def supplier_part_in_stock(supplier_part_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each supplier part's quantity in stock."""
    return _grouped(StockItem.supplier_part_id, func.sum(StockItem.quantity), supplier_part_ids, IN_STOCK)


def company_part_counts(company_ids: Iterable[int]) -> dict[int, int]:
    """How many supplier parts each company sells."""
    return _grouped(SupplierPart.supplier_id, func.count(), company_ids)


def tracking_counts(item_ids: Iterable[int]) -> dict[int, int]:
    """How many history entries each stock item has."""
    return _grouped(StockTracking.stock_item_id, func.count(), item_ids)


def stocktake_dates(item_ids: Iterable[int]) -> dict[int, dt.date]:
    """When each stock item was last counted (InvenTree's stocktake_date)."""
    moments = _grouped(StockTracking.stock_item_id, func.max(StockTracking.created_at), item_ids,
                       StockTracking.action == "counted")
    return {item_id: moment.date() if isinstance(moment, dt.datetime) else moment for item_id, moment in moments.items()}
