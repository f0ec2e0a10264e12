"""The settings page: every setting shown with type, default and help; validated; applied at once."""
from __future__ import annotations

import re
from types import SimpleNamespace

from services import settings
from extensions import db


def current_form() -> dict[str, str]:
    """The form as the page would post it unchanged (unchecked boxes send nothing)."""
    data = {}
    for key, spec in settings.SPECS.items():
        value = settings.get(key)
        if spec.type is bool:
            if value:
                data[key] = "on"
        elif spec.type is list:
            data[key] = ", ".join(value)
        else:
            data[key] = str(value)
    return data


def test_every_setting_is_listed_with_type_default_and_help(admin_client):
    html = admin_client.get("/admin/settings").get_data(as_text=True)
    for key, spec in settings.SPECS.items():
        assert f'name="{key}"' in html, key
        assert spec.help.replace("'", "&#39;") in html, key
    assert "Default: 100000." in html
    assert "Default: on." in html and "True" not in html


def test_saved_settings_apply_on_the_next_request(admin_client):
    form = current_form()
    form.pop("BARCODE_STORE_RESULTS")  # unchecked: off
    form.update(BARCODE_RESULTS_MAX_NUM="5000", BARCODE_PREFIX="ABC", BARCODE_SCANNER_LAYOUT="host",
                BARCODE_PLUGINS_DISABLED="supplier, gs1")
    response = admin_client.post("/admin/settings", data=form)
    assert response.status_code == 303
    assert settings.get("BARCODE_RESULTS_MAX_NUM") == 5000
    assert settings.get("BARCODE_PREFIX") == "ABC"
    assert settings.get("BARCODE_STORE_RESULTS") is False
    assert settings.get("BARCODE_PLUGINS_DISABLED") == ["supplier", "gs1"]
    # No restart: the very next page already knows logging is off.
    assert "Scan logging is off" in admin_client.get("/admin/scans").get_data(as_text=True)


