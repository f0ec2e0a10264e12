"""What an InvenTree client reads about the server after signing in: plugins, status codes, settings."""
from __future__ import annotations

from flask import jsonify

from blueprints.api import bp
from blueprints.api.payload import ApiError, list_query, paginated
from blueprints.api.users import SERVER_VERSION
from services.api_objects import codes, server

# Status classes clients load on connecting; orders do not exist here, so theirs have no values.
STATUS_CLASSES = {"stock": ("StockStatus", codes.status_values), "stock/track": ("StockHistoryCode", codes.history_values),
                  "order/po": ("PurchaseOrderStatus", dict), "order/so": ("SalesOrderStatus", dict),
                  "order/ro": ("ReturnOrderStatus", dict), "build": ("BuildStatus", dict)}


def _plugin(plugin: server.Plugin, pk: int) -> dict:
    meta = {"slug": plugin.key, "human_name": plugin.name, "description": plugin.description,
            "author": "Shelfscan" if plugin.builtin else "", "version": SERVER_VERSION if plugin.builtin else "",
            "website": "", "license": "", "pub_date": None, "package_path": "", "settings_url": None}
    return {"pk": pk, "key": plugin.key, "name": plugin.name, "active": plugin.active, "is_builtin": plugin.builtin,
            "is_sample": False, "is_installed": True, "is_package": False, "package_name": None, "meta": meta,
            "mixins": {mixin: {"key": mixin, "human_name": mixin.capitalize()} for mixin in plugin.mixins}}


@bp.get("/plugins/")
def plugin_list():
    """The barcode plugins and the label printer (the app looks for 'locate' and 'labels' mixins)."""
    query, _ = list_query(server.PLUGIN_FILTERS)
    page = server.plugin_page(query)
    return jsonify(paginated(page.count, [_plugin(p, pk) for pk, p in page.rows], query.limit, query.offset))


@bp.get("/plugins/<string:key>/")
def plugin_detail(key: str):
    """One plugin by its key."""
    found = server.plugin(key)
    if found is None:
        raise ApiError(404, {"detail": "No matching object found."})
    return jsonify(_plugin(found[1], found[0]))


def _status_view(prefix: str):
    name, values = STATUS_CLASSES[prefix]

    def view():
        return jsonify({"class": name, "values": values()})

    view.__name__ = view.__qualname__ = f"status_{prefix.replace('/', '_')}"
    view.__doc__ = f"InvenTree's {name} codes."
    return view


for _prefix in STATUS_CLASSES:
    bp.add_url_rule(f"/{_prefix}/status/", view_func=_status_view(_prefix), methods=["GET"])


def _setting(setting: server.InvenTreeSetting, pk: int, kind: str) -> dict:
    return {"pk": pk, "key": setting.key, "value": server.setting_value(setting), "name": setting.name,
            "description": "", "type": setting.type, "units": "", "choices": [], "model_name": None,
            "api_url": None, "typ": kind, "read_only": True}


@bp.get("/settings/global/")
def global_settings():
    """The InvenTree settings Shelfscan answers (a list, as InvenTree's)."""
    return jsonify([_setting(s, pk, "global") for pk, s in enumerate(server.GLOBAL_SETTINGS.values(), start=1)])


@bp.get("/settings/global/<string:key>/")
def global_setting(key: str):
    """One InvenTree setting by key; 404 for keys that mean nothing here, as InvenTree answers."""
    for pk, setting in enumerate(server.GLOBAL_SETTINGS.values(), start=1):
        if setting.key == key:
            return jsonify(_setting(setting, pk, "global"))
    raise ApiError(404, {"detail": f"Setting {key[:64]!r} not found."})


@bp.get("/settings/user/")
def user_settings():
    """Per-user settings: Shelfscan keeps none (the app's own preferences live on the phone)."""
    return jsonify([])
