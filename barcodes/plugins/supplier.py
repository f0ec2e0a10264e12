"""Supplier labels (ECIA/DigiKey/Mouser, LCSC, TME): SKU of that supplier, then MPN."""
from __future__ import annotations

from sqlalchemy import bindparam, func, select

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
            rows = _lookup("sku", str(fields["sku"]), names)
        if not rows and fields.get("mpn"):
            rows = _lookup("mpn", str(fields["mpn"]), names)
            if not rows and names:
                rows = _lookup("mpn", str(fields["mpn"]), ())
        matches = [objects.make_match("supplierpart", row.id, SupplierPart.title_of(row.name, row.sku))
                   for row in rows]
        message = "" if matches else "No supplier part with this SKU or MPN."
        return PluginResult(matches=matches, format=parsed.format, fields=fields, message=message)


def _lookups() -> dict[tuple[str, bool], object]:
    """(id, sku, supplier name) of supplier parts by sku or mpn (both indexed), with or without the
    supplier's company names: built once and in Core, as every supplier label scanned comes here."""
    supplier_part, company = SupplierPart.__table__, Company.__table__
    statements = {}
    for column in ("sku", "mpn"):
        query = (select(supplier_part.c.id, supplier_part.c.sku, company.c.name)
                 .join_from(supplier_part, company, supplier_part.c.supplier_id == company.c.id)
                 .where(supplier_part.c[column] == bindparam("value")))
        statements[column, False] = query.order_by(supplier_part.c.id).limit(MAX_MATCHES)
        statements[column, True] = (query.where(func.lower(company.c.name).in_(bindparam("names", expanding=True)))
                                    .order_by(supplier_part.c.id).limit(MAX_MATCHES))
    return statements


_LOOKUPS = _lookups()


def _lookup(column: str, value: str, names: tuple[str, ...]) -> list:
    """Supplier parts whose `column` is `value`, of one of the companies `names` when given."""
    params = {"value": value, "names": list(names)} if names else {"value": value}
    return db.session.connection().execute(_LOOKUPS[column, bool(names)], params).all()
