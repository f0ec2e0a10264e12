"""What the engine returns: the normalised scan, and what it resolved to."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Scan:
    """One scan: the raw input kept for the history, and its canonical text."""

    raw: bytes  # exactly as received (text encoded UTF-8 with surrogateescape)
    text: str  # canonical: AIM id stripped, suffixes trimmed, separators as \x1d \x1e \x04
    aim_id: str = ""  # e.g. "]C1", "" when none
    symbology: str = ""  # from the AIM id or the image decoder, "" when unknown


@dataclass(frozen=True)
class Match:
    """One object a scan names."""

    object_type: str  # part | stockitem | stocklocation | supplierpart
    object_id: int
    title: str
    url: str  # the object's web page, e.g. /parts/12
    api_url: str = ""  # the object's API path, e.g. /api/part/12/


@dataclass
class ScanResult:
    """The outcome of resolving one scan."""

    scan: Scan
    status: str  # match | no_match | error
    matches: list[Match] = field(default_factory=list)
    plugin: str | None = None  # the plugin that matched (or recognised the format)
    format: str | None = None  # internal, inventree, linked, gs1, ecia, lcsc, tme, ...
    fields: dict[str, Any] = field(default_factory=dict)  # parsed fields: sku, mpn, quantity, lot, ...
    message: str = ""  # for people: why no match, or the error
    barcode_hash: str = ""  # SHA-256 hex of the canonical data, the key of linked barcodes
    # The object a person linked this exact code to, when it is among the matches: it names that
    # object, whatever other plugins read from the code's content (a received bag's label).
    linked: Match | None = None

    @property
    def match(self) -> Match | None:
        """The first match, or None."""
        return self.matches[0] if self.matches else None


@dataclass
class PluginResult:
    """What one plugin found: the objects it matched, and the format and fields it recognised."""

    matches: list[Match] = field(default_factory=list)
    format: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    message: str = ""  # optional note for people, e.g. "supplier code for an unknown SKU"
    # The code is this plugin's alone (an internal code names its object and cannot be linked),
    # so the resolver asks no further plugin.
    final: bool = False
    # The matches are objects a person linked this exact code to (see ScanResult.linked).
    linked: bool = False
