"""Supplier labels (ECIA/DigiKey/Mouser, LCSC, TME): SKU of that supplier, then MPN."""
from __future__ import annotations

from sqlalchemy import func

from barcodes import objects
from barcodes.parsers import parse
from barcodes.result import PluginResult, Scan
from extensions import db
from models import Company, SupplierPart

SUPPLIER_FORMATS = ("ecia", "lcsc", "tme")
# Company names (lower case) that mean the supplier a label format names.
SUPPLIER_NAMES = {
    "DigiKey": ("digikey", "digi-key", "digi-key electronics", "digikey electronics", "digi key"),
    "Mouser": ("mouser", "mouser electronics"),
    "LCSC": ("lcsc", "lcsc electronics"),
    "TME": ("tme", "transfer multisort elektronik"),
}
MAX_MATCHES = 20


class SupplierPlugin:
    """Resolves supplier labels to supplier parts (indexed SKU lookup, then MPN)."""

    name = "supplier"
    description = "Supplier labels: ECIA (DigiKey, Mouser), LCSC and TME codes, by SKU then MPN."

    def scan(self, scan: Scan) -> PluginResult | None:
        """Match a supplier label to the supplier parts it names."""
        parsed = parse(scan.text, scan.aim_id)
        if parsed is None or parsed.format not in SUPPLIER_FORMATS:
            return None
        fields = dict(parsed.fields)
        names = SUPPLIER_NAMES.get(parsed.supplier, ())
        rows = []
        if fields.get("sku"):
            rows = _lookup(SupplierPart.sku == str(fields["sku"]), names)
        if not rows and fields.get("mpn"):
            rows = _lookup(SupplierPart.mpn == str(fields["mpn"]), names)
            if not rows and names:
                rows = _lookup(SupplierPart.mpn == str(fields["mpn"]), ())
        matches = [objects.match_for("supplierpart", row) for row in rows]
        message = "" if matches else "No supplier part with this SKU or MPN."
        return PluginResult(matches=matches, format=parsed.format, fields=fields, message=message)


def _lookup(condition, names: tuple[str, ...]) -> list[SupplierPart]:
    """Supplier parts by an indexed column, limited to the supplier's company names when known."""
    query = db.select(SupplierPart).where(condition)
    if names:
        query = query.join(Company, SupplierPart.supplier_id == Company.id).where(
            func.lower(Company.name).in_(names))
    return list(db.session.execute(query.order_by(SupplierPart.id).limit(MAX_MATCHES)).scalars())
