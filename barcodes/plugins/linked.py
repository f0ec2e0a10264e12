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
        row = links.find(scan)
        if row is None:
            return None
        obj = objects.get_object(row.object_type, row.object_id)
        if obj is None:
            return PluginResult(format="linked", message="The linked object no longer exists.")
        return PluginResult(matches=[objects.match_for(row.object_type, obj)], format="linked")
