"""The four object types a barcode can name: model, stable web and API paths, human title."""
from __future__ import annotations

from dataclasses import dataclass

from barcodes.result import Match
from extensions import db
from models import OBJECT_TYPES, Part, StockItem, StockLocation, SupplierPart


@dataclass(frozen=True)
class ObjectKind:
    """How one object type is stored, addressed and named."""

    key: str
    model: type
    web_path: str  # format string with {id}
    api_path: str  # format string with {id}
    label: str  # human name of the type


KINDS: dict[str, ObjectKind] = {
    "part": ObjectKind("part", Part, "/parts/{id}", "/api/part/{id}/", "Part"),
    "stockitem": ObjectKind("stockitem", StockItem, "/stock-items/{id}", "/api/stock/{id}/", "Stock item"),
    "stocklocation": ObjectKind("stocklocation", StockLocation, "/locations/{id}", "/api/stock/location/{id}/", "Location"),
    "supplierpart": ObjectKind("supplierpart", SupplierPart, "/supplier-parts/{id}", "/api/company/part/{id}/", "Supplier part"),
}
assert tuple(KINDS) == OBJECT_TYPES


def kind(object_type: str) -> ObjectKind:
    """The ObjectKind for a type key; raises KeyError for unknown types."""
    try:
        return KINDS[object_type]
    except KeyError:
        raise KeyError(f"unknown object type {object_type!r}") from None


def web_url(object_type: str, object_id: int) -> str:
    """The object's web page path, e.g. /parts/12."""
    return kind(object_type).web_path.format(id=object_id)


def api_url(object_type: str, object_id: int) -> str:
    """The object's API path, e.g. /api/part/12/."""
    return kind(object_type).api_path.format(id=object_id)


def get_object(object_type: str, object_id: int):
    """The object by primary key, or None (also for unknown types and ids out of range)."""
    if object_type not in KINDS or isinstance(object_id, bool) or not isinstance(object_id, int):
        return None
    if not 0 < object_id < 2**63:
        return None
    return db.session.get(KINDS[object_type].model, object_id)


def title_for(object_type: str, obj) -> str:
    """A human title for the object, e.g. 'Part R-10K 10k resistor'."""
    try:
        name = str(obj)
    except Exception:  # a half-loaded relation must not break a scan result
        name = f"#{obj.id}"
    return name


def match_for(object_type: str, obj) -> Match:
    """The Match a plugin returns for one object."""
    return Match(object_type=object_type, object_id=obj.id, title=title_for(object_type, obj),
                 url=web_url(object_type, obj.id), api_url=api_url(object_type, obj.id))
