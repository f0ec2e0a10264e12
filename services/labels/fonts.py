"""Fonts for labels (DejaVu when installed, so any Unicode text prints) and line fitting."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_FILES = {
    ("sans", False): "DejaVuSans.ttf", ("sans", True): "DejaVuSans-Bold.ttf",
    ("serif", False): "DejaVuSerif.ttf", ("serif", True): "DejaVuSerif-Bold.ttf",
    ("mono", False): "DejaVuSansMono.ttf", ("mono", True): "DejaVuSansMono-Bold.ttf",
}
# Base-14 fallbacks cover Latin-1 only; scripts/system-deps.sh installs fonts-dejavu-core.
_FALLBACK = {
    ("sans", False): "Helvetica", ("sans", True): "Helvetica-Bold",
    ("serif", False): "Times-Roman", ("serif", True): "Times-Bold",
    ("mono", False): "Courier", ("mono", True): "Courier-Bold",
}
CSS_FAMILY = {"sans": "'DejaVu Sans', Helvetica, Arial, sans-serif", "serif": "'DejaVu Serif', serif",
              "mono": "'DejaVu Sans Mono', monospace"}


@lru_cache(maxsize=None)
def font_name(family: str, bold: bool) -> str:
    """The registered ReportLab font for a family and weight."""
    path = DEJAVU / _FILES[(family, bold)]
    if not path.exists():
        return _FALLBACK[(family, bold)]
    name = path.stem
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def text_width(text: str, family: str, bold: bool, size_pt: float) -> float:
    """Width of a line in points."""
    return pdfmetrics.stringWidth(text, font_name(family, bold), size_pt)


def fit_lines(box) -> list[str]:
    """The lines of a text box: wrapped to its width, cut to what its height holds (at least one)."""
    font = font_name(box.family, box.bold)
    width_pt = box.width * 72 / 25.4
    lines: list[str] = []
    for paragraph in box.text.split("\n"):
        lines.extend(simpleSplit(paragraph, font, box.font_size, width_pt) or [""])
    leading_mm = box.font_size * box.line_height * 25.4 / 72
    fits = max(1, int((box.height + 0.01) // leading_mm))
    while lines and not lines[-1]:
        lines.pop()
    return lines[:fits]


def baseline(index: int, size: float, leading: float) -> float:
    """Distance from a box's top to line `index`'s baseline (DejaVu: ascent .928, descent .236 em)."""
    return index * leading + (leading - 1.164 * size) / 2 + 0.928 * size
