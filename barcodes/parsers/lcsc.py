"""LCSC's QR code: `{pbn:PICK...,on:SO...,pc:C312270,pm:MPN,qty:2,mc:,cc:1,pdi:...}`."""
from __future__ import annotations

import re

from barcodes.parsers import Parsed, as_int

_SHAPE = re.compile(r"\{([a-z]+:[^,{}]*)(,[a-z]+:[^,{}]*)*\}")
FIELDS = {"pc": "sku", "pm": "mpn", "qty": "quantity", "on": "supplier_so", "pbn": "pick_batch",
          "pdi": "packing_id", "mc": "manufacturer_code", "cc": "carton_count"}


def parse(text: str) -> Parsed | None:
    """Parse an LCSC label, or None."""
    body = text.strip()
    if len(body) > 1024 or not _SHAPE.fullmatch(body):
        return None
    pairs = dict(item.split(":", 1) for item in body[1:-1].split(","))
    if "pc" not in pairs and "pm" not in pairs:
        return None
    fields: dict = {"supplier": "LCSC"}
    for key, value in pairs.items():
        if key in FIELDS and value:
            fields[FIELDS[key]] = value
    if "quantity" in fields:
        fields["quantity"] = as_int(fields["quantity"])
    return Parsed("lcsc", fields)
