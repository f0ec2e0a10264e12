"""Labels as PDF with ReportLab: one label per page at its exact size, or laid out on a sheet.

Barcodes are vector rectangles in module units, so they are sharp at any printer resolution.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable, Iterable

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from services.labels.fonts import baseline, fit_lines, font_name
from services.labels.layout import Box
from services.labels.svg import symbol_geometry

# Page streams are Flate-compressed already; ASCII85 on top only costs time and 25% size.
rl_config.useA85 = 0


@dataclass(frozen=True)
class PageSetup:
    """Label size and, for sheets, the page and grid (all millimetres)."""

    label_w: float
    label_h: float
    page_w: float | None = None
    page_h: float | None = None
    columns: int = 1
    rows: int = 1

    @property
    def sheet(self) -> bool:
        """Whether several labels share a page."""
        return bool(self.page_w and self.page_h)

    @property
    def per_page(self) -> int:
        """Labels on one page."""
        return self.columns * self.rows if self.sheet else 1

    def origin(self, slot: int) -> tuple[float, float]:
        """Top-left corner (mm from the page's top-left) of label `slot` on its page."""
        if not self.sheet:
            return 0.0, 0.0
        # The grid is centred on the page: sheets are die-cut symmetrically.
        margin_x = (self.page_w - self.columns * self.label_w) / 2
        margin_y = (self.page_h - self.rows * self.label_h) / 2
        row, col = divmod(slot, self.columns)
        return margin_x + col * self.label_w, margin_y + row * self.label_h

    @property
    def page_size(self) -> tuple[float, float]:
        """Page size in points."""
        if self.sheet:
            return self.page_w * mm, self.page_h * mm
        return self.label_w * mm, self.label_h * mm


def draw_symbol(canvas: Canvas, sym, left_pt: float, top_pt: float, module_w_pt: float, module_h_pt: float) -> None:
    """Draw a symbol's dark modules as filled rectangles, its top-left corner at (left, top) in points."""
    canvas.saveState()
    # Flip into module units with y down, so each run is one short `re` operator.
    canvas.transform(module_w_pt, 0, 0, -module_h_pt, left_pt, top_pt)
    code = canvas._code  # ReportLab's operator list; writing runs directly is 5x faster than path objects
    code.extend(f"{col} {row} {length} 1 re" for row, col, length in sym.runs)
    code.append("f")
    canvas.restoreState()


def _draw_barcode(canvas: Canvas, box: Box, page_h: float, x0: float, y0: float) -> None:
    sym, x, y, module_w, module_h = symbol_geometry(box)
    draw_symbol(canvas, sym, (x0 + x) * mm, page_h - (y0 + y) * mm, module_w * mm, module_h * mm)


def _draw_text(canvas: Canvas, box: Box, page_h: float, x0: float, y0: float) -> None:
    canvas.setFont(font_name(box.family, box.bold), box.font_size)
    size = box.font_size * 25.4 / 72
    leading = size * box.line_height
    left = x0 + box.left
    for index, line in enumerate(fit_lines(box)):
        y = page_h - (y0 + box.top + baseline(index, size, leading)) * mm
        if box.align == "center":
            canvas.drawCentredString((left + box.width / 2) * mm, y, line)
        elif box.align == "right":
            canvas.drawRightString((left + box.width) * mm, y, line)
        else:
            canvas.drawString(left * mm, y, line)


def draw_label(canvas: Canvas, boxes: list[Box], setup: PageSetup, slot: int) -> None:
    """Draw one label's boxes into its slot on the current page, clipped to the label."""
    x0, y0 = setup.origin(slot)
    page_h = setup.page_size[1]
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(x0 * mm, page_h - (y0 + setup.label_h) * mm, setup.label_w * mm, setup.label_h * mm)
    canvas.clipPath(clip, stroke=0, fill=0)
    for box in boxes:
        (_draw_barcode if box.kind == "barcode" else _draw_text)(canvas, box, page_h, x0, y0)
    canvas.restoreState()


def labels_pdf(labels: Iterable[list[Box]], setup: PageSetup, title: str = "Labels",
               progress: Callable[[int], None] | None = None, skip: int = 0) -> bytes:
    """A PDF of the labels (each a list of boxes); `progress(n)` is called every 50 labels. On a sheet,
    the first `skip` positions stay empty (a sheet already partly used)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=setup.page_size, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("Shelfscan")
    count = 0
    for count, boxes in enumerate(labels, start=1):
        position = skip + count - 1
        slot = position % setup.per_page
        if slot == 0 and position > 0:
            canvas.showPage()
        draw_label(canvas, boxes, setup, slot)
        if progress and count % 50 == 0:
            progress(count)
    if count == 0:
        raise ValueError("no labels to print")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
