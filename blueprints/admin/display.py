"""Showing scanned data safely: control, invisible and bidi characters made visible, everything escaped."""
from __future__ import annotations

from markupsafe import Markup, escape

from services.text import hidden

# C0 controls and DEL become their Control Pictures (U+2400 block): GS shows as ␝, RS as ␞, EOT as ␄.
_PICTURES = {code: chr(0x2400 + code) for code in range(32)} | {0x7F: "\u2421"}
_NAMES = {0: "NUL", 4: "EOT", 9: "TAB", 10: "LF", 13: "CR", 29: "GS", 30: "RS", 31: "US", 0x7F: "DEL"}


def visible(text: str | None, limit: int | None = None) -> Markup:
    """HTML for `text` with control, bidi and invisible characters shown as marked symbols."""
    text = text or ""
    cut = limit is not None and len(text) > limit
    parts = []
    for ch in text[:limit] if cut else text:
        code = ord(ch)
        if code in _PICTURES:
            # The name is spelled out too: not every font has the Control Pictures block.
            name = _NAMES.get(code, f"{code:02X}")
            parts.append(Markup('<span class="ctl" title="{} (0x{:02X})">{}<small>{}</small></span>')
                         .format(name, code, _PICTURES[code], name))
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
