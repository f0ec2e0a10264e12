"""Opening an uploaded image safely: its type, bytes, pixels and the memory it will take are checked
from the header, before any pixel is decompressed; then it is made 8-bit grayscale and scaled down
to the pixels a decode pass may see."""
from __future__ import annotations

import io
import resource
import struct
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from barcodes.decode_passes import fit, fitted_size
from barcodes.options import DecodeOptions

FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
MAX_SIDE = 20000  # longest side accepted, whatever the pixel count
# Bytes per pixel while decoding: the widest bitmap Pillow makes (RGBA) plus the grayscale copy;
# WebP decodes onto an RGBA canvas twice over, and Pillow copies it, all before we see a pixel.
BYTES_PER_PIXEL = {"WEBP": 16}
BYTES_PER_PIXEL_OTHER = 5
TOO_LARGE_FOR_MEMORY = "The image is too large to decode in the memory allowed"


class ImageError(ValueError):
    """Data that is not an image we read, or one too large to decode."""


def open_image(data: bytes, options: DecodeOptions = DecodeOptions(), fit_pixels: int | None = None) -> Image.Image:
    """Open and check an image (type, byte, pixel and memory limits) and return it as 8-bit grayscale,
    scaled down to at most `fit_pixels` when given (a JPEG is decoded at the smaller size directly)."""
    check_length(data, options)
    data = bytes(data)
    webp = webp_size(data)  # Pillow allocates a WebP's canvas while opening it: check the size first
    if webp:
        _check_size(*webp, options.max_pixels)
        _check_memory("WEBP", *webp)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise ImageError(f"{image.format or 'This'} images are not supported; use PNG, JPEG, GIF, BMP, WebP or TIFF.")
            _check_size(*image.size, options.max_pixels)
            if image.format == "JPEG":  # libjpeg decodes straight to grayscale, and at 1/2, 1/4 or 1/8 size
                image.draft("L", fitted_size(*image.size, fit_pixels) if fit_pixels else image.size)
            _check_memory(image.format, *image.size)
            image.load()
            if image.format == "JPEG" and image.getexif().get(0x0112, 1) != 1:
                image = ImageOps.exif_transpose(image)  # phone photos stored sideways
            image = image if image.mode == "L" else image.convert("L")
            return fit(image, fit_pixels) if fit_pixels else image
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"The image is too large (at most {options.max_pixels // 1_000_000} megapixels).") from None
    except UnidentifiedImageError:
        raise ImageError("This file is not an image we can read.") from None
    except MemoryError:
        raise ImageError(f"{TOO_LARGE_FOR_MEMORY}.") from None
    except (OSError, ValueError, SyntaxError, EOFError):  # truncated or corrupt files
        raise ImageError("This image is damaged or truncated.") from None


def check_length(data: bytes, options: DecodeOptions) -> None:
    """Refuse what is no bytes, empty, or longer than the options allow, unread."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageError("Expected image bytes.")
    if len(data) == 0:
        raise ImageError("The file is empty.")
    if len(data) > options.max_bytes:
        raise ImageError(f"The image is too large ({len(data) // 1024} KB; at most {options.max_bytes // (1024 * 1024)} MB).")


def _check_size(width: int, height: int, max_pixels: int) -> None:
    """Refuse declared sizes over the limits."""
    if width * height > max_pixels or width > MAX_SIDE or height > MAX_SIDE:
        raise ImageError(f"The image is too large ({width}x{height} pixels; at most {max_pixels // 1_000_000} megapixels).")


def _check_memory(fmt: str, width: int, height: int) -> None:
    """Refuse a bitmap this process has no room for (under its RLIMIT_AS) before decompressing it."""
    room = _address_space_left()
    if room is not None and width * height * BYTES_PER_PIXEL.get(fmt, BYTES_PER_PIXEL_OTHER) > room:
        raise ImageError(f"{TOO_LARGE_FOR_MEMORY} ({width}x{height} pixels).")


def _address_space_left() -> int | None:
    """Bytes this process may still map under its RLIMIT_AS, or None when it has no limit."""
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    if limit == resource.RLIM_INFINITY:
        return None
    try:
        with open("/proc/self/status") as status:
            used = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration):
        return None
    return limit - used


def webp_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a WebP's first chunk header, or None when `data` is no WebP we can size."""
    if len(data) < 30 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    if chunk == b"VP8X":  # extended: the canvas size, 24 bits each, minus one
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8L" and data[20] == 0x2F:  # lossless: 14 bits each, minus one
        bits = struct.unpack("<I", data[21:25])[0]
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":  # lossy key frame: 14 bits each
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None
