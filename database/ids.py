"""The range of ids the database holds, and the one way text becomes an id.

Ids are INTEGER columns: 32-bit on PostgreSQL, so no row anywhere has an id above MAX_ID (SQLite
would hold 64 bits, but Shelfscan behaves the same on both). Only ASCII digits count: `'²'.isdigit()`
and `'٣'.isdigit()` are true, and `int(' 5\x1e')` strips a control character as whitespace, so
`str.isdigit`, `int()` and `str.strip` each let through text that is not an id.
"""
from __future__ import annotations

import re

MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_whole(text: object, minimum: int, maximum: int) -> int | None:
    """The whole number `text` spells in ASCII digits, when within [minimum, maximum]; else None."""
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(text: object) -> int | None:
    """The id `text` spells (ASCII digits, 1 to MAX_ID), or None."""
    return parse_whole(text, 1, MAX_ID)


def is_id(value: object) -> bool:
    """Whether a Python value is a usable id (an int, not a bool, within 1..MAX_ID)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
