"""What the start page shows: how much there is, the person's latest scans and the latest stock changes.

Each is one indexed query: counts of whole tables, the newest rows of the scan log by (user_id, id)
and of the stock history by id.
"""
from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from extensions import db
from models import Company, Part, ScanLog, StockItem, StockLocation, StockTracking, SupplierPart
from services import scanlog

KINDS = (("part", Part), ("stock_item", StockItem), ("stock_location", StockLocation), ("company", Company),
         ("supplier_part", SupplierPart))


def counts() -> dict[str, int]:
    """How many objects there are of each kind, by table name."""
    return {kind: db.session.scalar(db.select(func.count()).select_from(model)) or 0 for kind, model in KINDS}


def recent_scans(user_id: int, limit: int = 6) -> list[tuple[ScanLog, str | None]]:
    """The person's own latest scans, newest first, each with the page of the object it found (or None)."""
    rows = scanlog.history_page(scanlog.ScanFilter(user_id=user_id), size=limit).rows
    return [(row, scanlog.object_path(row)) for row in rows]


def recent_stock_changes(limit: int = 8) -> list[StockTracking]:
    """The latest changes to any stock item (created, moved, counted, received...), newest first."""
    return list(db.session.scalars(
        db.select(StockTracking).order_by(StockTracking.id.desc()).limit(limit)
        .options(joinedload(StockTracking.stock_item).joinedload(StockItem.part), joinedload(StockTracking.user),
                 joinedload(StockTracking.from_location), joinedload(StockTracking.to_location))))
