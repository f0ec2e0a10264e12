"""The runtime settings page: every declared setting, validated, applied without a restart."""
from __future__ import annotations

from typing import Any

from flask import flash, request, url_for

from blueprints.admin import bp
from blueprints.shared.rendering import redirect_to, render
from services import settings

TYPE_NAMES = {bool: "on/off", int: "whole number", str: "text", list: "list of names"}


def _field_text(spec: settings.Spec, value: Any) -> str:
    """How a value reads in its form field."""
    if spec.type is list:
        return ", ".join(value)
    return "" if value is None else str(value)


def _rows(submitted: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> list[dict]:
    """One row per setting for the template, grouped by spec order."""
    rows = []
    for key, spec in settings.SPECS.items():
        override = settings.env_override(key)
        value = settings.get(key)
        rows.append({
            "spec": spec, "key": key, "kind": spec.type.__name__, "type": TYPE_NAMES.get(spec.type, spec.type.__name__),
            "default": _field_text(spec, spec.default), "locked": override is not None,
            "value": value, "text": submitted.get(key, _field_text(spec, value)) if submitted else _field_text(spec, value),
            "error": (errors or {}).get(key),
        })
    return rows


def validate(form) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """Typed values, field errors and the submitted text for every unlocked setting in `form`."""
    values, errors, submitted = {}, {}, {}
    for key, spec in settings.SPECS.items():
        if settings.env_override(key) is not None:
            continue  # locked at deploy time: the form cannot change it
        # An unchecked checkbox sends nothing, which means off.
        raw = form.get(key, "off" if spec.type is bool else None)
        if raw is None:
            continue
        submitted[key] = raw
        try:
            values[key] = spec.coerce(raw)
        except settings.SettingError as exc:
            errors[key] = str(exc).split(": ", 1)[-1]
    return values, errors, submitted


@bp.route("/settings", methods=["GET", "POST"], endpoint="settings")
def settings_edit():
    """Show every setting; POST validates them all and stores them in one transaction."""
    if request.method == "POST":
        values, errors, submitted = validate(request.form)
        if errors:
            return render("admin/settings.html", block="settings_form", rows=_rows(submitted, errors),
                          status=422, error_count=len(errors))
        settings.save(values)
        flash("Settings saved; they apply from the next request.")
        return redirect_to(url_for("admin.settings"))
    return render("admin/settings.html", block="settings_form", rows=_rows(), error_count=0)

