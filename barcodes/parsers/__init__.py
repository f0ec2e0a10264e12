"""Parsers for codes we did not print: GS1, ISO/IEC 15434 (ECIA), LCSC and TME.

`parse(text)` returns the first format that recognises the text, with named fields (sku, mpn,
quantity, lot, date_code, customer_po, supplier_so, gtin, serial, expiry, manufacturer, supplier...).
A parser never raises: anything it cannot read is simply not its format.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Parsed:
    """A recognised format and its named fields."""

    format: str
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def supplier(self) -> str:
        """The supplier the format belongs to ('' when not known)."""
        return str(self.fields.get("supplier", ""))


def as_int(value: str) -> int | str:
    """ASCII digits as an int (a quantity), anything else unchanged."""
    return int(value) if re.fullmatch(r"[0-9]{1,15}", value) else value


def _parsers() -> list[Callable[[str], Parsed | None]]:
    from barcodes.parsers import ecia, gs1, lcsc, tme

    return [ecia.parse, lcsc.parse, tme.parse, gs1.parse]


def parse(text: str, aim_id: str = "") -> Parsed | None:
    """The first parser's result for canonical scan text, or None when no format fits.

    An AIM identifier is a hint, never a veto: one that flags GS1 data lets an element string without
    its leading FNC1 parse as GS1, but content that is another format (an ISO/IEC 15434 envelope
    behind a scanner's wrong prefix) still parses as what it is.
    """
    if not isinstance(text, str) or not text or len(text) > 4096:
        return None
    if aim_id:
        from barcodes.parsers import gs1

        if gs1.is_gs1_aim(aim_id):
            forced = _safe(lambda t: gs1.parse(t, force=True), text)
            if forced is not None:
                return forced
    for parser in _parsers():
        result = _safe(parser, text)
        if result is not None:
            return result
    return None


def _safe(parser: Callable[[str], Parsed | None], text: str) -> Parsed | None:
    try:
        return parser(text)
    except Exception:  # a parser bug must not turn a scan into a 500
        logger.exception("barcode parser failed")
        return None
