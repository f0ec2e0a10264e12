"""Barcodes out of images, within a budget: zxing-cpp first, pyzbar second, extra passes on misses.

Bounded three ways by DecodeOptions (barcodes/options.py): the input (bytes, and pixels read from
the header before any pixel is decompressed; only the formats in FORMATS), the pixels of every pass
(a larger input, rotation or upscale is scaled down to `pass_pixels`) and the time (a pass starts
only when the budget covers its likely cost; see barcodes/decode_passes.py). A camera frame gets one
fast pass, a photo every pass the budget allows. One zxing-cpp or pyzbar call cannot be interrupted,
so the app runs decode() in worker processes it can kill and whose memory is capped
(barcodes/decode_pool.py).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from PIL import Image

from barcodes.decode_passes import Budget, DecodeTimeout, Pass, photo_plan, run_passes
from barcodes.images import TOO_LARGE_FOR_MEMORY, ImageError, open_image
from barcodes.options import DecodeOptions

__all__ = ["Decoded", "DecodeOptions", "DecodeTimeout", "ImageError", "decode", "open_image"]
logger = logging.getLogger(__name__)
MAX_BYTES = DecodeOptions.max_bytes
MAX_PIXELS = DecodeOptions.max_pixels
FRAME_PIXELS = 1920 * 1080  # a camera frame larger than this is scaled down before its pass

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


@dataclass(frozen=True)
class Decoded:
    """One barcode found in an image."""

    text: str  # content with GS/RS/EOT bytes intact, no AIM identifier
    symbology: str  # qr, datamatrix, code128, code39, ean13, ...
    raw: bytes  # what a scanner with AIM identifiers on would send: AIM id + content bytes
    aim_id: str = ""
    decoder: str = "zxing"  # zxing | pyzbar


def decode(data: bytes, options: DecodeOptions = DecodeOptions(), *, deadline: float | None = None) -> list[Decoded]:
    """Every barcode found in the image bytes, within the options' budget (and by `deadline` on the
    monotonic clock, when given). Raises ImageError for non-images and oversized input, and
    DecodeTimeout when the budget ran out before every pass was tried."""
    budget = Budget(options.seconds, deadline)
    frame = options.passes == "frame"
    pass_pixels = min(options.pass_pixels, FRAME_PIXELS) if frame else options.pass_pixels
    image = open_image(data, options, fit_pixels=pass_pixels)
    # Fast first: upright, dark-on-light, full size, the symbologies labels use (PDF417, Aztec and
    # Micro QR cost a third more and are left to the full pass); most camera frames end here.
    fast = Pass("fast", 0.2, lambda i: _zxing(i, formats=_formats(), try_rotate=False, try_invert=False,
                                              try_downscale=False))
    plan = [fast] if frame else photo_plan(image, fast, _zxing, _pyzbar)
    try:
        return _unique(run_passes(image, plan, budget, pass_pixels))
    except MemoryError:
        raise ImageError(f"{TOO_LARGE_FOR_MEMORY}.") from None


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
    except MemoryError:
        raise
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
    except MemoryError:
        raise
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
