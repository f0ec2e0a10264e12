"""GS1 codes (element strings, Digital Link, bare EAN/UPC): the GTIN names a part."""
from __future__ import annotations

from barcodes.catalog import Catalog
from barcodes.parsers import parse
from barcodes.result import PluginResult, Scan

GS1_FORMATS = ("gs1", "gs1-digital-link", "gtin")


def gtin_forms(gtin14: str) -> list[str]:
    """The ways a GTIN may be stored: GTIN-14 and its shorter forms without leading zeros."""
    forms = [gtin14]
    for length in (13, 12, 8):
        if gtin14[: 14 - length].strip("0") == "":
            forms.append(gtin14[14 - length:])
    return forms


class GS1Plugin:
    """Resolves GS1 data to the part with that GTIN (indexed lookup on Part.gtin)."""

    name = "gs1"
    description = "GS1 codes: EAN/UPC, GS1-128, GS1 DataMatrix/QR and Digital Link, by GTIN."

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def scan(self, scan: Scan) -> PluginResult | None:
        """Match GS1 data to parts by GTIN."""
        parsed = parse(scan.text, scan.aim_id)
        if parsed is None or parsed.format not in GS1_FORMATS:
            return None
        fields = dict(parsed.fields)
        gtin = fields.get("gtin") or fields.get("content_gtin")
        if not gtin:
            return PluginResult(format=parsed.format, fields=fields)
        matches = self.catalog.parts_by_gtin(gtin_forms(str(gtin)))
        message = "" if matches else f"No part has the GTIN {gtin}."
        return PluginResult(matches=matches, format=parsed.format, fields=fields, message=message)
