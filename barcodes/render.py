"""Barcodes to print: QR, DataMatrix, Code128 and EAN-13 as SVG or PNG.

2D codes come from zxing-cpp's writer: measured ~10x faster than segno for the same QR code (see
bench/barcodes.py). Linear codes come from python-barcode, which draws the human-readable text.
"""
from __future__ import annotations

import io
import re
from functools import lru_cache

from PIL import Image

SYMBOLOGIES = ("qr", "datamatrix", "code128", "ean13")
FORMATS = ("svg", "png")
MAX_DATA = 2048
# Separators cannot be drawn as text; people see their Unicode pictures instead.
_PICTURES = str.maketrans({"\x1d": "\u241d", "\x1e": "\u241e", "\x04": "\u2404"})


class RenderError(ValueError):
    """Data that cannot be drawn in the requested symbology or format."""


def draw_barcode(data: str, symbology: str = "qr", fmt: str = "svg", *, size: int | None = None,
           text: str | None = None) -> bytes:
    """Draw `data` as a barcode; `size` is the module size in pixels, `text` overrides the caption
    under linear codes ("" for none). Raises RenderError for data the symbology cannot hold."""
    symbology, fmt = symbology.lower(), fmt.lower()
    if symbology not in SYMBOLOGIES:
        raise RenderError(f"Unknown symbology {symbology!r}; choose one of {', '.join(SYMBOLOGIES)}.")
    if fmt not in FORMATS:
        raise RenderError(f"Unknown format {fmt!r}; choose svg or png.")
    if not isinstance(data, str) or not data:
        raise RenderError("There is nothing to encode.")
    if len(data) > MAX_DATA:
        raise RenderError(f"Too much data for one barcode ({len(data)} characters; at most {MAX_DATA}).")
    if size is not None and not 1 <= size <= 40:
        raise RenderError("The module size must be between 1 and 40 pixels.")
    if symbology in ("qr", "datamatrix"):
        return _render_2d(data, symbology, fmt, size or 4)
    return _render_linear(data, symbology, fmt, size, text)


def _render_2d(data: str, symbology: str, fmt: str, scale: int) -> bytes:
    import zxingcpp

    kind = zxingcpp.BarcodeFormat.QRCode if symbology == "qr" else zxingcpp.BarcodeFormat.DataMatrix
    # Non-ASCII text gets a UTF-8 ECI: without it readers guess the charset (U+00A1 came back as
    # a Shift_JIS katakana). ASCII stays ECI-free, the most compact and widely read form.
    options = {"eci": 26} if not data.isascii() else {}
    try:
        symbol = zxingcpp.create_barcode(data, kind, **options)
    except Exception as exc:  # zxing-cpp raises plain exceptions for data a symbol cannot hold
        raise RenderError(f"This data does not fit a {symbology} code: {exc}") from None
    if fmt == "svg":
        return zxingcpp.write_barcode_to_svg(symbol, scale=scale).encode("utf-8")
    pixels = memoryview(zxingcpp.write_barcode_to_image(symbol, scale=scale))
    height, width = pixels.shape[0], pixels.shape[1]
    image = Image.frombytes("L", (width, height), pixels.tobytes()).convert("1")
    return _png(image)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)  # fast: labels are small and short-lived
    return out.getvalue()


def _render_linear(data: str, symbology: str, fmt: str, size: int | None, text: str | None) -> bytes:
    import barcode
    from barcode.errors import BarcodeError

    if symbology == "ean13":
        data = _checked_ean(data)
    elif any(ord(ch) > 127 for ch in data):
        raise RenderError("Code128 holds ASCII only.")
    if text is None:  # EAN-13: python-barcode prints the full code with its check digit
        caption = None if symbology == "ean13" else data.translate(_PICTURES)
    else:
        caption = text.translate(_PICTURES) or None
    writer = _writer(fmt)
    options = {"write_text": caption is not None or (symbology == "ean13" and text is None),
               "module_width": 0.2 * (size or 1) if fmt == "svg" else 0.1 * (size or 2)}
    if fmt == "png":
        options["dpi"] = 254  # 0.1 mm per pixel: one module of size 2 is two pixels
    try:
        code_class = _code128_class() if symbology == "code128" else barcode.get_barcode_class(symbology)
        code = code_class(data, writer=writer)
        out = io.BytesIO()
        code.write(out, options, caption)
    except (BarcodeError, ValueError, OSError, RuntimeError) as exc:
        raise RenderError(f"This data cannot be drawn as {symbology}: {exc}") from None
    return out.getvalue()


def _code128_class():
    """python-barcode's Code128, mended: its last step folds "start, switch to set X" into "start X",
    but it also folds a leading data pair "99" in set C (value 99, the same number as the switch to
    C), so "99" or "991234" were drawn without their first two digits."""
    from barcode.charsets import code128
    from barcode.codex import Code128

    class MendedCode128(Code128):
        def _try_to_optimize(self, encoded: list[int]) -> list[int]:
            if len(encoded) > 1 and code128.TO.get(encoded[1]) not in (None, encoded[0]):
                encoded[:2] = [code128.TO[encoded[1]]]
            return encoded

    return MendedCode128


def _writer(fmt: str):
    from barcode.writer import ImageWriter

    return _svg_writer_class()() if fmt == "svg" else ImageWriter(mode="1")


@lru_cache(maxsize=1)
def _svg_writer_class():
    """python-barcode's SVG writer, with its inline styles turned into presentation attributes.

    It colours every bar with style="fill:black". The site's Content-Security-Policy has no
    'unsafe-inline', so an SVG opened on its own (its link on an object's page) lost those styles and
    showed one black square; inside an <img> it looked right. Attributes such as fill="black" are
    not styles, so the SVG looks the same both ways.
    """
    from barcode.writer import SVGWriter

    class AttributeSVGWriter(SVGWriter):
        def _finish(self):
            for element in self._document.getElementsByTagName("*"):
                style = element.getAttribute("style")
                if not style:
                    continue
                element.removeAttribute("style")
                for declaration in style.split(";"):
                    name, _, value = declaration.partition(":")
                    if name.strip():
                        element.setAttribute(name.strip(), value.strip())
            return super()._finish()

    return AttributeSVGWriter


def _checked_ean(data: str) -> str:
    """EAN-13 digits: 12 get their check digit, 13 must carry the right one."""
    from barcodes.parsers.gs1 import gs1_check_ok

    if not re.fullmatch(r"[0-9]{12,13}", data):
        raise RenderError("EAN-13 needs 12 or 13 digits.")
    if len(data) == 13 and not gs1_check_ok(data):
        raise RenderError(f"{data} has a wrong check digit.")
    return data[:12]


@lru_cache(maxsize=1)
def warm() -> None:
    """Load fonts and libraries once so the first label is not slow (called by bench and servers)."""
    draw_barcode("0", "code128", "png")
