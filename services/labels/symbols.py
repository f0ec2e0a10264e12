"""Barcode geometry for vector output: the dark modules of a symbol as runs of rectangles.

PDF and SVG labels draw barcodes as vector rectangles, so they stay sharp at any printer
resolution. The engine's `barcodes.render` returns finished files (SVG/PNG); here we need the
module grid itself, which zxing-cpp (the engine's own dependency) gives us one pixel per module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import zxingcpp

SYMBOLOGIES = ("qr", "datamatrix", "code128")
_FORMATS = {
    "qr": zxingcpp.BarcodeFormat.QRCode,
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
    "code128": zxingcpp.BarcodeFormat.Code128,
}
_DARK = re.compile(rb"[\x00-\x7f]+")  # runs of dark pixels (zxing-cpp writes 0 for dark, 255 for light)
# Quiet zone in modules that a label must leave free around the symbol (ISO minimums).
QUIET_ZONE = {"qr": 4, "datamatrix": 1, "code128": 10}


class SymbolError(ValueError):
    """Data that the symbology cannot encode."""


@dataclass(frozen=True)
class Symbol:
    """A symbol's module grid: `runs` are (row, first column, length) of dark modules."""

    symbology: str
    columns: int
    rows: int
    runs: tuple[tuple[int, int, int], ...]

    @property
    def linear(self) -> bool:
        """Whether this is a 1-D barcode (one row of bars)."""
        return self.rows == 1


@lru_cache(maxsize=4096)
def symbol(data: str, symbology: str = "qr") -> Symbol:
    """The module grid of `data` in `symbology` (qr, datamatrix, code128); SymbolError if unencodable."""
    if symbology not in _FORMATS:
        raise SymbolError(f"unknown symbology {symbology!r}; use one of {', '.join(SYMBOLOGIES)}")
    if not data:
        raise SymbolError("nothing to encode")
    try:
        image = zxingcpp.create_barcode(data, _FORMATS[symbology]).to_image(scale=1, add_quiet_zones=False)
    except Exception as error:  # zxing-cpp raises plain exceptions for unencodable content
        raise SymbolError(f"cannot encode {data[:40]!r} as {symbology}: {error}") from None
    height, width = image.shape
    pixels = memoryview(image).tobytes()
    rows = 1 if symbology == "code128" else height  # a linear symbol repeats one row of bars
    runs = []
    for row in range(rows):
        line = pixels[row * width:(row + 1) * width]
        runs.extend((row, dark.start(), dark.end() - dark.start()) for dark in _DARK.finditer(line))
    return Symbol(symbology, width, rows, tuple(runs))
