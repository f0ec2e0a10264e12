"""Which characters hide or reorder text, and how to make them visible: Unicode rules without any
HTML, for services (usernames) and the pages alike (blueprints/shared/user_text.py).
"""
from __future__ import annotations

import functools
import re
import unicodedata

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, 15.1): drawn as nothing.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
# What joins or shapes visible text, kept in names: ZWNJ and ZWJ (Persian, Indic scripts, emoji),
# variation selectors (emoji), and LRM/RLM/ALM, which inside an isolated name only order its own
# punctuation. The scan history marks these too.
KEPT_IN_NAMES = frozenset({0x200C, 0x200D, 0x200E, 0x200F, 0x061C, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)})


def hidden(ch: str) -> bool:
    """Whether a character is invisible or changes direction: a control, Cf, Zl, Zp or default-ignorable
    (tab, line feed and carriage return too: they are whitespace, but a scan is marked with them)."""
    code = ord(ch)
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
        return True
    return any(low <= code <= high for low, high in DEFAULT_IGNORABLE)


@functools.cache
def _hidden_in_names(ch: str) -> bool:
    return ch not in "\t\n\r" and ord(ch) not in KEPT_IN_NAMES and hidden(ch)


# Where such characters live (Unicode 15.1; a unit test checks it against unicodedata): one regex
# search finds the candidates, and only they are looked at one by one.
CANDIDATES = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ud800-\udfff"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")


def _marker(match: re.Match) -> str:
    ch = match.group()
    return f"[U+{ord(ch):04X}]" if _hidden_in_names(ch) else ch


def mark(text: str) -> str:
    """`text` with each character that hides or reorders text written as [U+XXXX] (plain text)."""
    return CANDIDATES.sub(_marker, text) if CANDIDATES.search(text) else text
