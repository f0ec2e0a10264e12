"""What the built-in plugins need from the database, as an interface the app implements.

The engine never queries a database itself: the factory builds the registry with a Catalog
(services/barcode_catalog.py on the app's database; tests may pass an in-memory one) and each
built-in plugin gets it at construction. Every method is one indexed lookup on the scan path.
"""
from __future__ import annotations

from typing import ContextManager, Protocol

from barcodes.result import Match

# The most objects one lookup returns: a scan that names more than this is a data problem anyway.
MAX_MATCHES = 20


class Catalog(Protocol):
    """The objects barcodes name, as the built-in plugins look them up."""

    def find_match(self, object_type: str, object_id: int) -> Match | None:
        """The Match for (type, id), or None when there is no such object (or no such type)."""

    def was_deleted(self, object_type: str, object_id: int) -> bool:
        """Whether (type, id) names an object that is gone although it existed: ids only grow, so a
        later object of that type proves this one was made and then deleted."""

    def linked_target(self, data_hash: str) -> tuple[str, int] | None:
        """The (type, id) a linked barcode with this data hash points to, or None."""

    def parts_by_gtin(self, forms: list[str]) -> list[Match]:
        """Parts whose GTIN is one of `forms`, by id, at most MAX_MATCHES."""

    def supplier_parts(self, field: str, value: str, supplier_names: tuple[str, ...] = ()) -> list[Match]:
        """Supplier parts whose `field` ('sku' or 'mpn') is `value`, by id, at most MAX_MATCHES; only
        those of a supplier whose lower-case name is one of `supplier_names`, when given."""

    def isolated(self) -> ContextManager[None]:
        """A block whose database work is undone alone when it raises (a SAVEPOINT where the
        database needs one), so a failing third-party plugin cannot spoil the caller's transaction."""
