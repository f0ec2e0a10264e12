"""Supplier labels (ECIA/DigiKey/Mouser, LCSC, TME): SKU of that supplier, then MPN."""
from __future__ import annotations

from barcodes.catalog import Catalog
from barcodes.parsers import parse
from barcodes.result import PluginResult, Scan

SUPPLIER_FORMATS = ("ecia", "lcsc", "tme")
# Company names (lower case) that mean the supplier a label format names.
SUPPLIER_NAMES = {
    "DigiKey": ("digikey", "digi-key", "digi-key electronics", "digikey electronics", "digi key"),
    "Mouser": ("mouser", "mouser electronics"),
    "LCSC": ("lcsc", "lcsc electronics"),
    "TME": ("tme", "transfer multisort elektronik"),
}


class SupplierPlugin:
    """Resolves supplier labels to supplier parts (indexed SKU lookup, then MPN)."""

    name = "supplier"
    description = "Supplier labels: ECIA (DigiKey, Mouser), LCSC and TME codes, by SKU then MPN."

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def scan(self, scan: Scan) -> PluginResult | None:
        """Match a supplier label to the supplier parts it names."""
        parsed = parse(scan.text, scan.aim_id)
        if parsed is None or parsed.format not in SUPPLIER_FORMATS:
            return None
        fields = dict(parsed.fields)
        names = SUPPLIER_NAMES.get(parsed.supplier, ())
        matches = []
        if fields.get("sku"):
            matches = self.catalog.supplier_parts("sku", str(fields["sku"]), names)
        if not matches and fields.get("mpn"):
            matches = self.catalog.supplier_parts("mpn", str(fields["mpn"]), names)
            if not matches and names:
                matches = self.catalog.supplier_parts("mpn", str(fields["mpn"]))
        message = "" if matches else "No supplier part with this SKU or MPN."
        return PluginResult(matches=matches, format=parsed.format, fields=fields, message=message)
