"""Edits that arrive through the API (the InvenTree app's edit screens), saved by the same services
as the web's edit forms, so the same rules apply: unique IPNs and SKUs, no location inside itself,
a stock item's history entry for every change."""
from __future__ import annotations

from typing import Any

from services import inventory


def update(kind: str, obj, changes: dict[str, Any], *, user_id: int | None):
    """Apply `changes` (model attribute -> value) to `obj` and commit; FieldErrors with nothing saved."""
    if kind == "part":
        return inventory.save_part(obj, changes)
    if kind == "stocklocation":
        return inventory.save_location(obj, changes)
    if kind == "stockitem":
        # The edit service checks the whole item: give it what the change leaves as it was.
        current = {"part_id": obj.part_id, "location_id": obj.location_id, "quantity": obj.quantity,
                   "serial": obj.serial}
        return inventory.save_stock_item(obj, {**current, **changes}, user_id)
    if kind == "supplierpart":
        current = {"part_id": obj.part_id, "supplier_id": obj.supplier_id}
        return inventory.save_supplier_part(obj, {**current, **changes})
    raise KeyError(kind)

