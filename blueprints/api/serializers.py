"""Objects as the API shows them: InvenTree's field names, built from our models."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import and_, bindparam, select

from barcodes import objects
from database.prepared import Prepared
from extensions import db
from models import Barcode, Company, Part, StockItem, StockLocation, SupplierPart
from services.api_objects import codes
from services.barcode_objects import MODELS


def web_url(object_type: str, pk: int) -> str:
    """The object's page in the web UI."""
    return objects.web_url(object_type, pk)


def reference(object_type: str, pk: int) -> dict[str, Any]:
    """What InvenTree's barcode endpoints put under the type key: pk and the two URLs."""
    return {"pk": pk, "api_url": objects.api_url(object_type, pk), "web_url": web_url(object_type, pk)}


def barcode_hashes(object_type: str, ids: Iterable[int]) -> dict[int, str]:
    """The linked barcode hash of each object that has one (the first linked, when several)."""
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(Barcode.object_id, Barcode.data_hash)
        .where(Barcode.object_type == object_type, Barcode.object_id.in_(ids))
        .order_by(Barcode.id.desc())
    )
    return {object_id: data_hash for object_id, data_hash in rows}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def part(row: Part | tuple, barcode_hash: str = "") -> dict[str, Any]:
    """A part with InvenTree's field names (from the model or a row of its columns). Shelfscan has no
    categories, variants, assemblies or images: those fields say so (null, false, empty)."""
    return {
        "pk": row.id, "name": row.name, "full_name": Part.title_of(row.ipn, row.name), "IPN": row.ipn or "",
        "description": row.description, "units": row.units, "active": row.active,
        "default_location": row.default_location_id, "category": None, "purchaseable": True,
        "component": True, "assembly": False, "trackable": False, "virtual": False, "is_template": False,
        "salable": False, "testable": False, "locked": False, "starred": False, "variant_of": None,
        "revision": "", "keywords": "", "link": "", "notes": "", "image": "", "thumbnail": "",
        "gtin": row.gtin or "", "barcode_hash": barcode_hash, "web_url": web_url("part", row.id),
    }


def _date(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def stock_item(row: StockItem | tuple, barcode_hash: str = "") -> dict[str, Any]:
    """A stock item with InvenTree's field names, from the model or a row of its columns. The status is
    the number clients show it by: InvenTree's code, or for "missing" its custom key, which clients
    also find in status_custom_key. (Were it LOST's 70, an edit form would send 70 back and turn a
    missing item lost.) Orders, customers, builds, prices and packaging do not exist here: not set."""
    in_stock = row.quantity is not None and row.quantity > 0 and row.status in codes.AVAILABLE_STATUSES
    return {
        "pk": row.id, "part": row.part_id, "location": row.location_id, "supplier_part": row.supplier_part_id,
        "quantity": _number(row.quantity), "serial": row.serial or "", "batch": row.batch,
        "expiry_date": _date(row.expiry_date),
        "expired": row.expiry_date is not None and row.expiry_date < dt.date.today(), "stale": False,
        "status": codes.display_code(row.status), "status_custom_key": codes.custom_key(row.status),
        "status_text": codes.STOCK_STATUS.get(row.status, codes.STOCK_STATUS["ok"]).label,
        "in_stock": in_stock, "allocated": 0, "is_building": False, "packaging": "", "link": "",
        "purchase_price": None, "purchase_price_currency": "", "purchase_order": None, "sales_order": None,
        "customer": None, "belongs_to": None, "notes": row.notes,
        "creation_date": _date(row.created_at), "updated": row.updated_at.isoformat() if row.updated_at else None,
        "barcode_hash": barcode_hash, "web_url": web_url("stockitem", row.id),
    }


def stock_location(row: StockLocation, barcode_hash: str = "", path: str | None = None) -> dict[str, Any]:
    """A stock location with InvenTree's field names (`path`: its path when the caller has it)."""
    return {
        "pk": row.id, "name": row.name, "description": row.description, "parent": row.parent_id,
        "pathstring": row.path if path is None else path, "structural": False, "external": False, "icon": "", "location_type": None,
        "barcode_hash": barcode_hash, "web_url": web_url("stocklocation", row.id),
    }


def company(row: Company) -> dict[str, Any]:
    """A company, as InvenTree's supplier_detail."""
    return {
        "pk": row.id, "name": row.name, "description": row.description, "website": row.website,
        "is_supplier": row.is_supplier, "is_manufacturer": row.is_manufacturer, "is_customer": False,
        "active": True, "email": "", "phone": "", "link": "", "notes": "", "currency": "",
        "image": "", "thumbnail": "",
    }


def supplier_part(row: SupplierPart, barcode_hash: str = "") -> dict[str, Any]:
    """A supplier part with InvenTree's field names (SKU, MPN, supplier_detail)."""
    return {
        "pk": row.id, "part": row.part_id, "supplier": row.supplier_id, "supplier_detail": company(row.supplier),
        "SKU": row.sku, "MPN": row.mpn, "manufacturer_name": row.manufacturer_name,
        "pack_quantity": f"{row.pack_quantity.normalize():f}", "pack_quantity_native": _number(row.pack_quantity),
        "link": row.link, "note": "", "packaging": "", "active": True, "manufacturer_part": None,
        "on_order": 0, "barcode_hash": barcode_hash, "web_url": web_url("supplierpart", row.id),
    }


SERIALIZERS = {"part": part, "stockitem": stock_item, "stocklocation": stock_location, "supplierpart": supplier_part}


def serialize(object_type: str, row) -> dict[str, Any]:
    """One object, with its linked barcode hash."""
    return SERIALIZERS[object_type](row, barcode_hashes(object_type, [row.id]).get(row.id, ""))


def _core_lookups() -> dict[str, Prepared]:
    """Per type whose serializer reads only its own columns: one Core query for them and the
    linked barcode hash. A scan answer needs this on every match, and Core costs a fifth of the ORM."""
    barcode = Barcode.__table__
    lookups = {}
    for object_type, model in (("part", Part), ("stockitem", StockItem)):
        table = model.__table__
        linked = and_(barcode.c.object_type == object_type, barcode.c.object_id == table.c.id)
        lookups[object_type] = Prepared(
            select(table, barcode.c.data_hash.label("linked_hash")).select_from(table.outerjoin(barcode, linked))
            .where(table.c.id == bindparam("pk")).order_by(barcode.c.id.desc()).limit(1))
    return lookups


_CORE_LOOKUPS = _core_lookups()


def find_serialized(object_type: str, pk: int) -> dict[str, Any] | None:
    """One object by pk, serialized with its linked barcode hash, in one query; None when missing."""
    core = _CORE_LOOKUPS.get(object_type)
    if core is not None:
        row = core.first({"pk": pk})
        return None if row is None else SERIALIZERS[object_type](row, row.linked_hash or "")
    model = MODELS[object_type]
    linked = and_(Barcode.object_type == object_type, Barcode.object_id == model.id)
    row = db.session.execute(
        db.select(model, Barcode.data_hash).outerjoin(Barcode, linked).where(model.id == pk)
        .order_by(Barcode.id.desc()).limit(1)
    ).first()
    return None if row is None else SERIALIZERS[object_type](row[0], row[1] or "")


def serialize_many(object_type: str, rows: list) -> list[dict[str, Any]]:
    """Objects of one type, with their barcode hashes fetched in one query."""
    hashes = barcode_hashes(object_type, [row.id for row in rows])
    return [SERIALIZERS[object_type](row, hashes.get(row.id, "")) for row in rows]
