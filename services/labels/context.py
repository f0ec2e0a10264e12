"""What a label template sees: plain values for one object, never the ORM object itself."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import selectinload

from barcodes.internal import internal_code
from extensions import db
from models import Part, StockItem, StockLocation, SupplierPart
from services.barcode_engine import scan_options
from services.barcode_objects import MODELS

TYPE_LABELS = {"part": "Part", "stockitem": "Stock item", "stocklocation": "Location",
               "supplierpart": "Supplier part"}
# Every key exists for every type (empty when it does not apply), so one template fits several
# types and a typo is still an error (the sandbox uses StrictUndefined).
FIELDS = ("object_type", "type_label", "id", "code", "title", "name", "ipn", "description", "part_name",
          "location", "quantity", "units", "lot", "serial", "expiry", "status", "sku", "mpn",
          "supplier", "manufacturer", "pack_quantity", "gtin")
_EAGER = {
    "part": (selectinload(Part.default_location),),
    "stockitem": (selectinload(StockItem.part), selectinload(StockItem.location)),
    "stocklocation": (selectinload(StockLocation.parent),),
    "supplierpart": (selectinload(SupplierPart.part), selectinload(SupplierPart.supplier)),
}


class MissingObjects(LookupError):
    """Some requested objects do not exist."""


def number(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 10.50000 -> '10.5'."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


def load_objects(object_type: str, ids: list[int]) -> list:
    """The objects of one type in the order asked (duplicates kept); MissingObjects if any is absent."""
    if object_type not in MODELS:
        raise MissingObjects(f"unknown object type {object_type!r}")
    model = MODELS[object_type]
    found = {}
    unique = sorted(set(ids))
    for start in range(0, len(unique), 500):  # keep IN lists short for SQLite's variable limit
        chunk = unique[start:start + 500]
        query = db.select(model).where(model.id.in_(chunk)).options(*_EAGER[object_type])
        found.update({obj.id: obj for obj in db.session.execute(query).scalars()})
    missing = [i for i in ids if i not in found]
    if missing:
        shown = ", ".join(str(i) for i in missing[:5])
        raise MissingObjects(f"No {TYPE_LABELS[object_type].lower()} with id {shown}.")
    return [found[i] for i in ids]


def label_context(object_type: str, obj, prefix: str) -> dict[str, str]:
    """The values a label template may use for one object (`prefix`: of its internal barcode)."""
    values = dict.fromkeys(FIELDS, "")
    values.update(object_type=object_type, type_label=TYPE_LABELS[object_type], id=str(obj.id),
                  code=internal_code(object_type, obj.id, prefix))
    values.update(_FILLERS[object_type](obj))
    return values


def _part(part: Part) -> dict[str, str]:
    return {"title": part.name, "name": part.name, "ipn": part.ipn or "", "description": part.description,
            "part_name": part.name, "units": part.units, "gtin": part.gtin or "",
            "location": part.default_location.path if part.default_location else ""}


def _stockitem(item: StockItem) -> dict[str, str]:
    quantity = number(item.quantity)
    return {"title": item.part.name, "name": item.part.name, "part_name": item.part.name,
            "ipn": item.part.ipn or "", "description": item.part.description, "units": item.part.units,
            "quantity": quantity, "lot": item.batch, "serial": item.serial or "",
            "expiry": item.expiry_date.isoformat() if item.expiry_date else "", "status": item.status,
            "location": item.location.path if item.location else "", "gtin": item.part.gtin or ""}


def _stocklocation(location: StockLocation) -> dict[str, str]:
    return {"title": location.name, "name": location.name, "description": location.description,
            "location": location.path}


def _supplierpart(supplier_part: SupplierPart) -> dict[str, str]:
    return {"title": supplier_part.sku, "name": supplier_part.part.name, "part_name": supplier_part.part.name,
            "ipn": supplier_part.part.ipn or "", "description": supplier_part.part.description,
            "sku": supplier_part.sku, "mpn": supplier_part.mpn, "supplier": supplier_part.supplier.name,
            "manufacturer": supplier_part.manufacturer_name, "units": supplier_part.part.units,
            "pack_quantity": number(supplier_part.pack_quantity)}


_FILLERS = {"part": _part, "stockitem": _stockitem, "stocklocation": _stocklocation,
            "supplierpart": _supplierpart}


def sample_context(object_type: str) -> dict[str, str]:
    """Made-up values for checking a template when no real object is at hand."""
    values = dict.fromkeys(FIELDS, "Sample")
    values.update(object_type=object_type, type_label=TYPE_LABELS[object_type], id="1",
                  code=internal_code(object_type, 1, scan_options().prefix), quantity="12.5", expiry="2030-01-31")
    return values


def sample_contexts(object_type: str) -> list[dict[str, str]]:
    """Made-up objects a template must print for before it is saved: the usual sample, one with every
    optional value empty, one with long values and a large id (templates often branch on these)."""
    usual = sample_context(object_type)
    empty = {**dict.fromkeys(FIELDS, ""), **{k: usual[k] for k in ("object_type", "type_label", "id", "code", "title")}}
    large = {key: (value * 8)[:40] for key, value in usual.items()}
    large.update(object_type=object_type, type_label=TYPE_LABELS[object_type], id="987654321", quantity="1234567.125",
                 expiry="2030-01-31", code=internal_code(object_type, 987654321, scan_options().prefix))
    return [usual, empty, large]
