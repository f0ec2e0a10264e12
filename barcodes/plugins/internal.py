"""Our internal codes and InvenTree's label formats: the code names the object directly."""
from __future__ import annotations

from barcodes import objects
from barcodes.catalog import Catalog
from barcodes.internal import parse_internal, parse_inventree
from barcodes.options import ScanOptions
from barcodes.result import PluginResult, Scan


class InternalPlugin:
    """Resolves Shelfscan internal codes (SSP12E) and InvenTree labels ({"part": 12}, INV-PA12)."""

    name = "internal"
    description = "Shelfscan internal codes and InvenTree labels ({\"part\": 12}, INV-PA12)."

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def scan(self, scan: Scan, options: ScanOptions) -> PluginResult | None:
        """Match an internal code (with this scan's prefix) or an InvenTree code to its object."""
        found = parse_internal(scan.text, options.prefix)
        fmt = "internal"
        if found is None:
            found = parse_inventree(scan.text)
            fmt = "inventree"
        if found is None:
            return None
        object_type, object_id = found
        fields = {"object_type": object_type, "object_id": object_id}
        match = self.catalog.find_match(object_type, object_id)
        if match is None:
            label = objects.kind(object_type).label
            gone = "was deleted" if self.catalog.was_deleted(object_type, object_id) else "does not exist"
            return PluginResult(format=fmt, fields=fields, message=f"{label} {object_id} {gone}.", final=True)
        return PluginResult(matches=[match], format=fmt, fields=fields, final=True)
