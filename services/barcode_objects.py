"""The objects a barcode can name, as ORM objects: the model of each type, and loading one by id."""
from __future__ import annotations

from barcodes.objects import OBJECT_TYPES, is_reference
from extensions import db
from models import Part, StockItem, StockLocation, SupplierPart

MODELS = {"part": Part, "stockitem": StockItem, "stocklocation": StockLocation, "supplierpart": SupplierPart}
assert tuple(MODELS) == OBJECT_TYPES


def get_object(object_type: str, object_id: int):
    """The object by primary key, or None (also for unknown types and ids out of range)."""
    if not is_reference(object_type, object_id):
        return None
    return db.session.get(MODELS[object_type], object_id)
