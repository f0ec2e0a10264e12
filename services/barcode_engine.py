"""The barcode engine as the app runs it: each scan's options read from the runtime settings, the
registry the factory built, and images decoded in this process's decoder pool within the config's
budgets. Every caller of the engine goes through here, so the settings are read in one place, once
per scan, and handed to the engine (which never reads them itself)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from barcodes.options import DecodeOptions, ScanOptions
from barcodes.registry import PluginInfo, Registry
from barcodes.resolver import resolve
from barcodes.result import Scan, ScanResult
from services import settings

if TYPE_CHECKING:
    from barcodes.decode import Decoded


def scan_options() -> ScanOptions:
    """The engine's options as the admin set them, read now (from the worker's settings cache)."""
    return ScanOptions(prefix=settings.get("BARCODE_PREFIX"), gs_substitute=settings.get("BARCODE_GS_SUBSTITUTE"),
                       plugins_disabled=tuple(settings.get("BARCODE_PLUGINS_DISABLED")),
                       plugin_order=tuple(settings.get("BARCODE_PLUGIN_ORDER")))


def app_registry() -> Registry:
    """The barcode plugin registry the factory built for this app."""
    return current_app.extensions["barcode_registry"]


def resolve_scan(raw: str | bytes | Scan, *, source: str, symbology: str = "") -> ScanResult:
    """Resolve one scan through the app's registry with the settings read once for it; never raises."""
    return resolve(raw, registry=app_registry(), options=scan_options(), source=source, symbology=symbology)


def plugin_infos(registry: Registry) -> list[PluginInfo]:
    """Every plugin of `registry` with its switch and position as the admin set them."""
    options = scan_options()
    return registry.all(options.plugins_disabled, options.plugin_order)


def decode_options(source: str) -> tuple[DecodeOptions, float]:
    """How an image from `source` is decoded, and the seconds its answer may take, from the config:
    a camera frame gets one fast pass, anything else (a photo) every pass its budget allows."""
    config = current_app.config
    camera = source == "camera"
    seconds = config["DECODE_CAMERA_SECONDS"] if camera else config["DECODE_PHOTO_SECONDS"]
    options = DecodeOptions(passes="frame" if camera else "photo", seconds=seconds,
                            pass_pixels=int(config["DECODE_PASS_MEGAPIXELS"] * 1_000_000))
    return options, seconds


def decode_image(data: bytes, *, source: str) -> list[Decoded]:
    """The barcodes in an image, decoded in this process's decoder pool within the configured budget.

    Raises barcodes.decode.ImageError (not an image, too large), DecodeTimeout (nothing found in
    time) or barcodes.decode_pool.DecodeBusy (every decoder busy)."""
    from barcodes.decode_pool import PoolLimits, shared_pool  # PIL and the pool load on first image

    config = current_app.config
    pool = shared_pool(PoolLimits(config["DECODE_PROCESSES"], config["DECODE_QUEUE"], config["DECODE_MEMORY_MB"]))
    options, seconds = decode_options(source)
    return pool.run(data, options, seconds).found
