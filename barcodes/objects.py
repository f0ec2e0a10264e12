"""The four object types a barcode can name: stable web and API paths, human label, the Match."""
from __future__ import annotations

from dataclasses import dataclass

from barcodes.result import Match

OBJECT_TYPES = ("part", "stockitem", "stocklocation", "supplierpart")
MAX_ID = 2**63 - 1  # the largest id any of our databases stores


@dataclass(frozen=True)
class ObjectKind:
    """How one object type is addressed and named."""

    key: str
    web_path: str  # format string with {id}
    api_path: str  # format string with {id}
    label: str  # human name of the type


KINDS: dict[str, ObjectKind] = {
    "part": ObjectKind("part", "/parts/{id}", "/api/part/{id}/", "Part"),
    "stockitem": ObjectKind("stockitem", "/stock-items/{id}", "/api/stock/{id}/", "Stock item"),
    "stocklocation": ObjectKind("stocklocation", "/locations/{id}", "/api/stock/location/{id}/", "Location"),
    "supplierpart": ObjectKind("supplierpart", "/supplier-parts/{id}", "/api/company/part/{id}/", "Supplier part"),
}
assert tuple(KINDS) == OBJECT_TYPES


def kind(object_type: str) -> ObjectKind:
    """The ObjectKind for a type key; raises KeyError for unknown types."""
    try:
        return KINDS[object_type]
    except KeyError:
        raise KeyError(f"unknown object type {object_type!r}") from None


def is_reference(object_type: str, object_id: int) -> bool:
    """Whether (type, id) can name an object: a known type and a whole-number id in the stored range."""
    return (object_type in KINDS and not isinstance(object_id, bool) and isinstance(object_id, int)
            and 0 < object_id <= MAX_ID)


def web_url(object_type: str, object_id: int) -> str:
    """The object's web page path, e.g. /parts/12."""
    return kind(object_type).web_path.format(id=object_id)


def api_url(object_type: str, object_id: int) -> str:
    """The object's API path, e.g. /api/part/12/."""
    return kind(object_type).api_path.format(id=object_id)


def make_match(object_type: str, object_id: int, title: str) -> Match:
    """The Match for an object whose title the caller already has."""
    return Match(object_type=object_type, object_id=object_id, title=title,
                 url=web_url(object_type, object_id), api_url=api_url(object_type, object_id))
