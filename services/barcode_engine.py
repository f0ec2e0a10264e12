"""The barcode engine as the app runs it: each scan's options read from the runtime settings, and
the registry the factory built. Every caller of the engine goes through here, so the settings are
read in one place, once per scan, and handed to the engine (which never reads them itself)."""
from __future__ import annotations

from flask import current_app

from barcodes.options import ScanOptions
from barcodes.registry import PluginInfo, Registry
from barcodes.resolver import resolve
from barcodes.result import Scan, ScanResult
from services import settings


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


@settings.provide_options("BARCODE_PLUGINS_DISABLED", "BARCODE_PLUGIN_ORDER")
def plugin_options() -> list[tuple[str, str]]:
    """The installed plugins by name, on or off: what the plugin settings may name."""
    return [(info.name, info.name) for info in app_registry().all((), ())]


def plugin_infos(registry: Registry) -> list[PluginInfo]:
    """Every plugin of `registry` with its switch and position as the admin set them."""
    options = scan_options()
    return registry.all(options.plugins_disabled, options.plugin_order)
