"""Labels as bitmaps at a printer's resolution, drawn from the same boxes as the PDF, SVG and ZPL.

For raster printers (Brother QL): every barcode module edge is rounded to a whole dot on its own, so
modules stay crisp at any scale, and text uses the DejaVu fonts the PDF embeds.
"""
from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from services.labels.fonts import DEJAVU, _FILES, baseline, fit_lines
from services.labels.layout import Box
from services.labels.svg import symbol_geometry

PT_MM = 25.4 / 72


@lru_cache(maxsize=64)
def _font(family: str, bold: bool, size_px: int):
    path = DEJAVU / _FILES[(family, bold)]
    return ImageFont.truetype(str(path), size_px) if path.exists() else ImageFont.load_default(size_px)


def _barcode(draw: ImageDraw.ImageDraw, box: Box, dots: float) -> None:
    sym, x, y, module_w, module_h = symbol_geometry(box)
    rows = 1 if sym.linear else sym.rows
    for row, col, length in sym.runs:
        left, right = round((x + col * module_w) * dots), round((x + (col + length) * module_w) * dots)
        top = round((y + row * module_h) * dots)
        bottom = round((y + (row + 1) * module_h) * dots) if rows > 1 else round((y + module_h) * dots)
        draw.rectangle((left, top, right - 1, bottom - 1), fill=0)


def _text(draw: ImageDraw.ImageDraw, box: Box, dots: float) -> None:
    size = box.font_size * PT_MM
    leading = size * box.line_height
    font = _font(box.family, box.bold, max(4, round(size * dots)))
    x = {"left": box.left, "center": box.left + box.width / 2, "right": box.left + box.width}[box.align]
    anchor = {"left": "ls", "center": "ms", "right": "rs"}[box.align]
    for index, line in enumerate(fit_lines(box)):
        draw.text((x * dots, (box.top + baseline(index, size, leading)) * dots), line, font=font, fill=0, anchor=anchor)


def label_image(boxes: list[Box], width_mm: float, height_mm: float, dots_per_mm: float) -> Image.Image:
    """One label as a black-and-white image (mode L, 0 = black) at `dots_per_mm`."""
    image = Image.new("L", (round(width_mm * dots_per_mm), round(height_mm * dots_per_mm)), 255)
    draw = ImageDraw.Draw(image)
    for box in boxes:
        (_barcode if box.kind == "barcode" else _text)(draw, box, dots_per_mm)
    return image
