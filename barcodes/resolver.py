"""The resolver: one pipeline from a raw scan to the object(s) it names. It never raises."""
from __future__ import annotations

import dataclasses
import logging
from contextlib import nullcontext
from typing import Any

from barcodes.catalog import Catalog
from barcodes.links import barcode_hash
from barcodes.normalize import ScanInputError, normalize, to_bytes
from barcodes.options import ScanOptions
from barcodes.registry import Registry
from barcodes.result import Match, PluginResult, Scan, ScanResult

logger = logging.getLogger(__name__)
NO_MATCH = "No match found for barcode data"
_NOT_ISOLATED = nullcontext()  # reusable: it holds no state


def resolve(raw: str | bytes | Scan, *, registry: Registry, options: ScanOptions, source: str = "dialog",
            symbology: str = "") -> ScanResult:
    """Resolve a raw scan through the registry's plugins with this scan's options; bad input gives
    status 'error', never an exception."""
    try:
        scan = raw if isinstance(raw, Scan) else normalize(raw, options.gs_substitute)
    except ScanInputError as exc:
        return _error(raw, str(exc))
    except Exception:  # normalize is total over str/bytes; anything else is a caller's type error
        logger.exception("barcode input could not be normalised")
        return _error(raw, "The scan could not be read.")
    if symbology and not scan.symbology:
        scan = dataclasses.replace(scan, symbology=symbology)
    try:
        return _run_plugins(scan, registry, options)
    except Exception:  # a broken registry or database must still give the user an answer
        logger.exception("barcode resolve failed (source=%s)", source)
        return ScanResult(scan=scan, status="error", message="The scan could not be resolved; see the server log.")


def _error(raw: Any, message: str) -> ScanResult:
    try:
        raw_bytes = to_bytes(raw)
    except Exception:
        raw_bytes = b""
    return ScanResult(scan=Scan(raw=raw_bytes, text=""), status="error", message=message)


def _run_plugins(scan: Scan, registry: Registry, options: ScanOptions) -> ScanResult:
    result = ScanResult(scan=scan, status="no_match", barcode_hash=barcode_hash(scan))
    seen: set[tuple[str, int]] = set()
    recognised: tuple[str, PluginResult] | None = None
    for plugin in registry.active(options.plugins_disabled, options.plugin_order):
        # Built-in plugins only read by primary or unique key; a failure there (a lost database)
        # fails the whole request anyway, so only other plugins pay for isolating their work.
        isolating = None if registry.is_builtin(plugin.name) else registry.catalog
        found = _ask(plugin, scan, options if registry.wants_options(plugin.name) else None, isolating)
        if found is None:
            continue
        valid = [m for m in found.matches if isinstance(m, Match)]
        new = [m for m in valid if (m.object_type, m.object_id) not in seen]
        seen.update((m.object_type, m.object_id) for m in new)
        result.matches.extend(new)
        if found.linked and valid and result.linked is None:
            result.linked = valid[0]
        if new and result.plugin is None:
            result.plugin = plugin.name
            result.format, result.fields = found.format, dict(found.fields)
        elif recognised is None and (found.format or found.fields):
            recognised = (plugin.name, found)
        if found.final:
            break
    if result.matches:
        result.status = "match"
        if not result.format and recognised:
            result.format, result.fields = recognised[1].format, dict(recognised[1].fields)
        return result
    result.message = NO_MATCH
    if recognised:
        result.plugin = recognised[0]
        result.format, result.fields = recognised[1].format, dict(recognised[1].fields)
        result.message = recognised[1].message or NO_MATCH  # "Part 12 was deleted." says more
    else:
        _fill_parsed(result)
    return result


def _fill_parsed(result: ScanResult) -> None:
    """Format and fields for a scan no plugin recognised (e.g. the GS1 plugin is switched off)."""
    from barcodes.parsers import parse

    parsed = parse(result.scan.text, result.scan.aim_id)
    if parsed is not None:
        result.format, result.fields = parsed.format, dict(parsed.fields)


def _ask(plugin, scan: Scan, options: ScanOptions | None, isolating: Catalog | None) -> PluginResult | None:
    """One plugin's answer; a plugin that raises is logged and skipped, its database work undone
    when `isolating` is the catalog to isolate it with."""
    try:
        with _NOT_ISOLATED if isolating is None else isolating.isolated():
            found = plugin.scan(scan) if options is None else plugin.scan(scan, options=options)
    except Exception:
        logger.exception("barcode plugin %r raised and was skipped", getattr(plugin, "name", plugin))
        return None
    return found if isinstance(found, PluginResult) else None
