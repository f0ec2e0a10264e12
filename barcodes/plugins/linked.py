"""Linked barcodes: any external barcode an operator linked to an object."""
from __future__ import annotations

from barcodes import links, objects
from barcodes.result import PluginResult, Scan


class LinkedPlugin:
    """Resolves barcodes linked to an object (one lookup on the unique hash index)."""

    name = "linked"
    description = "Barcodes linked to a part, stock item, location or supplier part."

    def scan(self, scan: Scan) -> PluginResult | None:
        """Match a linked barcode to its object."""
        target = links.find(scan)
        if target is None:
            return None
        match = objects.find_match(target.object_type, target.object_id)
        if match is None:
            return PluginResult(format="linked", message="The linked object no longer exists.")
        return PluginResult(matches=[match], format="linked")
