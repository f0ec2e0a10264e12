"""What the object endpoints add to the base serializers: InvenTree's computed numbers (in_stock,
items, tracking_items...) and the `*_detail` expansions a client asks for, a page at a time.

The InvenTree app reads these: a stock item's `part_detail.full_name` and `location_detail.pathstring`
for its list rows, a location's `items`, a part's `in_stock` and `suppliers`. Every number comes
from one grouped query per page (services/api_objects/aggregates.py).
"""
from __future__ import annotations

from typing import Any

from blueprints.api import serializers
from models import Part, StockLocation, StockTracking, SupplierPart, User
from services.api_objects import aggregates, codes
from services.api_objects.aggregates import by_id
from services.api_objects.locations import item_counts
from services.location_tree import LocationTree, load_tree


# InvenTree includes a stock item's part_detail unless asked not to (stock/api.py StockApiMixin).
DEFAULT_FLAGS = {"stockitem": frozenset({"part_detail"})}


def _float(value) -> float:
    return float(value or 0)


def location_brief(location: StockLocation, tree: LocationTree) -> dict[str, Any]:
    """A location as InvenTree's location_detail shows it."""
    return {"pk": location.id, "name": location.name, "description": location.description,
            "parent": location.parent_id, "pathstring": tree.path(location.id), "icon": ""}


def _parts(rows: list, out: list[dict], flags: set[str], **_) -> None:
    ids = [row.id for row in rows]
    stock, suppliers = aggregates.part_in_stock(ids), aggregates.part_supplier_counts(ids)
    for row, data in zip(rows, out):
        quantity = _float(stock.get(row.id))
        data.update(in_stock=quantity, total_in_stock=quantity, unallocated_stock=quantity,
                    suppliers=suppliers.get(row.id, 0), ordering=0, building=0)
        if "category_detail" in flags:
            data["category_detail"] = None


def _stock_items(rows: list, out: list[dict], flags: set[str], tree: LocationTree, **_) -> None:
    ids = [row.id for row in rows]
    tracked, counted = aggregates.tracking_counts(ids), aggregates.stocktake_dates(ids)
    parts = by_id(Part, (row.part_id for row in rows)) if "part_detail" in flags else {}
    locations = by_id(StockLocation, (row.location_id for row in rows)) if "location_detail" in flags else {}
    supplier_parts = by_id(SupplierPart, (row.supplier_part_id for row in rows)) \
        if flags & {"supplier_part_detail", "supplier_detail"} else {}
    for row, data in zip(rows, out):
        data.update(tracking_items=tracked.get(row.id, 0),
                    stocktake_date=counted[row.id].isoformat() if row.id in counted else None)
        if row.part_id in parts:
            data["part_detail"] = serializers.part(parts[row.part_id])
        if "location_detail" in flags:
            location = locations.get(row.location_id)
            data["location_detail"] = location_brief(location, tree) if location else None
        supplier_part = supplier_parts.get(row.supplier_part_id)
        if "supplier_part_detail" in flags:
            data["supplier_part_detail"] = serializers.supplier_part(supplier_part) if supplier_part else None
        if "supplier_detail" in flags:  # the app reads the supplier from here as well
            data["supplier_detail"] = serializers.company(supplier_part.supplier) if supplier_part else None


def _locations(rows: list, out: list[dict], flags: set[str], tree: LocationTree, counts: dict | None = None,
               **_) -> None:
    counts = counts if counts is not None else item_counts(tree, [row.id for row in rows])
    for row, data in zip(rows, out):
        data.update(level=tree.level(row.id), items=counts.get(row.id, 0), sublocations=len(tree.below(row.id)))
        if "path_detail" in flags:
            data["path"] = [{"pk": node, "name": tree.names[node]} for node in tree.chain(row.id)]


def _supplier_parts(rows: list, out: list[dict], flags: set[str], **_) -> None:
    stock = aggregates.supplier_part_in_stock(row.id for row in rows)
    parts = by_id(Part, (row.part_id for row in rows)) if "part_detail" in flags else {}
    for row, data in zip(rows, out):
        data["in_stock"] = _float(stock.get(row.id))
        if "part_detail" in flags:
            data["part_detail"] = serializers.part(parts[row.part_id])
        if "manufacturer_detail" in flags:
            data["manufacturer_detail"] = None
        if "manufacturer_part_detail" in flags:
            data["manufacturer_part_detail"] = None


def _companies(rows: list, out: list[dict], flags: set[str], **_) -> None:
    supplied = aggregates.company_part_counts(row.id for row in rows)
    for row, data in zip(rows, out):
        data.update(parts_supplied=supplied.get(row.id, 0), parts_manufactured=0)


def tracking_entry(row: StockTracking, users: dict[int, User], user_detail: bool) -> dict[str, Any]:
    """One stock-history entry as InvenTree's StockTrackingSerializer shows it."""
    code = codes.HISTORY.get(row.action, codes.Code(0, row.action.upper(), row.action.capitalize(), ""))
    deltas: dict[str, Any] = {}
    if row.quantity_after is not None:
        deltas["quantity"] = float(row.quantity_after)
    if row.to_location_id is not None and row.to_location_id != row.from_location_id:
        deltas["location"] = row.to_location_id
    entry = {"pk": row.id, "item": row.stock_item_id, "date": row.created_at.isoformat(),
             "tracking_type": code.key, "label": code.label, "notes": row.notes, "deltas": deltas,
             "user": row.user_id}
    if user_detail:
        user = users.get(row.user_id)
        entry["user_detail"] = {"pk": user.id, "username": user.username, "first_name": "", "last_name": "",
                                "email": ""} if user else None
    return entry


def _tracking(rows: list, out: list[dict], flags: set[str], **_) -> None:
    users = by_id(User, (row.user_id for row in rows))
    out[:] = [tracking_entry(row, users, "user_detail" in flags) for row in rows]


ENRICH = {"part": _parts, "stockitem": _stock_items, "stocklocation": _locations, "supplierpart": _supplier_parts,
          "company": _companies, "stocktracking": _tracking}


def serialize(kind: str, rows: list, flags: set[str], *, tree: LocationTree | None = None,
              counts: dict | None = None) -> list[dict[str, Any]]:
    """A page of objects as the object endpoints answer them."""
    if kind in ("stockitem", "stocklocation") and tree is None:
        tree = load_tree()
    if kind == "company":
        out = [serializers.company(row) for row in rows]
    elif kind == "stocktracking":
        out = []
    elif kind == "stocklocation":  # paths from the tree, not a walk up the parents per location
        hashes = serializers.barcode_hashes(kind, [row.id for row in rows])
        out = [serializers.stock_location(row, hashes.get(row.id, ""), path=tree.path(row.id)) for row in rows]
    else:
        out = serializers.serialize_many(kind, rows)
    ENRICH[kind](rows, out, flags, tree=tree, counts=counts)
    return out


def one(kind: str, row, flags: set[str] | None = None) -> dict[str, Any]:
    """One object as the detail endpoints answer it (with the default expansions unless told)."""
    return serialize(kind, [row], set(DEFAULT_FLAGS.get(kind, ())) if flags is None else flags)[0]

