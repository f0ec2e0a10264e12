"""Our own barcodes: PREFIX + type code + id + check character, plus InvenTree's label formats.

Format (see docs/barcodes.md): upper-case A-Z and 0-9 only, e.g. `SSP12E` for part 12 with the
default prefix `SS`. The check character is a Damm check over a totally anti-symmetric quasigroup
of order 36, which catches every single wrong character and every swap of two neighbours (check
character included). ISO/IEC 7064 MOD 37,36 was measured first and misses some swaps (SSI101 vs
SSI110), and MOD 37-2 needs a 37th symbol ('*') that QR alphanumeric mode and Code39 do not share.
"""
from __future__ import annotations

import json
import re

from barcodes.objects import MAX_ID, OBJECT_TYPES
from barcodes.options import DEFAULT_PREFIX

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}

# One letter per object type; none of them is a prefix letter's job, the prefix is matched first.
TYPE_CODES = {"part": "P", "stockitem": "I", "stocklocation": "L", "supplierpart": "S"}
CODE_TYPES = {code: kind for kind, code in TYPE_CODES.items()}
INVENTREE_CODES = {"PA": "part", "SI": "stockitem", "SL": "stocklocation", "SP": "supplierpart"}
_INVENTREE_SHORT = re.compile(r"INV-(PA|SI|SL|SP)([0-9]{1,19})")
_PREFIX = re.compile(r"[A-Z]{1,4}")


def _times_alpha(x: int) -> int:
    """Multiply a GF(4) element (bits b1 b0 = b1*a + b0, a^2 = a + 1) by the generator a."""
    high, low = x >> 1, x & 1
    return ((high ^ low) << 1) | high


def _step(interim: int, value: int) -> int:
    """x o y in GF(4) x Z9 (x = 9*x1 + x2): (a*x1 + y1, 2*x2 + y2); totally anti-symmetric
    because a-1 and 2-1 are invertible, so (c o x) o y == (c o y) o x only when x == y."""
    x1, x2 = divmod(interim, 9)
    y1, y2 = divmod(value, 9)
    return 9 * (_times_alpha(x1) ^ y1) + (2 * x2 + y2) % 9


def _interim(text: str) -> int:
    interim = 0
    for ch in text:
        interim = _step(interim, _VALUE[ch])
    return interim


def check_char(text: str) -> str:
    """The check character of upper-case A-Z0-9 text: the c with interim o c == 0."""
    x1, x2 = divmod(_interim(text), 9)
    return ALPHABET[9 * _times_alpha(x1) + (-2 * x2) % 9]


def is_valid(text: str) -> bool:
    """Whether the text ends in its check character (the Damm interim over all of it is 0)."""
    return len(text) >= 2 and all(ch in _VALUE for ch in text) and _interim(text) == 0


def internal_code(object_type: str, object_id: int, prefix: str = DEFAULT_PREFIX) -> str:
    """The internal barcode text of one object, e.g. internal_code('part', 12, 'SS') -> 'SSP12E'."""
    if object_type not in TYPE_CODES:
        raise ValueError(f"unknown object type {object_type!r}")
    if isinstance(object_id, bool) or not isinstance(object_id, int) or not 0 < object_id <= MAX_ID:
        raise ValueError(f"object id must be a positive whole number, got {object_id!r}")
    prefix = prefix.upper()
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"prefix must be 1-4 letters A-Z, got {prefix!r}")
    body = f"{prefix}{TYPE_CODES[object_type]}{object_id}"
    return body + check_char(body)


def parse_internal(text: str, prefix: str = DEFAULT_PREFIX) -> tuple[str, int] | None:
    """(object_type, id) for one of our internal codes with this prefix (any letter case), else None."""
    prefix = prefix.upper()
    code = text.strip().upper()
    if len(code) > 32 or not code.startswith(prefix):
        return None
    match = re.fullmatch(r"([PILS])([1-9][0-9]{0,18})([0-9A-Z])", code[len(prefix):])
    if not match or not is_valid(code):
        return None
    object_id = int(match.group(2))
    if object_id > MAX_ID:
        return None
    return CODE_TYPES[match.group(1)], object_id


def parse_inventree(text: str) -> tuple[str, int] | None:
    """(object_type, id) for an InvenTree label: JSON `{"part": 12}` or short `INV-PA12`."""
    stripped = text.strip()
    if len(stripped) > 256:
        return None
    short = _INVENTREE_SHORT.fullmatch(stripped.upper())
    if short:
        return _checked(INVENTREE_CODES[short.group(1)], int(short.group(2)))
    if not stripped.startswith("{"):
        return None
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or len(data) != 1:
        return None
    (key, value), = data.items()
    key = key.lower()  # Caps Lock on a keyboard-wedge scanner
    if key not in OBJECT_TYPES:
        return None
    if isinstance(value, dict):  # older InvenTree labels: {"part": {"id": 12, ...}}
        value = value.get("id", value.get("ID"))
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return _checked(key, value)


def _checked(object_type: str, object_id: int) -> tuple[str, int] | None:
    return (object_type, object_id) if 0 < object_id <= MAX_ID else None
