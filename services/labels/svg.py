"""Labels as SVG: the browser preview, drawn from the same boxes as the PDF."""
from __future__ import annotations

from markupsafe import escape

from services.labels.fonts import CSS_FAMILY, baseline, fit_lines
from services.labels.layout import Box
from services.labels.symbols import QUIET_ZONE, symbol

PT_MM = 25.4 / 72
ANCHOR = {"left": "start", "center": "middle", "right": "end"}


def symbol_geometry(box: Box):
    """(symbol, x, y, module width, module height) placing a barcode inside its box with quiet zones."""
    sym = symbol(box.data, box.symbology)
    quiet = QUIET_ZONE[box.symbology]
    if sym.linear:
        module_w = box.width / (sym.columns + 2 * quiet)
        return sym, box.left + quiet * module_w, box.top, module_w, box.height
    module = min(box.width / (sym.columns + 2 * quiet), box.height / (sym.rows + 2 * quiet))
    x = box.left + (box.width - sym.columns * module) / 2
    y = box.top + (box.height - sym.rows * module) / 2
    return sym, x, y, module, module


def _barcode(box: Box) -> str:
    sym, x, y, module_w, module_h = symbol_geometry(box)
    path = "".join(f"M{col} {row}h{length}v1h-{length}z" for row, col, length in sym.runs)
    return (f'<path transform="translate({x:.4f} {y:.4f}) scale({module_w:.5f} {module_h:.5f})" '
            f'd="{path}" fill="#000" shape-rendering="crispEdges"/>')


def _text(box: Box) -> str:
    size = box.font_size * PT_MM
    leading = size * box.line_height
    x = {"left": box.left, "center": box.left + box.width / 2, "right": box.left + box.width}[box.align]
    out = []
    for index, line in enumerate(fit_lines(box)):
        y = box.top + baseline(index, size, leading)
        out.append(f'<text x="{x:.3f}" y="{y:.3f}">{escape(line)}</text>')
    weight = "bold" if box.bold else "normal"
    return (f'<g font-family="{escape(CSS_FAMILY[box.family])}" font-size="{size:.3f}" font-weight="{weight}" '
            f'text-anchor="{ANCHOR[box.align]}">{"".join(out)}</g>')


def label_svg(boxes: list[Box], width_mm: float, height_mm: float) -> str:
    """One label as a standalone SVG document, sized in millimetres."""
    body = "".join(_barcode(b) if b.kind == "barcode" else _text(b) for b in boxes)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_mm:g}mm" height="{height_mm:g}mm" '
            f'viewBox="0 0 {width_mm:g} {height_mm:g}"><rect width="100%" height="100%" fill="#fff"/>'
            f'{body}</svg>')


def sheet_svg(setup, skip: int, count: int) -> str:
    """The first page of a sheet as a map: the `skip` used positions crossed out, the next `count`
    numbered in print order, the rest left empty (setup: a pdf.PageSetup with a sheet)."""
    cells = []
    for slot in range(setup.per_page):
        x, y = setup.origin(slot)
        w, h = setup.label_w, setup.label_h
        if slot < skip:
            cells.append(f'<rect class="used" x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="#ddd" stroke="#999"/>'
                         f'<path d="M{x:g} {y:g}l{w:g} {h:g}M{x + w:g} {y:g}l{-w:g} {h:g}" stroke="#999"/>')
        else:
            printed = slot - skip < count
            cells.append(f'<rect class="{"printed" if printed else "free"}" x="{x:g}" y="{y:g}" width="{w:g}" '
                         f'height="{h:g}" fill="{"#fff" if printed else "#f6f6f6"}" stroke="{"#222" if printed else "#bbb"}"/>')
            if printed:
                cells.append(f'<text x="{x + w / 2:g}" y="{y + h / 2:g}" font-size="{min(w, h) / 2.5:.2f}" '
                             f'text-anchor="middle" dominant-baseline="central" font-family="sans-serif">{slot - skip + 1}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{setup.page_w:g}mm" height="{setup.page_h:g}mm" '
            f'viewBox="0 0 {setup.page_w:g} {setup.page_h:g}" stroke-width="0.4"><rect width="100%" height="100%" '
            f'fill="#fff" stroke="#666"/>{"".join(cells)}</svg>')
