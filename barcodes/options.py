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