def test_invalid_values_get_field_messages_and_nothing_is_saved(admin_client):
    form = current_form()
    form.update(BARCODE_RESULTS_MAX_NUM="lots", BARCODE_PREFIX="ss1", BARCODE_INPUT_DELAY="1",
                BARCODE_RESULTS_MAX_DAYS="30")
    response = admin_client.post("/admin/settings", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a whole number" in html and "Use 1 to 4 capital letters, A to Z." in html and "Enter 5 or more." in html
    assert 'value="lots"' in html  # what was typed stays in the field
    assert settings.get("BARCODE_RESULTS_MAX_DAYS") == 365  # the valid field was not half-saved


def test_htmx_gets_the_form_back_with_422(client_for):
    response = client_for("admin", htmx=True).post("/admin/settings", data={"BARCODE_SCANNER_LAYOUT": "dvorak"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in html and "Choose one of: us, host." in html


def test_env_overrides_are_shown_locked_and_not_changed(admin_client, monkeypatch):
    monkeypatch.setenv("SHELFSCAN_BARCODE_PREFIX", "ENV")
    html = admin_client.get("/admin/settings").get_data(as_text=True)
    assert "Locked: set by SHELFSCAN_BARCODE_PREFIX." in html
    assert re.search(r'<input type="text" id="f-BARCODE_PREFIX" name="BARCODE_PREFIX" value="ENV"[^>]* disabled', html)
    form = current_form()
    form["BARCODE_PREFIX"] = "XY"
    assert admin_client.post("/admin/settings", data=form).status_code == 303
    monkeypatch.delenv("SHELFSCAN_BARCODE_PREFIX")
    db.session.expire_all()
    assert settings.get("BARCODE_PREFIX") == "SS"


def _store_elsewhere(key: str, value) -> None:
    """Store a setting the way another worker (another process) would: its own connection."""
    import json

    from sqlalchemy import create_engine, text

    engine = create_engine(db.engine.url)
    with engine.begin() as conn:
        changed = conn.execute(text("UPDATE setting SET value = :v WHERE key = :k"),
                               {"v": json.dumps(value), "k": key}).rowcount
        if not changed:
            conn.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": key, "v": json.dumps(value)})
    engine.dispose()


def test_a_change_made_by_another_worker_reaches_this_one_within_the_cache_time(app, operator_client, monkeypatch):
    # The worker's clock is driven by hand: on a slow machine the real seconds between two requests
    # can exceed any short cache time and make the first half of this test race.
    clock = [1000.0]
    monkeypatch.setattr(settings, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    app.config["SETTINGS_CACHE_SECONDS"] = 5
    settings.forget_cached()  # signing in read the settings already, by the real clock
    assert operator_client.post("/scan", data={"barcode": "NO-SUCH-CODE-1"}).status_code == 200
    _store_elsewhere("BARCODE_ENABLE", False)
    clock[0] += 4.9
    # Within the cache time this worker still scans (it has not looked at the database)...
    assert operator_client.post("/scan", data={"barcode": "NO-SUCH-CODE-2"}).status_code == 200
    clock[0] += 0.2
    # ...after it, scanning is off here too, without a restart.
    assert operator_client.post("/scan", data={"barcode": "NO-SUCH-CODE-3"}).status_code == 404


def test_admin_pages_show_what_another_worker_just_stored(admin_client):
    admin_client.get("/admin/settings")  # this worker has the values cached now
    _store_elsewhere("BARCODE_PREFIX", "XYZ")
    html = admin_client.get("/admin/settings").get_data(as_text=True)
    assert 'name="BARCODE_PREFIX"' in html and 'value="XYZ"' in html


def test_settings_that_name_missing_things_are_refused_and_nothing_is_saved(admin_client):
    form = current_form()
    form.update(LABEL_TEMPLATE_PART="999", BARCODE_PLUGINS_DISABLED="nosuchplugin", BARCODE_RESULTS_MAX_DAYS="30")
    response = admin_client.post("/admin/settings", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is no label template for parts “999”." in html
    assert "There is no barcode plugin “nosuchplugin”." in html and "Choose from: internal, linked" in html
    assert "Settings saved" not in html
    assert settings.get("LABEL_TEMPLATE_PART") == 0 and settings.get("BARCODE_PLUGINS_DISABLED") == []
    assert settings.get("BARCODE_RESULTS_MAX_DAYS") == 365


def test_a_template_that_does_not_fit_the_type_is_refused_and_one_that_does_is_kept(app, admin_client):
    from models import LabelTemplate
    from services.labels.printing import templates_for

    builtin = templates_for("part")[0]
    locations_only = LabelTemplate(name="Shelf edge", object_types="stocklocation", width_mm=50, height_mm=10,
                                   body=builtin.body)
    db.session.add(locations_only)
    db.session.commit()
    refused = admin_client.post("/admin/settings", data={**current_form(), "LABEL_TEMPLATE_PART": str(locations_only.id)})
    assert refused.status_code == 422
    saved = admin_client.post("/admin/settings", data={**current_form(), "LABEL_TEMPLATE_STOCKLOCATION": str(locations_only.id),
                                                        "LABEL_TEMPLATE_PART": str(builtin.id)})
    assert saved.status_code == 303
    assert settings.get("LABEL_TEMPLATE_STOCKLOCATION") == locations_only.id


def test_the_service_refuses_missing_plugins_too(app):
    import pytest

    with pytest.raises(settings.SettingError, match="no barcode plugin “gone”"):
        settings.save({"BARCODE_PLUGIN_ORDER": ["internal", "gone"]})
    assert settings.set_value("BARCODE_PLUGIN_ORDER", ["supplier", "internal"]) == ["supplier", "internal"]


def test_plugins_and_templates_are_picked_from_what_exists(admin_client):
    html = admin_client.get("/admin/settings").get_data(as_text=True)
    for name in ("internal", "linked", "supplier", "gs1"):
        assert f'name="BARCODE_PLUGINS_DISABLED" value="{name}"' in html
    assert re.search(r'<select id="f-LABEL_TEMPLATE_PART" name="LABEL_TEMPLATE_PART"[^>]*>\s*<option value="0" selected>', html)
    # No boxes ticked switches every plugin on: the form says the field was there.
    settings.set_value("BARCODE_PLUGINS_DISABLED", ["gs1"])
    form = {k: v for k, v in current_form().items() if k != "BARCODE_PLUGINS_DISABLED"}
    assert admin_client.post("/admin/settings", data={**form, "BARCODE_PLUGINS_DISABLED": ""}).status_code == 303
    assert settings.get("BARCODE_PLUGINS_DISABLED") == []


def test_a_plugin_that_was_uninstalled_does_not_block_switching_others(app, admin_client):
    from models import Setting
    import json

    db.session.add(Setting(key="BARCODE_PLUGINS_DISABLED", value=json.dumps(["uninstalled"])))
    db.session.commit()
    settings.forget_cached()
    assert settings.get("BARCODE_PLUGINS_DISABLED") == ["uninstalled"]  # still read back as stored
    assert admin_client.post("/admin/plugins/gs1/toggle").status_code == 303
    assert settings.get("BARCODE_PLUGINS_DISABLED") == ["gs1"]
