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


def _row(key: str, spec: settings.Spec, submitted: dict[str, str] | None, errors: dict[str, str]) -> dict:
    """What the template needs to draw one setting."""
    value = settings.get(key)
    text = submitted[key] if submitted and key in submitted else _field_text(spec, value)
    # A list of plugins is a set of checkboxes; a number naming a template is a menu of them.
    options = None if spec.ordered else spec.options()
    return {
        "spec": spec, "key": key, "kind": spec.type.__name__, "type": TYPE_NAMES.get(spec.type, spec.type.__name__),
        "label": spec.label or key, "default": spec.shown(spec.default), "locked": settings.env_override(key) is not None,
        "value": value, "text": text, "options": options, "ticked": set(spec.coerce(text)) if spec.type is list else set(),
        "error": errors.get(key),
    }


def _rows(submitted: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> list[dict]:
    """One row per setting for the template, grouped by spec order."""
    return [_row(key, spec, submitted, errors or {}) for key, spec in settings.SPECS.items()]


def _submitted(form, key: str, spec: settings.Spec) -> str | None:
    """The text a setting's field sent; None when the form had no such field (the value stays)."""
    if spec.type is bool:
        return form.get(key, "off")  # an unchecked checkbox sends nothing, which means off
    if spec.type is list and key in form:
        return ", ".join(form.getlist(key))  # ticked boxes, after an empty marker; or a typed list
    return form.get(key)


def validate(form) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """Typed values, field errors and the submitted text for every unlocked setting in `form`."""
    values, errors, submitted = {}, {}, {}
    for key, spec in settings.SPECS.items():
        if settings.env_override(key) is not None:
            continue  # locked at deploy time: the form cannot change it
        raw = _submitted(form, key, spec)
        if raw is None:
            continue
        submitted[key] = raw
        try:
            values[key] = spec.check(raw)
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
