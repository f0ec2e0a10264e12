"""Runtime settings: every key declared once with its type, default and help text.

Values live in the `setting` table as JSON. An environment variable `SHELFSCAN_<KEY>` set at deploy
time wins over the stored value. Unknown keys raise KeyError, bad values raise SettingError.
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from typing import Any, Callable

from flask import current_app, g, has_request_context


class SettingError(ValueError):
    """A value that does not fit its setting's type, bounds or the things it names; says why in words."""


Option = tuple[Any, str]  # (stored value, what people read)
# Per key: what the values of a setting that names things (plugins, label templates) may be. The
# module that owns those things registers it (provide_options), so this one imports none of them.
_OPTIONS: dict[str, Callable[[], list[Option]]] = {}


@dataclass(frozen=True)
class Spec:
    """One runtime setting: its type, default, help and bounds, and how people read it."""

    key: str
    type: type
    default: Any
    help: str
    label: str = ""
    group: str = "Barcodes"
    choices: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    pattern_text: str = ""  # the pattern in words, for the message
    max_length: int = 200
    # Set for a setting that names things ("barcode plugin"): its values must be among options(),
    # checked when a value is saved; a stored name that no longer exists (a plugin uninstalled) is
    # no error when read back.
    option_noun: str = ""
    ordered: bool = False  # a list whose order matters (so not a set of checkboxes)

    def coerce(self, value: Any) -> Any:
        """Turn a form string or JSON value into this setting's type, or raise SettingError."""
        if self.type is bool:
            return self._coerce_bool(value)
        if self.type is int:
            return self._coerce_int(value)
        if self.type is list:
            items = value if isinstance(value, list) else [s for s in re.split(r"[,\s]+", str(value)) if s]
            return [str(item) for item in items]
        text = "" if value is None else str(value)
        if len(text) > self.max_length:
            raise SettingError(f"{self.key}: Use at most {self.max_length} characters.")
        if self.choices and text not in [choice for choice, _ in self.choices]:
            raise SettingError(f"{self.key}: Choose one of: {', '.join(v for v, _ in self.choices)}.")
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise SettingError(f"{self.key}: {self.pattern_text or 'This value is not allowed here.'}")
        return text

    def _coerce_bool(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "on", "yes"):
            return True
        if text in ("0", "false", "off", "no", ""):
            return False
        raise SettingError(f"{self.key}: Choose on or off.")

    def _coerce_int(self, value: Any) -> int:
        if isinstance(value, bool):
            raise SettingError(f"{self.key}: Enter a whole number.")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise SettingError(f"{self.key}: Enter a whole number, such as {self.default}.") from None
        if self.minimum is not None and number < self.minimum:
            raise SettingError(f"{self.key}: Enter {self.minimum} or more.")
        if self.maximum is not None and number > self.maximum:
            raise SettingError(f"{self.key}: Enter {self.maximum:,} or less.")
        return number

    def options(self) -> list[Option] | None:
        """The values this setting may name, with what people read (None: it names nothing)."""
        if not self.option_noun:
            return None
        try:
            return _OPTIONS[self.key]()
        except KeyError:
            raise RuntimeError(f"nothing provides the options of {self.key}") from None

    def check(self, value: Any) -> Any:
        """`value` typed, and every thing it names existing (see `options`); else SettingError."""
        typed = self.coerce(value)
        if not self.option_noun:
            return typed
        allowed = self.options()
        known = {option for option, _ in allowed}
        unknown = [item for item in (typed if self.type is list else [typed]) if item not in known]
        if unknown:
            names = ", ".join(f"“{item}”" for item in unknown)
            choices = ", ".join(str(label) if option == label else f"{option} ({label})" for option, label in allowed)
            raise SettingError(f"{self.key}: There is no {self.option_noun} {names}. Choose from: {choices}.")
        return typed

    def shown(self, value: Any) -> str:
        """How a value reads to people: on/off, a list with commas, an option's name, 'none' for empty."""
        if self.type is bool:
            return "on" if value else "off"
        if self.type is list:
            return ", ".join(value) if value else "none"
        labels = dict(self.choices) or dict(self.options() or ())
        if value in labels and labels[value] != value:
            return str(labels[value])
        return "none" if value in ("", None) else str(value)


