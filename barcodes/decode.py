"""Barcodes out of images: zxing-cpp first, pyzbar as a second pass, extra passes on misses.

Bounded: at most MAX_BYTES of input and MAX_PIXELS pixels (checked from the header, before any
pixel is decompressed), and only the image formats listed in FORMATS.
"""
from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)
MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")

ZXING_NAMES = {
    "QRCode": "qr", "MicroQRCode": "qr", "RMQRCode": "qr", "DataMatrix": "datamatrix", "Code128": "code128",
    "Code39": "code39", "Code93": "code93", "EAN13": "ean13", "EAN8": "ean8", "UPCA": "upca", "UPCE": "upce",
    "PDF417": "pdf417", "Aztec": "aztec", "ITF": "itf", "Codabar": "codabar", "DataBar": "databar",
    "DataBarExpanded": "databar", "MaxiCode": "maxicode",
}
PYZBAR_NAMES = {
    "QRCODE": "qr", "CODE128": "code128", "CODE39": "code39", "CODE93": "code93", "EAN13": "ean13",
    "EAN8": "ean8", "UPCA": "upca", "UPCE": "upce", "PDF417": "pdf417", "I25": "itf", "CODABAR": "codabar",
    "DATABAR": "databar", "DATABAR_EXP": "databar",
}
# AIM identifiers for pyzbar results, which do not report one.
PYZBAR_AIM = {"qr": "]Q1", "code128": "]C0", "code39": "]A0", "ean13": "]E0", "ean8": "]E4", "upca": "]E0"}


class ImageError(ValueError):
    """Data that is not an image we read, or one too large to decode."""


@dataclass(frozen=True)
class Decoded:
    """One barcode found in an image."""

    text: str  # content with GS/RS/EOT bytes intact, no AIM identifier
    symbology: str  # qr, datamatrix, code128, code39, ean13, ...
    raw: bytes  # what a scanner with AIM identifiers on would send: AIM id + content bytes
    aim_id: str = ""
    decoder: str = "zxing"  # zxing | pyzbar


def open_image(data: bytes) -> Image.Image:
    """Open and check an image (type, byte and pixel limits) and return it as 8-bit grayscale."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageError("Expected image bytes.")
    if len(data) == 0:
        raise ImageError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImageError(f"The image is too large ({len(data) // 1024} KB; at most {MAX_BYTES // (1024 * 1024)} MB).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(bytes(data)))
            if image.format not in FORMATS:
                raise ImageError(f"{image.format or 'This'} images are not supported; use PNG, JPEG, GIF, BMP, WebP or TIFF.")
            width, height = image.size
            if width * height > MAX_PIXELS or width > 20000 or height > 20000:
                raise ImageError(f"The image is too large ({width}x{height} pixels; at most {MAX_PIXELS // 1_000_000} megapixels).")
            if image.format == "JPEG":
                image.draft("L", image.size)  # libjpeg decodes straight to grayscale: about twice as fast
            image.load()
            if image.format == "JPEG" and image.getexif().get(0x0112, 1) != 1:
                image = ImageOps.exif_transpose(image)  # phone photos stored sideways
            return image if image.mode == "L" else image.convert("L")
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"The image is too large (at most {MAX_PIXELS // 1_000_000} megapixels).") from None
    except UnidentifiedImageError:
        raise ImageError("This file is not an image we can read.") from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):  # truncated or corrupt files
        raise ImageError("This image is damaged or truncated.") from None


def decode(data: bytes) -> list[Decoded]:
    """Every barcode found in the image bytes; raises ImageError for non-images and oversized input."""
    image = open_image(data)
    # Fast first: upright, dark-on-light, full size, the symbologies labels use (PDF417, Aztec and
    # Micro QR cost a third more and are left to the full pass); most camera frames end here.
    found = _zxing(image, formats=_formats(), try_rotate=False, try_invert=False, try_downscale=False)
    if not found:
        found = _zxing(image)
    if not found:
        found = _pyzbar(image)
    if not found:
        from barcodes.decode_passes import extra_passes

        found = extra_passes(image, _zxing, _pyzbar)
    return _unique(found)


def _formats():
    import zxingcpp

    names = ("QRCode", "DataMatrix", "Code128", "Code39", "EAN13", "EAN8", "UPCA", "UPCE")
    return [getattr(zxingcpp.BarcodeFormat, name) for name in names]


def _unique(found: list[Decoded]) -> list[Decoded]:
    seen, unique = set(), []
    for item in found:
        key = (item.text, item.symbology)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _zxing(image: Image.Image, **options) -> list[Decoded]:
    """Barcodes zxing-cpp finds in a grayscale image."""
    import zxingcpp

    try:
        results = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain, **options)
    except Exception:  # a decoder failure is a miss, not a crash
        logger.exception("zxing-cpp failed on an image")
        return []
    found = []
    for result in results:
        if not result.valid:
            continue
        name = ZXING_NAMES.get(result.format.name, result.format.name.lower())
        aim = result.symbology_identifier or ""
        content = bytes(result.bytes)
        found.append(Decoded(text=result.text, symbology=name, raw=aim.encode("ascii", "replace") + content,
                             aim_id=aim, decoder="zxing"))
    return found


def _pyzbar(image: Image.Image) -> list[Decoded]:
    """Barcodes pyzbar (libzbar) finds in a grayscale image."""
    try:
        from pyzbar import pyzbar
    except ImportError:  # libzbar missing: zxing-cpp alone still works
        return []
    try:
        results = pyzbar.decode(image)
    except Exception:
        logger.exception("pyzbar failed on an image")
        return []
    found = []
    for result in results:
        name = PYZBAR_NAMES.get(result.type, result.type.lower())
        aim = PYZBAR_AIM.get(name, "")
        text = result.data.decode("utf-8", errors="replace")
        found.append(Decoded(text=text, symbology=name, raw=aim.encode() + result.data, aim_id=aim, decoder="pyzbar"))
    return found
