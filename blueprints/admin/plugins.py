"""The barcode plugins page: their order, on/off, up/down. Stored as two runtime settings."""
from __future__ import annotations

from flask import abort, flash, request, url_for

from blueprints.admin import bp, plugin_registry
from blueprints.shared.rendering import redirect_to, render
from services import settings
from services.barcode_engine import plugin_infos


def moved(names: list[str], name: str, direction: str) -> list[str]:
    """`names` with `name` moved one place up or down (unchanged at either end)."""
    order = list(names)
    i = order.index(name)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return order


def _plugins() -> list:
    return sorted(plugin_infos(plugin_registry()), key=lambda p: p.position)


def _plugin_or_404(name: str):
    plugins = _plugins()
    if name not in [p.name for p in plugins]:
        abort(404, description=f"There is no barcode plugin named {name[:64]!r}.")
    return plugins


def _refuse_if_locked(key: str) -> None:
    if settings.env_override(key) is not None:
        abort(409, description=f"{key} is set by SHELFSCAN_{key} at deploy time; change it there.")


@bp.route("/plugins")
def plugins():
    """The plugins in the order they are asked, with switches and up/down buttons."""
    return render("admin/plugins.html", block="plugin_list", plugins=_plugins(),
                  locked={k: settings.env_override(k) is not None for k in ("BARCODE_PLUGINS_DISABLED", "BARCODE_PLUGIN_ORDER")})


@bp.route("/plugins/<name>/toggle", methods=["POST"])
def plugin_toggle(name: str):
    """Switch a plugin on or off."""
    plugins = _plugin_or_404(name)
    _refuse_if_locked("BARCODE_PLUGINS_DISABLED")
    # Names of plugins no longer installed are dropped: the setting only takes installed ones.
    installed = {p.name for p in plugins}
    disabled = [n for n in settings.get("BARCODE_PLUGINS_DISABLED") if n in installed]
    if name in disabled:
        disabled.remove(name)
        flash(f"Plugin {name} is on.")
    else:
        disabled.append(name)
        flash(f"Plugin {name} is off.")
    settings.set_value("BARCODE_PLUGINS_DISABLED", disabled)
    return redirect_to(url_for("admin.plugins"))


@bp.route("/plugins/<name>/move", methods=["POST"])
def plugin_move(name: str):
    """Move a plugin one place up or down in the order."""
    plugins = _plugin_or_404(name)
    _refuse_if_locked("BARCODE_PLUGIN_ORDER")
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400, description="Say which way to move the plugin: up or down.")
    settings.set_value("BARCODE_PLUGIN_ORDER", moved([p.name for p in plugins], name, direction))
    return redirect_to(url_for("admin.plugins"))
