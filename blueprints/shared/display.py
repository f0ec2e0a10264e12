"""Showing scanned data safely: control, invisible and bidi characters made visible, everything escaped.

`visible` is the one way pages show scanned text (the template filter `visible_controls`): the scan
dialog's answer, the scanner check page, the scan history, the receive page and linked barcodes.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from services.text import hidden

# Control characters are shown by their ASCII names in a badge (GS, RS, EOT), not by their Control
# Pictures (U+2400 block: ␝ ␞ ␄): DejaVu, the fonts `make run` installs, has none of those, nor do
# most fonts, so browsers drew empty boxes. Every font has these letters.
_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
          "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split() + ["DEL"]
_MEANINGS = {0x00: "null", 0x04: "end of transmission", 0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return",
             0x1C: "file separator", 0x1D: "group separator", 0x1E: "record separator", 0x1F: "unit separator",
             0x7F: "delete"}
# The brackets are there for copying only (drawn at size 0): pasted into the scan dialog or the history
# search, <GS> is a GS again (barcodes.normalize), while the page shows just the badge.
_CONTROL = Markup('<span class="ctl" title="{} (0x{:02X})"><span class="copy">&lt;</span>{}'
                  '<span class="copy">&gt;</span></span>')


def control_badge(code: int) -> Markup:
    """The badge for one control character (0x00-0x1F or DEL): its ASCII name, its meaning as a title."""
    name = _NAMES[32 if code == 0x7F else code]
    return _CONTROL.format(_MEANINGS.get(code, "control character"), code, name)


def visible(text: str | None, limit: int | None = None) -> Markup:
    """HTML for `text` with control, bidi and invisible characters shown as marked badges."""
    text = text or ""
    cut = limit is not None and len(text) > limit
    parts = []
    for ch in text[:limit] if cut else text:
        code = ord(ch)
        if code < 0x20 or code == 0x7F:
            parts.append(control_badge(code))
        elif 0x2400 <= code < 0x2420 or code == 0x2421:  # a Control Picture stands for its control (NUL is stored so)
            parts.append(control_badge(0x7F if code == 0x2421 else code - 0x2400))
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
            parts.append(Markup('<span class="ctl" title="byte that is not UTF-8">[{:02X}]</span>').format(code - 0xDC00))
        elif hidden(ch):  # every Cf, Zl, Zp and default-ignorable: two scans must never look alike
            parts.append(Markup('<span class="ctl" title="invisible character">[U+{:04X}]</span>').format(code))
        else:
            parts.append(escape(ch))
    if cut:
        parts.append(Markup('<span class="more" title="{} characters in all">…</span>').format(len(text)))
    return Markup("").join(parts)


def hexdump(data: bytes, width: int = 16) -> list[tuple[str, str, str]]:
    """(offset, hex bytes, printable ASCII) lines for raw data."""
    lines = []
    for start in range(0, len(data), width):
        chunk = bytes(data[start:start + width])
        printable = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append((f"{start:06x}", " ".join(f"{b:02x}" for b in chunk), printable))
    return lines


def decoded_raw(data: bytes) -> str:
    """Raw bytes as text (undecodable bytes kept visible as surrogates)."""
    return bytes(data).decode("utf-8", "surrogateescape")
