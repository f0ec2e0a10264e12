"""The ordered barcode plugin registry, built per app in the factory.

A plugin is an object with `name` (unique), `description` and `scan(scan: Scan) -> PluginResult |
None`. Third-party packages register a class (instantiated without arguments) under the entry-point
group `shelfscan.barcode_plugins`. The admin switches plugins off (BARCODE_PLUGINS_DISABLED) and
orders them (BARCODE_PLUGIN_ORDER); both are read at call time, so changes apply without a restart.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Iterable, Protocol

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


class Registry:
    """Ordered plugins; `disabled`/`order` fixed for tests, else read from settings at call time."""

    def __init__(self, plugins: Iterable[Any], *, builtin: Iterable[str] = (),
                 disabled: Iterable[str] | None = None, order: Iterable[str] | None = None):
        self._plugins: dict[str, Any] = {}
        for plugin in plugins:
            self.add(plugin)
        self._builtin = set(builtin)
        self._disabled = None if disabled is None else list(disabled)
        self._order = None if order is None else list(order)

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

    def names(self) -> list[str]:
        """Every plugin's name in registration order."""
        return list(self._plugins)

    def _settings(self) -> tuple[list[str], list[str]]:
        disabled, order = self._disabled, self._order
        if disabled is None or order is None:
            stored_disabled, stored_order = _read_settings()
            disabled = stored_disabled if disabled is None else disabled
            order = stored_order if order is None else order
        return disabled, order

    def ordered(self) -> list[Any]:
        """All plugins in the effective order: the configured order first, then registration order."""
        _disabled, order = self._settings()
        ranked = [name for name in dict.fromkeys(order) if name in self._plugins]
        ranked += [name for name in self._plugins if name not in ranked]
        return [self._plugins[name] for name in ranked]

    def active(self) -> list[Any]:
        """The enabled plugins in the effective order."""
        disabled = set(self._settings()[0])
        return [plugin for plugin in self.ordered() if plugin.name not in disabled]

    def all(self) -> list[PluginInfo]:
        """Every plugin with its description, whether it is enabled and its position."""
        disabled = set(self._settings()[0])
        return [
            PluginInfo(name=p.name, description=str(getattr(p, "description", "") or ""),
                       enabled=p.name not in disabled, position=index, builtin=p.name in self._builtin)
            for index, p in enumerate(self.ordered(), start=1)
        ]


def _read_settings() -> tuple[list[str], list[str]]:
    """BARCODE_PLUGINS_DISABLED and BARCODE_PLUGIN_ORDER, or empty lists outside an app."""
    from flask import has_app_context

    if not has_app_context():
        return [], []
    try:
        from services import settings

        return list(settings.get("BARCODE_PLUGINS_DISABLED")), list(settings.get("BARCODE_PLUGIN_ORDER"))
    except Exception:  # e.g. a database that is not migrated yet: all plugins, built-in order
        logger.warning("barcode plugin settings unreadable; using defaults", exc_info=True)
        return [], []


def load_entry_point_plugins(group: str = ENTRY_POINT_GROUP) -> list[Any]:
    """Instantiate the third-party plugins registered under the entry-point group."""
    found = []
    for entry_point in entry_points(group=group):
        try:
            loaded = entry_point.load()
            found.append(loaded() if isinstance(loaded, type) else loaded)
        except Exception:
            logger.exception("barcode plugin %s failed to load and is skipped", entry_point.name)
    return found


def build_registry(app=None, extra_plugins: Iterable[Any] = ()) -> Registry:
    """Build the app's ordered registry: built-ins, then entry-point plugins, then `extra_plugins`."""
    from barcodes.plugins import builtin_plugins

    builtins = builtin_plugins()
    registry = Registry(builtins, builtin=[p.name for p in builtins])
    for plugin in [*load_entry_point_plugins(), *extra_plugins]:
        registry.add(plugin)
    return registry
