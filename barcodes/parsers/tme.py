"""TME's labels: the QR form `QTY:1 PN:WBP-302 PO:... CPO:... MFR:... MPN:... RoHS https://...` and the
DataMatrix form `PWBP-302 1PMPNWBP-302 Q1 K19361337/1` (ECIA identifiers separated by spaces)."""
from __future__ import annotations

import re

from barcodes.parsers import Parsed, as_int

QR_FIELDS = {"QTY": "quantity", "PN": "sku", "PO": "supplier_so", "CPO": "customer_po",
             "MFR": "manufacturer", "MPN": "mpn"}
# Data identifiers of the DataMatrix form, longest first so "1P" wins over "P".
DM_FIELDS = (("1P", "mpn"), ("1K", "supplier_so"), ("P", "sku"), ("Q", "quantity"), ("K", "supplier_so"))
_DM_TOKEN = re.compile(r"(?:1P|1K|P|Q|K)\S+")


def parse(text: str) -> Parsed | None:
    """Parse a TME label (QR or DataMatrix form), or None."""
    if len(text) > 1024 or "\x1d" in text or "\n" in text:
        return None
    return _parse_qr(text) or _parse_datamatrix(text)


def _parse_qr(text: str) -> Parsed | None:
    tokens = text.split()
    pairs = {}
    for token in tokens:
        key, sep, value = token.partition(":")
        if sep and key in QR_FIELDS and value and not value.startswith("//"):
            pairs[QR_FIELDS[key]] = value
    if "sku" not in pairs or "quantity" not in pairs:
        return None
    fields: dict = {"supplier": "TME", **pairs}
    _typed_quantity(fields)
    url = next((t for t in tokens if t.startswith(("http://", "https://"))), "")
    if url:
        fields["url"] = url
    return Parsed("tme", fields)


def _parse_datamatrix(text: str) -> Parsed | None:
    tokens = text.split(" ")
    if len(tokens) < 2 or not all(_DM_TOKEN.fullmatch(t) for t in tokens):
        return None
    fields: dict = {"supplier": "TME"}
    for token in tokens:
        for prefix, name in DM_FIELDS:
            if token.startswith(prefix):
                fields.setdefault(name, token[len(prefix):])
                break
    if "sku" not in fields or "quantity" not in fields:
        return None
    _typed_quantity(fields)
    return Parsed("tme", fields)


def _typed_quantity(fields: dict) -> None:
    fields["quantity"] = as_int(str(fields["quantity"]))