_TEMPLATE_HELP = "Default label template for {} when printing without choosing one."
SPECS: dict[str, Spec] = {
    spec.key: spec
    for spec in (
        Spec("BARCODE_ENABLE", bool, True, "Enable barcode scanning (navbar icon, /scan and the API).",
             label="Barcode scanning"),
        Spec("BARCODE_WEBCAM_SUPPORT", bool, True, "Offer the live camera in the scan dialog (needs HTTPS or localhost).",
             label="Camera in the scan dialog"),
        Spec("BARCODE_INPUT_DELAY", int, 50, "Longest gap in ms between keys of one keyboard-wedge scan; slower typing is a person.",
             label="Scanner key gap (ms)", minimum=5, maximum=1000),
        Spec("BARCODE_SCANNER_LAYOUT", str, "us", "Keyboard layout the scanner types in. US rebuilds every character from the physical key, so scans work whatever layout this computer uses; Host trusts the characters as typed.",
             label="Scanner keyboard layout", choices=(("us", "US (rebuild from the keys)"), ("host", "Host (as typed)"))),
        Spec("BARCODE_GS_SUBSTITUTE", str, "", "Extra text your scanner sends in place of the GS separator (e.g. '~'); empty for none.",
             label="Stand-in for the GS separator", max_length=8),
        Spec("BARCODE_STORE_RESULTS", bool, True, "Keep a history of every scan.", label="Keep a scan history"),
        Spec("BARCODE_RESULTS_MAX_NUM", int, 100000, "Most lookup scans to keep in the history (rows of changes are kept by days).",
             label="Scan history: lookups kept", minimum=10, maximum=100_000_000),
        Spec("BARCODE_RESULTS_MAX_DAYS", int, 365, "Delete lookup scans older than this many days.",
             label="Scan history: days lookups are kept", minimum=1, maximum=36500),
        Spec("BARCODE_CHANGES_MAX_DAYS", int, 3650, "Delete history rows of changes (link, unlink, move, count, receive, undo) older than this many days; never before lookups.",
             label="Scan history: days changes are kept", minimum=1, maximum=36500),
        Spec("BARCODE_SCAN_RATE_LIMIT", int, 120, "Most lookup scans one user may make in a minute (scan dialog and API); more are refused until the minute has passed.",
             label="Scans per user a minute", minimum=1, maximum=1_000_000),
        Spec("BARCODE_PREFIX", str, "SS", "Prefix of the internal barcodes Shelfscan prints (1-4 of A-Z; changing it leaves printed labels unreadable).",
             label="Internal barcode prefix", pattern=r"[A-Z]{1,4}", pattern_text="Use 1 to 4 capital letters, A to Z."),
        Spec("BARCODE_SHOW_TEXT", bool, True, "Print the code as text under barcodes.", label="Code as text under barcodes"),
        Spec("BARCODE_PLUGINS_DISABLED", list, [], "Barcode plugins switched off (by name).",
             label="Plugins switched off", option_noun="barcode plugin"),
        Spec("BARCODE_PLUGIN_ORDER", list, [], "Order in which barcode plugins are asked (by name); plugins not listed follow in their built-in order.",
             label="Plugin order", option_noun="barcode plugin", ordered=True),
        *(Spec(f"LABEL_TEMPLATE_{object_type.upper()}", int, 0, _TEMPLATE_HELP.format(plural), label=f"Label for {plural}",
               group="Labels", minimum=0, option_noun=f"label template for {plural}")
          for object_type, plural in (("part", "parts"), ("stockitem", "stock items"),
                                      ("stocklocation", "locations"), ("supplierpart", "supplier parts"))),
        Spec("PRINT_ON_RECEIVE", bool, False, "Print a received package's new stock item label on the default printer: "
             "ticks “Print its label” on the receive form, and applies to the API unless it says print_label.",
             label="Print labels on receive", group="Labels"),
        Spec("SESSION_HOURS", int, 12, "How long a sign-in lasts, in hours from signing in, however busy the session.",
             label="Sign-in lasts (hours)", group="Accounts", minimum=1, maximum=168),
        Spec("SESSION_REMEMBER_DAYS", int, 30, "How long “Stay signed in” lasts, in days from signing in (signing out ends it at once).",
             label="“Stay signed in” lasts (days)", group="Accounts", minimum=1, maximum=90),
    )
}


def _spec(key: str) -> Spec:
    try:
        return SPECS[key]
    except KeyError:
        raise KeyError(f"unknown setting {key!r}") from None


def provide_options(*keys: str) -> Callable:
    """Decorator: the function lists the values the settings `keys` may name (see Spec.option_noun)."""

    def register(function: Callable[[], list[Option]]) -> Callable[[], list[Option]]:
        for key in keys:
            if not _spec(key).option_noun:
                raise ValueError(f"{key} names nothing; it takes no options")
            _OPTIONS[key] = function
        return function

    return register


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

    Raises SettingError (nothing stored) when a value does not fit its setting or names something
    that does not exist (a plugin, a label template).
    """
    from extensions import db
    from models import Setting

    typed = {key: _spec(key).check(value) for key, value in values.items()}
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
