"""Normalising what scanners send: one canonical text per scan, the raw bytes kept for the history."""
from __future__ import annotations

import re

from barcodes.result import Scan

MAX_LENGTH = 4096
GS, RS, EOT = "\x1d", "\x1e", "\x04"

# Symbology from the AIM identifier's code character (ISO/IEC 15424).
AIM_SYMBOLOGIES = {
    "A": "code39", "C": "code128", "d": "datamatrix", "E": "ean", "e": "databar", "F": "codabar",
    "G": "code93", "I": "itf", "L": "pdf417", "Q": "qr", "z": "aztec", "X": "other",
}
# Modifiers that mean "GS1 data" (FNC1 in first position) for each AIM code character.
GS1_MODIFIERS = {"C": "1", "d": "2", "Q": "3", "e": "0", "z": "1"}
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")

# Every spelling of a separator that scanners, keyboards and humans produce.
_SEPARATOR_SPELLINGS = {
    GS: ("\u241d", "<GS>", "{GS}", "[GS]", "<gs>", "{gs}", "[gs]"),
    RS: ("\u241e", "<RS>", "{RS}", "[RS]", "<rs>", "{rs}", "[rs]"),
    EOT: ("\u2404", "<EOT>", "{EOT}", "[EOT]", "<eot>", "{eot}", "[eot]"),
}
_TRAILING = "\r\n\t" + EOT


class ScanInputError(ValueError):
    """Input that cannot be a scan: empty, blank or too long."""


def to_bytes(raw: str | bytes) -> bytes:
    """The raw bytes as received; text is encoded UTF-8 keeping lone surrogates."""
    if isinstance(raw, (bytes, bytearray, memoryview)):
        return bytes(raw)
    try:
        return str(raw).encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates that did not come from undecodable bytes
        return str(raw).encode("utf-8", "surrogatepass")


def _to_text(raw: str | bytes) -> str:
    if isinstance(raw, (bytes, bytearray, memoryview)):
        return bytes(raw).decode("utf-8", errors="replace")
    # Lone surrogates (from surrogateescape or broken clients) become U+FFFD, like undecodable bytes.
    return to_bytes(raw).decode("utf-8", "replace") if _has_surrogates(raw) else raw


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def replace_separators(text: str, gs_substitute: str = "") -> str:
    """Turn every spelling of GS, RS and EOT into the control character."""
    for char, spellings in _SEPARATOR_SPELLINGS.items():
        for spelling in spellings:
            if spelling in text:
                text = text.replace(spelling, char)
    if gs_substitute:
        text = text.replace(gs_substitute, GS)
    return text


def split_aim(text: str) -> tuple[str, str]:
    """Split a leading AIM symbology identifier (`]C1`) off the text."""
    if len(text) >= 3 and _AIM.match(text):
        return text[:3], text[3:]
    return "", text


def symbology_for(aim_id: str) -> str:
    """The symbology an AIM identifier names ('gs1-' prefixed when it flags GS1 data)."""
    if not aim_id:
        return ""
    code, modifier = aim_id[1], aim_id[2]
    name = AIM_SYMBOLOGIES.get(code, "")
    if name and GS1_MODIFIERS.get(code) == modifier:
        return f"gs1-{name}"
    return name


def normalize(raw: str | bytes, gs_substitute: str = "") -> Scan:
    """Turn raw scanner input into a Scan (`gs_substitute`: the scanner's text for GS, "" for none);
    raises ScanInputError for empty or over-long input."""
    raw_bytes = to_bytes(raw)
    text = _to_text(raw)
    if len(text) > MAX_LENGTH:
        raise ScanInputError(f"The scan is too long ({len(text)} characters; at most {MAX_LENGTH}).")
    text = text.replace("\x00", "")
    text = replace_separators(text, gs_substitute)
    aim_id, text = split_aim(text)
    while split_aim(text)[0]:  # a scanner that adds its AIM id to a code that already carries one
        text = split_aim(text)[1]
    text = text.rstrip(_TRAILING)
    if not text.strip(" " + _TRAILING + GS + RS):
        raise ScanInputError("The scan is empty.")
    return Scan(raw=raw_bytes, text=text, aim_id=aim_id, symbology=symbology_for(aim_id))


def renormalize(scan: Scan) -> Scan:
    """Normalise an already canonical scan again (idempotent; used by tests and re-resolves)."""
    again = normalize(scan.text)
    return Scan(raw=scan.raw, text=again.text, aim_id=scan.aim_id or again.aim_id,
                symbology=scan.symbology or again.symbology)
