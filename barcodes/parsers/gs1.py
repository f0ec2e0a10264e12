"""GS1 element strings (FNC1/GS separated, or `(01)...` as printed) and GS1 Digital Link URLs."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qsl, unquote, urlsplit

from barcodes.parsers import Parsed, as_int

GS = "\x1d"
# AI -> (field name, fixed data length or None, maximum length, kind). Kinds: n digits, x any, d date.
AIS: dict[str, tuple[str, int | None, int, str]] = {
    "00": ("sscc", 18, 18, "check"), "01": ("gtin", 14, 14, "check"), "02": ("content_gtin", 14, 14, "check"),
    "10": ("lot", None, 20, "x"), "11": ("production_date", 6, 6, "d"), "12": ("due_date", 6, 6, "d"),
    "13": ("packaging_date", 6, 6, "d"), "15": ("best_before", 6, 6, "d"), "16": ("sell_by", 6, 6, "d"),
    "17": ("expiry", 6, 6, "d"), "20": ("variant", 2, 2, "n"), "21": ("serial", None, 20, "x"),
    "22": ("cpv", None, 20, "x"), "30": ("quantity", None, 8, "n"), "37": ("quantity", None, 8, "n"),
    "240": ("additional_id", None, 30, "x"), "241": ("customer_part", None, 30, "x"),
    "242": ("mto_variant", None, 6, "n"), "250": ("secondary_serial", None, 30, "x"),
    "251": ("source_ref", None, 30, "x"), "400": ("customer_po", None, 30, "x"),
    "401": ("consignment", None, 30, "x"), "403": ("routing", None, 30, "x"),
    "410": ("ship_to_gln", 13, 13, "check"), "414": ("location_gln", 13, 13, "check"),
    "420": ("ship_to_postal", None, 20, "x"), "422": ("origin_country", 3, 3, "n"),
    "7003": ("expiry_time", 10, 10, "n"), "8003": ("grai", None, 30, "x"), "8004": ("giai", None, 30, "x"),
    "8020": ("payment_ref", None, 25, "x"), "90": ("internal", None, 30, "x"),
}
for _n in range(10):  # 310n-369n: trade measures with n decimals, six digits
    for _ai in range(310, 370):
        AIS[f"{_ai}{_n}"] = (f"measure_{_ai}", 6, 6, "n")
for _ai in range(91, 100):
    AIS[str(_ai)] = (f"internal_{_ai}", None, 90, "x")
_AIS_BY_LENGTH = (4, 3, 2)
_GS1_AIMS = {"]C1", "]d2", "]Q3", "]e0", "]J1", "]z1"}
_PAREN = re.compile(r"\(([0-9]{2,4})\)([^(]*)")
_PLAIN_GTIN = re.compile(r"[0-9]{8}|[0-9]{12,14}")


def is_gs1_aim(aim_id: str) -> bool:
    """Whether an AIM identifier flags GS1 data (FNC1 in first position)."""
    return aim_id in _GS1_AIMS


def gs1_check_ok(digits: str) -> bool:
    """Whether a GTIN/SSCC/GLN's last digit is its GS1 mod-10 check digit."""
    if not re.fullmatch(r"[0-9]{2,18}", digits):
        return False
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == int(digits[-1])


def parse(text: str, force: bool = False) -> Parsed | None:
    """Parse GS1 data (element string, parenthesised form, Digital Link or a bare GTIN), or None."""
    if text.startswith(("http://", "https://", "HTTP://", "HTTPS://")):
        return parse_digital_link(text)
    if text.startswith("("):
        return _fields_or_none(_parse_parenthesised(text), "gs1")
    if text.startswith(GS) or force:
        return _fields_or_none(parse_element_string(text.lstrip(GS)), "gs1")
    if _PLAIN_GTIN.fullmatch(text) and gs1_check_ok(text):
        return Parsed("gtin", {"gtin": text.zfill(14)})
    if text[:2] in ("00", "01", "02") and len(text) >= 16:
        return _fields_or_none(parse_element_string(text), "gs1")
    return None


def _fields_or_none(fields: dict | None, name: str) -> Parsed | None:
    return Parsed(name, fields) if fields else None


def parse_element_string(data: str) -> dict | None:
    """Fields of a GS-separated element string; None when any element is malformed."""
    fields: dict = {}
    pos = 0
    while pos < len(data):
        ai = next((data[pos:pos + n] for n in _AIS_BY_LENGTH if data[pos:pos + n] in AIS), None)
        if ai is None:
            return None
        name, fixed, maximum, kind = AIS[ai]
        start = pos + len(ai)
        if fixed is not None:
            end = start + fixed
            value = data[start:end]
            if len(value) != fixed:
                return None
            if end < len(data) and data[end] == GS:  # a needless FNC1 after a fixed field
                end += 1
        else:
            sep = data.find(GS, start)
            end = len(data) if sep < 0 else sep
            value = data[start:end]
            end = end if sep < 0 else end + 1
        if not _store(fields, name, value, maximum, kind):
            return None
        pos = end
    return fields or None


def _parse_parenthesised(text: str) -> dict | None:
    pairs = _PAREN.findall(text)
    if not pairs or "".join(f"({a}){v}" for a, v in pairs) != text:
        return None
    fields: dict = {}
    for ai, value in pairs:
        if ai not in AIS:
            return None
        name, fixed, maximum, kind = AIS[ai]
        if (fixed is not None and len(value) != fixed) or not _store(fields, name, value, maximum, kind):
            return None
    return fields


def _store(fields: dict, name: str, value: str, maximum: int, kind: str) -> bool:
    """Validate one element and add it to fields; False when invalid."""
    if not value or len(value) > maximum or GS in value:
        return False
    if kind in ("n", "check", "d") and not re.fullmatch(r"[0-9]+", value):
        return False
    if kind == "check" and not gs1_check_ok(value):
        return False
    if kind == "d":
        parsed = _date(value)
        if parsed is None:
            return False
        value = parsed
    fields[name] = as_int(value) if name == "quantity" else value
    return True


def _date(yymmdd: str) -> str | None:
    """GS1 YYMMDD to ISO; DD 00 means the month's last day; century by the GS1 sliding window."""
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    this_year = dt.date.today().year
    year = this_year - this_year % 100 + yy
    if year - this_year > 50:
        year -= 100
    elif this_year - year >= 50:
        year += 100
    if not 1 <= mm <= 12:
        return None
    if dd == 0:
        dd = ((dt.date(year + mm // 12, mm % 12 + 1, 1)) - dt.timedelta(days=1)).day
    try:
        return dt.date(year, mm, dd).isoformat()
    except ValueError:
        return None


def parse_digital_link(url: str) -> Parsed | None:
    """Fields of a GS1 Digital Link URI (`https://host/01/{gtin}/10/{lot}?17=...`), or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    for index in range(len(segments) - 1):
        if segments[index] in ("01", "00", "414", "8004", "8003") and segments[index + 1]:
            pairs = list(zip(segments[index::2], segments[index + 1::2]))
            break
    else:
        return None
    pairs += [(k, v) for k, v in parse_qsl(parts.query) if k.isdigit()]
    fields: dict = {}
    for ai, value in pairs:
        if ai not in AIS:
            continue  # other query parameters are not GS1 data
        name, fixed, maximum, kind = AIS[ai]
        if ai == "01" and len(value) in (8, 12, 13):
            value = value.zfill(14)  # Digital Link allows GTIN-8/12/13 in the path
        if (fixed is not None and len(value) != fixed) or not _store(fields, name, value, maximum, kind):
            return None
    return Parsed("gs1-digital-link", fields) if fields else None
