"""Runtime settings: every key declared once with its type, default and help text.

Values live in the `setting` table as JSON. An environment variable `SHELFSCAN_<KEY>` set at deploy
time wins over the stored value. Unknown keys raise KeyError, bad values raise SettingError.
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import current_app, g, has_request_context


class SettingError(ValueError):
    """A value that does not fit its setting's type or bounds."""


@dataclass(frozen=True)
class Spec:
    """One runtime setting: its type, default, help and bounds."""

    key: str
    type: type
    default: Any
    help: str
    group: str = "Barcodes"
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    max_length: int = 200
    extra_check: Callable[[Any], str | None] | None = field(default=None, compare=False)

    def coerce(self, value: Any) -> Any:
        """Turn a form string or JSON value into this setting's type, or raise SettingError."""
        if self.type is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "on", "yes"):
                return True
            if text in ("0", "false", "off", "no", ""):
                return False
            raise SettingError(f"{self.key}: expected on or off, got {value!r}")
        if self.type is int:
            if isinstance(value, bool):
                raise SettingError(f"{self.key}: expected a whole number")
            try:
                number = int(str(value).strip())
            except ValueError:
                raise SettingError(f"{self.key}: expected a whole number, got {value!r}") from None
            if self.minimum is not None and number < self.minimum:
                raise SettingError(f"{self.key}: must be at least {self.minimum}")
            if self.maximum is not None and number > self.maximum:
                raise SettingError(f"{self.key}: must be at most {self.maximum}")
            return number
        if self.type is list:
            items = value if isinstance(value, list) else [s for s in re.split(r"[,\s]+", str(value)) if s]
            return [str(item) for item in items]
        text = "" if value is None else str(value)
        if len(text) > self.max_length:
            raise SettingError(f"{self.key}: at most {self.max_length} characters")
        if self.choices and text not in self.choices:
            raise SettingError(f"{self.key}: must be one of {', '.join(self.choices)}")
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise SettingError(f"{self.key}: does not match {self.pattern}")
        if self.extra_check and (problem := self.extra_check(text)):
            raise SettingError(f"{self.key}: {problem}")
        return text


SPECS: dict[str, Spec] = {
    spec.key: spec
    for spec in (
        Spec("BARCODE_ENABLE", bool, True, "Enable barcode scanning (navbar icon, /scan and the API)."),
        Spec("BARCODE_WEBCAM_SUPPORT", bool, True, "Offer the live camera in the scan dialog (needs HTTPS or localhost)."),
        Spec("BARCODE_INPUT_DELAY", int, 50, "Longest gap in ms between keys of one keyboard-wedge scan; slower typing is a person.", minimum=5, maximum=1000),
        Spec("BARCODE_SCANNER_LAYOUT", str, "us", "Keyboard layout the scanner types in. 'us' rebuilds every character from the physical key, so scans work whatever layout this computer uses; 'host' trusts the characters as typed.", choices=("us", "host")),
        Spec("BARCODE_GS_SUBSTITUTE", str, "", "Extra text your scanner sends in place of the GS separator (e.g. '~'); empty for none.", max_length=8),
        Spec("BARCODE_STORE_RESULTS", bool, True, "Keep a history of every scan."),
        Spec("BARCODE_RESULTS_MAX_NUM", int, 100000, "Most lookup scans to keep in the history (rows of changes are kept by days).", minimum=10, maximum=100_000_000),
        Spec("BARCODE_RESULTS_MAX_DAYS", int, 365, "Delete lookup scans older than this many days.", minimum=1, maximum=36500),
        Spec("BARCODE_CHANGES_MAX_DAYS", int, 3650, "Delete history rows of changes (link, unlink, move, count, receive, undo) older than this many days; never before lookups.", minimum=1, maximum=36500),
        Spec("BARCODE_SCAN_RATE_LIMIT", int, 120, "Most lookup scans one user may make in a minute (scan dialog and API); more are refused until the minute has passed.", minimum=1, maximum=1_000_000),
        Spec("BARCODE_PREFIX", str, "SS", "Prefix of the internal barcodes Shelfscan prints (1-4 of A-Z; changing it leaves printed labels unreadable).", pattern=r"[A-Z]{1,4}"),
        Spec("BARCODE_SHOW_TEXT", bool, True, "Print the code as text under barcodes."),
        Spec("BARCODE_PLUGINS_DISABLED", list, [], "Barcode plugins switched off (by name)."),
        Spec("BARCODE_PLUGIN_ORDER", list, [], "Order in which barcode plugins are asked (by name); plugins not listed follow in their built-in order."),
        Spec("LABEL_TEMPLATE_PART", int, 0, "Default label template for parts (0: the first that fits).", group="Labels", minimum=0),
        Spec("LABEL_TEMPLATE_STOCKITEM", int, 0, "Default label template for stock items (0: the first that fits).", group="Labels", minimum=0),
        Spec("LABEL_TEMPLATE_STOCKLOCATION", int, 0, "Default label template for locations (0: the first that fits).", group="Labels", minimum=0),
        Spec("LABEL_TEMPLATE_SUPPLIERPART", int, 0, "Default label template for supplier parts (0: the first that fits).", group="Labels", minimum=0),
    )
}


