"""The ordered barcode plugin registry, built per app in the factory (tests build one with fakes).

A plugin is an object with `name` (unique), `description` and `scan(scan: Scan) -> PluginResult |
None`. A plugin whose scan() has a parameter called `options` is called `scan(scan, options=...)`
with the ScanOptions of that scan (the internal-code prefix, the GS substitute).

How plugins get data: the built-in ones look objects up in the Catalog that build_registry() is
given (barcodes/catalog.py; the app passes its SQL catalog). Third-party packages register a class
under the entry-point group `shelfscan.barcode_plugins`; it is instantiated with `catalog=` when its
constructor takes that parameter, else without arguments. Anything else a third-party plugin reads
(its own tables, a web service) it reads itself, as the app's code runs it inside a request or CLI
command; its database work runs in `catalog.isolated()`, so a plugin that fails undoes only its own.

Which plugins are on, and in which order, is the caller's: `active(disabled, order)` and `all(...)`
take the admin's BARCODE_PLUGINS_DISABLED and BARCODE_PLUGIN_ORDER on every call, so a change
applies without a restart.
"""
from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Iterable, Protocol

from barcodes.catalog import Catalog
from barcodes.result import PluginResult, Scan

logger = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "shelfscan.barcode_plugins"


class BarcodePlugin(Protocol):
    """The interface every barcode plugin provides."""

    name: str
    description: str

    def scan(self, scan: Scan) -> PluginResult | None:
        """What this plugin makes of the scan, or None when it is not its format."""


@dataclass(frozen=True)
class PluginInfo:
    """One plugin as the admin page lists it."""

    name: str
    description: str
    enabled: bool
    position: int  # 1-based place in the effective order
    builtin: bool


def takes_parameter(function: Any, name: str) -> bool:
    """Whether a callable has a parameter called `name` (False when it cannot be inspected)."""
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


class Registry:
    """Plugins by name in registration order; the order and switches in force are passed to each call."""

    def __init__(self, plugins: Iterable[Any], *, builtin: Iterable[str] = (), catalog: Catalog | None = None):
        self._plugins: dict[str, Any] = {}
        self._want_options: set[str] = set()
        self._builtin = set(builtin)
        self.catalog = catalog  # isolates the database work of plugins that are not built in
        for plugin in plugins:
            self.add(plugin)

    def add(self, plugin: Any) -> bool:
        """Add a plugin after checking its interface; False (and a log line) when it does not fit."""
        name = getattr(plugin, "name", None)
        if not isinstance(name, str) or not name or not callable(getattr(plugin, "scan", None)):
            logger.error("barcode plugin %r has no name or no scan() and is ignored", plugin)
            return False
        if name in self._plugins:
            logger.error("barcode plugin name %r is taken; the later one is ignored", name)
            return False
        self._plugins[name] = plugin
        if takes_parameter(plugin.scan, "options"):
            self._want_options.add(name)
        return True

    def get(self, name: str) -> Any:
        """The plugin called `name`; KeyError when there is none."""
        try:
            return self._plugins[name]
        except KeyError:
            raise KeyError(f"no barcode plugin named {name!r}") from None

    def is_builtin(self, name: str) -> bool:
        """Whether the plugin called `name` ships with Shelfscan."""
        return name in self._builtin

    def wants_options(self, name: str) -> bool:
        """Whether the plugin called `name` takes the scan's options (see the module)."""
        return name in self._want_options

    def names(self) -> list[str]:
        """Every plugin's name in registration order."""
        return list(self._plugins)

    def ordered(self, order: Iterable[str]) -> list[Any]:
        """All plugins in the effective order: the names in `order` first, then registration order."""
        ranked = [name for name in dict.fromkeys(order) if name in self._plugins]
        ranked += [name for name in self._plugins if name not in ranked]
        return [self._plugins[name] for name in ranked]

    def active(self, disabled: Iterable[str], order: Iterable[str]) -> list[Any]:
        """The plugins not named in `disabled`, in the effective order."""
        off = set(disabled)
        return [plugin for plugin in self.ordered(order) if plugin.name not in off]

    def all(self, disabled: Iterable[str], order: Iterable[str]) -> list[PluginInfo]:
        """Every plugin with its description, whether it is enabled and its position."""
        off = set(disabled)
        return [
            PluginInfo(name=p.name, description=str(getattr(p, "description", "") or ""),
                       enabled=p.name not in off, position=index, builtin=p.name in self._builtin)
            for index, p in enumerate(self.ordered(order), start=1)
        ]


def load_entry_point_plugins(catalog: Catalog | None = None, group: str = ENTRY_POINT_GROUP) -> list[Any]:
    """Instantiate the third-party plugins registered under the entry-point group."""
    found = []
    for entry_point in entry_points(group=group):
        try:
            loaded = entry_point.load()
            if not isinstance(loaded, type):
                found.append(loaded)
            elif catalog is not None and takes_parameter(loaded, "catalog"):
                found.append(loaded(catalog=catalog))
            else:
                found.append(loaded())
        except Exception:
            logger.exception("barcode plugin %s failed to load and is skipped", entry_point.name)
    return found


def build_registry(catalog: Catalog, extra_plugins: Iterable[Any] = ()) -> Registry:
    """Build the app's ordered registry: built-ins, then entry-point plugins, then `extra_plugins`."""
    from barcodes.plugins import builtin_plugins

    builtins = builtin_plugins(catalog)
    registry = Registry(builtins, builtin=[p.name for p in builtins], catalog=catalog)
    for plugin in [*load_entry_point_plugins(catalog), *extra_plugins]:
        registry.add(plugin)
    return registry
