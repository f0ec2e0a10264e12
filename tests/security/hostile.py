"""Hostile and hopeless images, made on the fly (none is committed): huge declared sizes inside the
pixel limit, long thin images, animated GIFs, multi-page TIFFs, noise that keeps a decoder busy.

Shared by tests/security/test_decode_budget.py and bench/decode_budget.py; every file is small
enough to upload (at most a few MB) and each is built in well under a second.
"""
from __future__ import annotations

import io
import random
import statistics
import struct
import zlib
from typing import Callable

from PIL import Image, ImageDraw


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png(width: int, height: int, *, color_type: int = 0, bit_depth: int = 8, fill: int = 255) -> bytes:
    """A PNG of one flat colour built row by row, so a 40-megapixel file costs no 40 MB to make."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row = b"\0" + bytes([fill]) * (width * channels * bit_depth // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def noise(width: int, height: int, seed: int = 0, sigma: float = 40) -> Image.Image:
    """Grey camera noise (Gaussian, around mid grey): the costliest thing for a decoder to search.
    Seeded, so that a test sees the same pixels every run (pyzbar very rarely reads a short ITF code
    in some noise; these seeds hold none)."""
    uniform = Image.frombytes("L", (width, height), random.Random(seed).randbytes(width * height))
    normal = statistics.NormalDist(128, sigma)
    return uniform.point([min(255, max(0, round(normal.inv_cdf((level + 0.5) / 256)))) for level in range(256)])


def noisy_jpeg(width: int, height: int, seed: int = 0) -> bytes:
    """A noisy colour JPEG as a camera or phone sends it."""
    return _save(noise(width, height, seed).convert("RGB"), "JPEG", quality=85)


def gif(width: int, height: int) -> bytes:
    """A blank GIF of that size (LZW squeezes it to a few KB)."""
    return _save(Image.new("P", (width, height), 1), "GIF")


def animated_gif(frames: int = 200, side: int = 1000) -> bytes:
    """Many frames of a moving dot: only the first frame is ever decoded."""
    def frame(index: int) -> Image.Image:
        image = Image.new("P", (side, side), 1)
        ImageDraw.Draw(image).rectangle((index, index, index + 8, index + 8), fill=0)
        return image
    later = (frame(index) for index in range(1, frames))  # made one at a time, not all held at once
    return _save(frame(0), "GIF", save_all=True, append_images=later, duration=20, loop=0)


def tiff(width: int, height: int, *, pages: int = 1) -> bytes:
    """A deflate-compressed blank TIFF, one or many pages."""
    first = Image.new("L", (width, height), 255)
    more = [Image.new("L", (width, height), 255) for _ in range(pages - 1)]
    return _save(first, "TIFF", compression="tiff_adobe_deflate", save_all=pages > 1, append_images=more)


def finder_patterns(width: int = 4032, height: int = 3024, module: int = 3) -> bytes:
    """A 12 MP sheet of QR finder patterns and nothing else: every one is a candidate to try."""
    tile = Image.new("L", (9 * module, 9 * module), 255)
    draw = ImageDraw.Draw(tile)
    for inset, colour in ((1, 0), (2, 255), (3, 0)):
        low, high = inset * module, (9 - inset) * module - 1
        draw.rectangle((low, low, high, high), fill=colour)
    sheet = Image.new("L", (width, height), 255)
    for top in range(0, height - tile.height, tile.height):
        for left in range(0, width - tile.width, tile.width):
            sheet.paste(tile, (left, top))
    return _save(sheet, "PNG", optimize=False, compress_level=6)


def progressive_jpeg(width: int, height: int) -> bytes:
    """A blank progressive JPEG: libjpeg keeps every coefficient of the image until the last scan."""
    return _save(Image.new("L", (width, height), 255), "JPEG", quality=95, progressive=True)


def webp(width: int, height: int) -> bytes:
    """A blank lossless WebP."""
    return _save(Image.new("L", (width, height), 255), "WEBP", lossless=True)


# (name, builder, file name): each image answered with a 4xx, never a 500 or a killed worker.
HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("PNG 20000x2000 blank", lambda: png(20000, 2000), "wide.png"),
    ("PNG 2000x20000 blank", lambda: png(2000, 20000), "tall.png"),
    ("PNG 6300x6300 blank", lambda: png(6300, 6300), "square.png"),
    ("PNG 6300x6300 RGBA 16-bit", lambda: png(6300, 6300, color_type=6, bit_depth=16), "deep.png"),
    ("PNG 20000x1 line", lambda: png(20000, 1), "line.png"),
    ("GIF 20000x2000 blank", lambda: gif(20000, 2000), "wide.gif"),
    ("GIF animated, 200 frames", animated_gif, "animated.gif"),
    ("TIFF deflate 20000x2000", lambda: tiff(20000, 2000), "wide.tif"),
    ("TIFF 40 pages of 2000x2000", lambda: tiff(2000, 2000, pages=40), "pages.tif"),
    ("JPEG progressive 6300x6300", lambda: progressive_jpeg(6300, 6300), "progressive.jpg"),
    ("WebP 16000x2500 blank", lambda: webp(16000, 2500), "wide.webp"),
    ("PNG 12 MP of finder patterns", finder_patterns, "finders.png"),
    ("JPEG 12 MP noise", lambda: noisy_jpeg(4032, 3024), "noise-12mp.jpg"),
    ("JPEG 1280x720 noise", lambda: noisy_jpeg(1280, 720), "noise-frame.jpg"),
]