def _spec(key: str) -> Spec:
    try:
        return SPECS[key]
    except KeyError:
        raise KeyError(f"unknown setting {key!r}") from None


def env_override(key: str) -> Any | None:
    """The deploy-time value of a setting from SHELFSCAN_<KEY>, or None."""
    raw = os.environ.get(f"SHELFSCAN_{key}")
    return None if raw is None else _spec(key).coerce(raw)


def _read_stored() -> dict[str, Any]:
    from extensions import db
    from models import Setting

    values = {}
    for row in db.session.execute(db.select(Setting)).scalars():
        if row.key in SPECS:
            try:
                values[row.key] = SPECS[row.key].coerce(json.loads(row.value))
            except (SettingError, ValueError):
                pass  # a value that no longer fits its spec falls back to the default
    return values


def _stored() -> dict[str, Any]:
    """All stored values: one snapshot per request, taken from the worker's short-lived cache.

    Each worker keeps the values for SETTINGS_CACHE_SECONDS (config.py), so a scan pays no query for
    them: a change made in another worker (or on another app server) is seen within that time, one
    made in this worker at once (save clears the cache).
    """
    if has_request_context() and "settings_cache" in g:
        return g.settings_cache
    cache = current_app.extensions.setdefault("settings_cache", {})
    now = time.monotonic()
    if cache.get("until", 0.0) <= now:
        cache["values"], cache["until"] = _read_stored(), now + current_app.config["SETTINGS_CACHE_SECONDS"]
    values = cache["values"]
    if has_request_context():
        g.settings_cache = values
    return values


def refresh() -> None:
    """Read the stored values now, for this request and the worker's cache (pages that edit them)."""
    forget_cached()
    _stored()


def forget_cached() -> None:
    """Drop this worker's cached values, so the next read sees the database."""
    current_app.extensions.pop("settings_cache", None)
    if has_request_context():
        g.pop("settings_cache", None)


def get(key: str) -> Any:
    """The effective value of a setting: environment override, then stored value, then default."""
    spec = _spec(key)
    override = env_override(key)
    if override is not None:
        return override
    return _stored().get(key, spec.default)


def get_all() -> dict[str, Any]:
    """Every setting's effective value."""
    return {key: get(key) for key in SPECS}


def save(values: dict[str, Any]) -> dict[str, Any]:
    """Validate every value, then store them all in one transaction; returns the typed values.

    Raises SettingError (nothing stored) when a value does not fit its setting.
    """
    from extensions import db
    from models import Setting

    typed = {key: _spec(key).coerce(value) for key, value in values.items()}
    try:
        for key, value in typed.items():
            row = db.session.get(Setting, key)
            if row is None:
                db.session.add(Setting(key=key, value=json.dumps(value)))
            else:
                row.value = json.dumps(value)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    finally:
        forget_cached()
    return typed


def set_value(key: str, value: Any) -> Any:
    """Validate and store one setting (committed); returns the stored value."""
    return save({key: value})[key]
