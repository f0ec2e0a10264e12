"""What the engine needs from the admin's settings for one scan, passed in by its caller."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PREFIX = "SS"


@dataclass(frozen=True)
class ScanOptions:
    """The settings one scan is resolved with; the defaults are those of a fresh install."""

    prefix: str = DEFAULT_PREFIX  # of our internal codes, 1-4 letters A-Z
    gs_substitute: str = ""  # extra text a scanner sends for the GS separator, "" for none
    plugins_disabled: tuple[str, ...] = ()  # plugin names the admin switched off
    plugin_order: tuple[str, ...] = ()  # plugin names asked first, in this order


@dataclass(frozen=True)
class DecodeOptions:
    """How hard to look for barcodes in one image (barcodes/decode.py); the app builds it from its
    config (services/barcode_engine.py), the defaults are those of a fresh install."""

    passes: str = "photo"  # "frame": one fast pass on the image as sent; "photo": every pass in budget
    seconds: float = 1.5  # CPU seconds the passes may take (in a decoder process: wall seconds too)
    pass_pixels: int = 12_000_000  # no pass decodes a larger image (input, rotated, upscaled alike)
    max_pixels: int = 40_000_000  # inputs declaring more are refused from their header
    max_bytes: int = 15 * 1024 * 1024  # inputs longer than this are refused unread
