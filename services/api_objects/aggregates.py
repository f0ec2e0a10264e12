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


def _grouped(query, ids: list[int]) -> dict:
    return dict(db.session.execute(query).all()) if ids else {}


def part_in_stock(part_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each part's quantity in stock (available statuses, more than zero)."""
    ids = list(part_ids)
    return _grouped(select(StockItem.part_id, func.sum(StockItem.quantity))
                    .where(StockItem.part_id.in_(ids), IN_STOCK).group_by(StockItem.part_id), ids)


def part_supplier_counts(part_ids: Iterable[int]) -> dict[int, int]:
    """How many supplier parts each part has."""
    ids = list(part_ids)
    return _grouped(select(SupplierPart.part_id, func.count()).where(SupplierPart.part_id.in_(ids))
                    .group_by(SupplierPart.part_id), ids)


def supplier_part_in_stock(supplier_part_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each supplier part's quantity in stock."""
    ids = list(supplier_part_ids)
    return _grouped(select(StockItem.supplier_part_id, func.sum(StockItem.quantity))
                    .where(StockItem.supplier_part_id.in_(ids), IN_STOCK).group_by(StockItem.supplier_part_id), ids)


def company_part_counts(company_ids: Iterable[int]) -> dict[int, int]:
    """How many supplier parts each company sells."""
    ids = list(company_ids)
    return _grouped(select(SupplierPart.supplier_id, func.count()).where(SupplierPart.supplier_id.in_(ids))
                    .group_by(SupplierPart.supplier_id), ids)


def tracking_counts(item_ids: Iterable[int]) -> dict[int, int]:
    """How many history entries each stock item has."""
    ids = list(item_ids)
    return _grouped(select(StockTracking.stock_item_id, func.count()).where(StockTracking.stock_item_id.in_(ids))
                    .group_by(StockTracking.stock_item_id), ids)


def stocktake_dates(item_ids: Iterable[int]) -> dict[int, dt.date]:
    """When each stock item was last counted (InvenTree's stocktake_date)."""
    ids = list(item_ids)
    rows = _grouped(select(StockTracking.stock_item_id, func.max(StockTracking.created_at))
                    .where(StockTracking.stock_item_id.in_(ids), StockTracking.action == "counted")
                    .group_by(StockTracking.stock_item_id), ids)
    return {item_id: moment.date() if isinstance(moment, dt.datetime) else moment for item_id, moment in rows.items()}
