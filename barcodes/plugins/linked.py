"""Linked barcodes: any external barcode an operator linked to an object."""
from __future__ import annotations

from barcodes.catalog import Catalog
from barcodes.links import barcode_hash
from barcodes.result import PluginResult, Scan


class LinkedPlugin:
    """Resolves barcodes linked to an object (one lookup on the unique hash index)."""

    name = "linked"
    description = "Barcodes linked to a part, stock item, location or supplier part."

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def scan(self, scan: Scan) -> PluginResult | None:
        """Match a linked barcode to its object."""
        target = self.catalog.linked_target(barcode_hash(scan))
        if target is None:
            return None
        match = self.catalog.find_match(*target)
        if match is None:
            return PluginResult(format="linked", message="The linked object no longer exists.")
        return PluginResult(matches=[match], format="linked", linked=True)
