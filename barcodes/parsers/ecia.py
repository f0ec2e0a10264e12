"""ISO/IEC 15434 format 06 with ECIA (EIGP 114) data identifiers, as DigiKey and Mouser print them.

`[)>` RS `06` GS `P...` GS `1P...` ... RS EOT. Older headers (`>[)>06` GS, no RS) are accepted, and a
keyboard-wedge scan that lost every separator is split again where a supplier's field order makes
that unambiguous.
"""
from __future__ import annotations

import re
from functools import lru_cache

from barcodes.parsers import Parsed, as_int

GS, RS, EOT = "\x1d", "\x1e", "\x04"
_HEADER = re.compile(r">?\[\)>\x1e?06\x1d?")
_FIELD = re.compile(r"([0-9]{0,3}[A-Z])(.*)", re.S)

# Data identifier -> field name (EIGP 114 / ANSI MH10.8.2).
IDENTIFIERS = {
    "P": "sku", "30P": "sku", "1P": "mpn", "Q": "quantity", "K": "customer_po", "1K": "supplier_so",
    "10K": "invoice", "11K": "packing_list", "4K": "customer_po_line", "14K": "customer_po_line",
    "4L": "country_of_origin", "1T": "lot", "9D": "date_code", "10D": "date_code", "1V": "manufacturer",
    "S": "serial", "1S": "serial", "13Z": "supplier_so_line",
}
# Field orders suppliers print, used to split a wedge scan that lost its separators.
LAYOUTS = {
    "DigiKey": ("P", "30P", "1P", "K", "1K", "10K", "11K", "4L", "Q", "11Z", "12Z", "13Z", "20Z"),
    "Mouser": ("K", "14K", "1P", "Q", "11K", "4L", "1V"),
}
_WEDGE_VALUE = {
    "Q": r"[0-9]+", "4L": r"[A-Z]{2}", "9D": r"[0-9]{4}", "10D": r"[0-9]{4}", "K": r".*",
    "1K": r"[0-9]+", "10K": r"[0-9]+", "11K": r"[0-9]+", "14K": r"[0-9]+",
}
_WEDGE_PATTERNS = {key: re.compile(value, re.S) for key, value in _WEDGE_VALUE.items()}
_ANY = re.compile(r".+", re.S)
MAX_WEDGE = 512


def parse(text: str) -> Parsed | None:
    """Parse an ISO/IEC 15434 format 06 envelope, or None."""
    header = _HEADER.match(text)
    if not header:
        return None
    body = text[header.end():].rstrip(RS + EOT)
    if not body:
        return None
    supplier_hint = "Mouser" if text.startswith(">") else ""
    if GS in body:
        pairs = [_split_field(chunk) for chunk in body.split(GS) if chunk]
        if any(pair is None for pair in pairs):
            return None
        wedge = False
    else:
        pairs, supplier_hint = _split_wedge(body)
        if pairs is None:
            return None
        wedge = True
    return Parsed("ecia", _fields(pairs, supplier_hint, wedge))


def _split_field(chunk: str) -> tuple[str, str] | None:
    match = _FIELD.fullmatch(chunk)
    return (match.group(1), match.group(2)) if match else None


def _fields(pairs: list[tuple[str, str]], supplier_hint: str, wedge: bool) -> dict:
    fields: dict = {}
    identifiers = {}
    for identifier, value in pairs:
        identifiers.setdefault(identifier, value)
        name = IDENTIFIERS.get(identifier)
        if name and value and name not in fields:
            fields[name] = value
    if "quantity" in fields:
        fields["quantity"] = as_int(fields["quantity"])
    fields["supplier"] = supplier_hint or _guess_supplier(identifiers)
    fields["identifiers"] = identifiers
    if wedge:
        fields["separators_recovered"] = True
    return fields


def _guess_supplier(identifiers: dict[str, str]) -> str:
    sku = identifiers.get("P", "") or identifiers.get("30P", "")
    if sku.endswith("-ND") or "30P" in identifiers or "11Z" in identifiers:
        return "DigiKey"
    if "14K" in identifiers and "P" not in identifiers:
        return "Mouser"
    return ""


def _split_wedge(body: str) -> tuple[list[tuple[str, str]] | None, str]:
    """Split separator-less input along each supplier's layout; the split with most fields wins."""
    if len(body) > MAX_WEDGE:
        return None, ""
    best: tuple[tuple[str, str], ...] = ()
    best_supplier = ""
    for supplier, layout in LAYOUTS.items():
        pairs = _best_split(body, layout)
        if pairs and len(pairs) > len(best):
            best, best_supplier = pairs, supplier
    return (list(best), best_supplier) if len(best) >= 2 else (None, "")


def _best_split(body: str, layout: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
    @lru_cache(maxsize=None)
    def best(pos: int, start: int) -> tuple[tuple[str, str], ...] | None:
        if pos == len(body):
            return ()
        found = None
        for index in range(start, len(layout)):
            identifier = layout[index]
            if not body.startswith(identifier, pos):
                continue
            value_at = pos + len(identifier)
            pattern = _WEDGE_PATTERNS.get(identifier, _ANY)
            for end in range(value_at, len(body) + 1):
                if not pattern.fullmatch(body, value_at, end):
                    continue
                rest = best(end, index + 1)
                if rest is not None and (found is None or len(rest) + 1 > len(found)):
                    found = ((identifier, body[value_at:end]),) + rest
        return found

    return best(0, 0)
