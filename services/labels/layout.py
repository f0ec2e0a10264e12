"""Label markup -> positioned boxes, the one layout that PDF, SVG preview and ZPL all draw.

A label body is HTML whose top-level elements are absolutely positioned boxes with inline styles
in millimetres, the way label designers place things:
`<div style="left:2mm; top:3mm; width:30mm; height:8mm; font-size:9pt; font-weight:bold">{{ name }}</div>`
and barcodes from the `barcode()` helper. Anything we could not draw faithfully is an error the
template editor shows, so what the preview shows is what prints.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

from services.labels.sandbox import LabelTemplateError
from services.labels.symbols import SYMBOLOGIES

TEXT_TAGS = {"div", "p"}
INLINE_TAGS = {"b", "strong", "i", "em", "span", "small"}  # kept as text; style the box instead
IGNORED_TOP = {"br"}
BREAK = "\x00"  # stands for <br> while whitespace (newlines included) collapses
PROPERTIES = ("left", "top", "width", "height", "font-size", "font-weight", "font-family", "text-align",
              "position", "line-height")
# Sizes a label can print: a 0pt font or a 0 line height would divide by zero when lines are fitted.
MIN_FONT_PT, MAX_FONT_PT = 1.0, 500.0
MIN_LINE_HEIGHT, MAX_LINE_HEIGHT = 0.5, 10.0
_UNITS_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}


@dataclass
class Box:
    """One positioned thing on a label (millimetres from the label's top-left corner)."""

    kind: str  # text | barcode
    left: float
    top: float
    width: float
    height: float
    font_size: float = 8.0  # points
    bold: bool = False
    family: str = "sans"  # sans | serif | mono
    align: str = "left"
    line_height: float = 1.2
    text: str = ""  # paragraphs separated by "\n"
    symbology: str = ""
    data: str = ""
    lines: list[str] = field(default_factory=list)  # filled by fonts.fit_lines


def length_mm(value: str, prop: str) -> float:
    """A CSS length (mm, cm, in, pt, px) in millimetres."""
    match = re.fullmatch(r"\s*(-?[0-9]*\.?[0-9]+)\s*(mm|cm|in|pt|px)\s*", value)
    if not match:
        raise LabelTemplateError(f"{prop}: {value.strip()!r} is not a length such as 12mm or 8pt")
    return float(match.group(1)) * _UNITS_MM[match.group(2)]


def parse_style(style: str) -> dict[str, str]:
    """Inline CSS declarations as a dict; unknown properties are errors."""
    declarations = {}
    for part in style.split(";"):
        if not part.strip():
            continue
        name, colon, value = part.partition(":")
        name = name.strip().lower()
        if not colon or name not in PROPERTIES:
            raise LabelTemplateError(f"unsupported style {part.strip()!r}; labels understand {', '.join(PROPERTIES)}")
        declarations[name] = value.strip()
    return declarations


def _apply(box: Box, style: str, label_w: float, label_h: float) -> None:
    """Set a box's geometry and text style from its inline style (parsed once per distinct style)."""
    for name, value in _style_values(style, label_w, label_h):
        setattr(box, name, value)


@lru_cache(maxsize=512)
def _style_values(style: str, label_w: float, label_h: float) -> tuple[tuple[str, object], ...]:
    box = Box("", 0, 0, 0, 0)
    _compute(box, parse_style(style), label_w, label_h)
    return tuple((name, getattr(box, name)) for name in ("left", "top", "width", "height", "font_size", "bold",
                                                         "family", "align", "line_height"))


def _compute(box: Box, css: dict[str, str], label_w: float, label_h: float) -> None:
    box.left = length_mm(css.get("left", "0mm"), "left")
    box.top = length_mm(css.get("top", "0mm"), "top")
    box.width = length_mm(css["width"], "width") if "width" in css else label_w - box.left
    box.height = length_mm(css["height"], "height") if "height" in css else label_h - box.top
    if "font-size" in css:
        box.font_size = length_mm(css["font-size"], "font-size") * 72 / 25.4
        if not MIN_FONT_PT <= box.font_size <= MAX_FONT_PT:
            raise LabelTemplateError(f"font-size: {css['font-size']!r} is not a size between {MIN_FONT_PT:g}pt and {MAX_FONT_PT:g}pt")
    weight = css.get("font-weight", "normal").lower()
    if weight not in ("normal", "bold", "400", "700", "bolder"):
        raise LabelTemplateError(f"font-weight: use normal or bold, not {weight!r}")
    box.bold = weight in ("bold", "700", "bolder")
    family = css.get("font-family", "sans-serif").lower()
    box.family = "mono" if ("mono" in family or "courier" in family) else "serif" if family.startswith("serif") else "sans"
    box.align = css.get("text-align", "left").lower()
    if box.align not in ("left", "center", "right"):
        raise LabelTemplateError(f"text-align: use left, center or right, not {box.align!r}")
    if "line-height" in css:
        box.line_height = _line_height(css["line-height"])
    if box.width <= 0 or box.height <= 0 or box.left >= label_w or box.top >= label_h or box.left < 0 or box.top < 0:
        raise LabelTemplateError(
            f"a box at left {box.left:g}mm, top {box.top:g}mm ({box.width:g} x {box.height:g} mm) "
            f"does not lie on the {label_w:g} x {label_h:g} mm label")


def _line_height(value: str) -> float:
    """A line-height as a plain factor of the font size; not 0, negative, NaN or absurd."""
    if not re.fullmatch(r"\s*[0-9]*\.?[0-9]+\s*", value) or not MIN_LINE_HEIGHT <= float(value) <= MAX_LINE_HEIGHT:
        raise LabelTemplateError(f"line-height: {value.strip()!r} is not a plain number from {MIN_LINE_HEIGHT:g} to "
                                 f"{MAX_LINE_HEIGHT:g}, such as 1.2")
    return float(value)


class _Parser(HTMLParser):
    def __init__(self, label_w: float, label_h: float):
        super().__init__(convert_charrefs=True)
        self.size = (label_w, label_h)
        self.boxes: list[Box] = []
        self.open: Box | None = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.open is not None:
            if tag == "br":
                self.open.text += BREAK
            elif tag in INLINE_TAGS:
                self.depth += 1
            else:
                raise LabelTemplateError(f"<{tag}> cannot sit inside a text box; only text, <br> and {', '.join(sorted(INLINE_TAGS))}")
            return
        if tag in IGNORED_TOP:
            return
        if tag == "img":
            self._barcode(attrs)
        elif tag in TEXT_TAGS:
            self.open = Box("text", 0, 0, 0, 0)
            _apply(self.open, attrs.get("style") or "", *self.size)
        else:
            raise LabelTemplateError(f"<{tag}> is not a label box; use <div style=...> for text and barcode() for codes")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in INLINE_TAGS and self.open is not None:
            self.depth -= 1

    def handle_endtag(self, tag):
        if self.open is None:
            return
        if tag in INLINE_TAGS and self.depth:
            self.depth -= 1
        elif tag in TEXT_TAGS and not self.depth:
            self.boxes.append(self.open)
            self.open = None

    def handle_data(self, data):
        if self.open is not None:
            self.open.text += data
        elif data.strip():
            raise LabelTemplateError(f"text {data.strip()[:30]!r} must be inside a positioned <div>")

    def _barcode(self, attrs):
        symbology, value = attrs.get("data-symbology"), attrs.get("data-value")
        if symbology not in SYMBOLOGIES or not value:
            raise LabelTemplateError("images other than barcode() are not supported on labels")
        box = Box("barcode", 0, 0, 0, 0, symbology=symbology, data=value)
        _apply(box, attrs.get("style") or "", *self.size)
        self.boxes.append(box)


def layout(html: str, width_mm: float, height_mm: float) -> list[Box]:
    """The boxes of one label's markup; LabelTemplateError for anything that cannot be drawn."""
    parser = _Parser(width_mm, height_mm)
    parser.feed(html)
    parser.close()
    if parser.open is not None:
        raise LabelTemplateError("a <div> is not closed")
    for box in parser.boxes:
        # Whitespace inside a box collapses as in HTML; <br> gives a new line.
        box.text = "\n".join(" ".join(part.split()) for part in box.text.split(BREAK))
    return parser.boxes
