"""What InvenTree clients read about the server: its plugins and the InvenTree settings they ask for.

Plugins: Shelfscan's barcode plugins (their switches as the admin set them), and the label printer
the API prints with. Settings: each InvenTree key a client reads is declared here with the value
that tells the truth about Shelfscan (stock items do have expiry dates; there are no project codes).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from services import settings
from services.api_objects.query import Filter, ListQuery, Page
from services.barcode_engine import app_registry, plugin_infos

LABEL_PLUGIN_KEY = "shelfscan-labels"


@dataclass(frozen=True)
class Plugin:
    """A plugin as InvenTree's /api/plugins/ lists it."""

    key: str
    name: str
    description: str
    active: bool
    builtin: bool
    mixins: tuple[str, ...]


def plugins() -> list[Plugin]:
    """The barcode plugins in the order they are asked, then the label printer."""
    found = [Plugin(info.name, info.name, info.description, info.enabled, info.builtin, ("barcode",))
             for info in sorted(plugin_infos(app_registry()), key=lambda info: info.position)]
    found.append(Plugin(LABEL_PLUGIN_KEY, "Shelfscan labels", "Prints Shelfscan's label templates as PDF",
                        True, True, ("labels",)))
    return found


def _where(test: Callable[[Plugin, object], bool]) -> Filter:
    return Filter("bool", lambda found, value, _values: [p for p in found if test(p, value)])


PLUGIN_FILTERS = {
    "active": _where(lambda p, value: p.active == value),
    "enabled": _where(lambda p, value: p.active == value),
    "builtin": _where(lambda p, value: p.builtin == value),
    "installed": _where(lambda p, value: value is True),
    "sample": _where(lambda p, value: value is False),
    "mixin": Filter("text", lambda found, value, _values: [p for p in found if value in p.mixins]),
}


def plugin_page(request: ListQuery) -> Page:
    """One page of (pk, plugin) pairs matching InvenTree's plugin filters; pks are positions."""
    found = [] if request.unknown else plugins()
    for name, value in request.values.items():
        found = PLUGIN_FILTERS[name].apply(found, value, request.values)
    words = request.search.lower().split()
    found = [p for p in found if all(word in f"{p.key} {p.name} {p.description}".lower() for word in words)]
    numbered = [(pk, p) for pk, p in enumerate(plugins(), start=1) if p in found]
    return Page(len(numbered), numbered[request.offset:request.offset + request.limit])


def plugin(key: str) -> tuple[int, Plugin] | None:
    """(pk, plugin) for this key, or None."""
    return next(((pk, found) for pk, found in enumerate(plugins(), start=1) if found.key == key), None)


@dataclass(frozen=True)
class InvenTreeSetting:
    """One InvenTree setting key a client reads, and where its value comes from."""

    key: str
    type: str  # boolean | integer | string
    name: str
    value: Callable[[], object]


GLOBAL_SETTINGS = {setting.key: setting for setting in (
    InvenTreeSetting("STOCK_ENABLE_EXPIRY", "boolean", "Stock expiry", lambda: True),
    InvenTreeSetting("STOCK_STALE_DAYS", "integer", "Stock stale time", lambda: 0),
    InvenTreeSetting("PROJECT_CODES_ENABLED", "boolean", "Enable project codes", lambda: False),
    InvenTreeSetting("BARCODE_ENABLE", "boolean", "Barcode support", lambda: settings.get("BARCODE_ENABLE")),
    InvenTreeSetting("INVENTREE_INSTANCE", "string", "Server instance name", lambda: "Shelfscan"),
)}


def setting_value(setting: InvenTreeSetting) -> str:
    """The value as InvenTree sends it: text, booleans as True/False."""
    value = setting.value()
    return str(value) if not isinstance(value, bool) else ("True" if value else "False")
