"""Labels as ZPL II for Zebra thermal printers, from the same boxes as the PDF.

Positions become field origins (^FO) in printer dots; text uses the scalable font 0 in a field
block (^FB) so it wraps like the PDF; barcodes use the printer's own symbol commands (^BQ QR,
^BX Data Matrix, ^BC Code 128), which print sharper than any image on a thermal head.
"""
from __future__ import annotations

from services.labels.fonts import fit_lines
from services.labels.layout import Box
from services.labels.symbols import QUIET_ZONE, symbol

DPMM = {203: 8, 300: 12, 600: 24}  # dots per millimetre for the usual print heads


def field_data(text: str) -> str:
    """Text for ^FD with ^FH: the characters ZPL treats as commands written as _hex escapes."""
    out = []
    for char in text:
        if char in "^~_\\" or ord(char) < 32:
            out.append("".join(f"_{byte:02X}" for byte in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)


def _dots(value_mm: float, dpmm: int) -> int:
    return max(0, round(value_mm * dpmm))


def _barcode(box: Box, dpmm: int) -> str:
    sym = symbol(box.data, box.symbology)
    quiet = QUIET_ZONE[box.symbology]
    width, height = _dots(box.width, dpmm), _dots(box.height, dpmm)
    if box.symbology == "code128":
        module = max(1, width // (sym.columns + 2 * quiet))
        x = _dots(box.left, dpmm) + quiet * module
        return (f"^FO{x},{_dots(box.top, dpmm)}^BY{module}^BCN,{height},N,N,N,A"
                f"^FH_^FD{field_data(box.data)}^FS")
    module = max(1, min(width, height) // (sym.columns + 2 * quiet))
    x = _dots(box.left, dpmm) + (width - sym.columns * module) // 2
    y = _dots(box.top, dpmm) + (height - sym.rows * module) // 2
    if box.symbology == "qr":
        # ^BQ's magnification tops out at 10; "MA," = error correction M, automatic data mode.
        return f"^FO{x},{y}^BQN,2,{min(module, 10)}^FH_^FDMA,{field_data(box.data)}^FS"
    return f"^FO{x},{y}^BXN,{module},200^FH_^FD{field_data(box.data)}^FS"


def _text(box: Box, dpmm: int) -> str:
    lines = fit_lines(box)
    height = max(10, _dots(box.font_size * 25.4 / 72, dpmm))
    justify = {"left": "L", "center": "C", "right": "R"}[box.align]
    spacing = max(0, round(height * (box.line_height - 1)))
    text = "\\&".join(field_data(line) for line in lines)  # \& is ^FB's line break
    return (f"^FO{_dots(box.left, dpmm)},{_dots(box.top, dpmm)}^A0N,{height},{height}"
            f"^FB{_dots(box.width, dpmm)},{len(lines)},{spacing},{justify},0^FH_^FD{text}^FS")


def label_zpl(boxes: list[Box], width_mm: float, height_mm: float, dpi: int = 203, copies: int = 1) -> str:
    """One label as a ^XA ... ^XZ block (UTF-8, ^CI28) for a printer of `dpi`, printed `copies` times."""
    dpmm = DPMM.get(dpi, 8)
    fields = "\n".join(_barcode(b, dpmm) if b.kind == "barcode" else _text(b, dpmm) for b in boxes)
    quantity = f"^PQ{copies}\n" if copies > 1 else ""
    return f"^XA\n^CI28\n^PW{_dots(width_mm, dpmm)}\n^LL{_dots(height_mm, dpmm)}\n^LH0,0\n{fields}\n{quantity}^XZ\n"
