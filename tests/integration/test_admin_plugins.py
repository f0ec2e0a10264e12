"""The plugins page against the registry contract: order, on/off, up/down, stored as settings."""
from __future__ import annotations

from dataclasses import dataclass

from services import settings
from blueprints.admin.plugins import moved
from services.barcode_engine import plugin_infos, scan_options


@dataclass
class FakePlugin:
    """What registry.all(disabled, order) yields for each plugin."""

    name: str
    description: str
    enabled: bool
    position: int


class FakeRegistry:
    """A stand-in honouring the engine's contract: all(disabled, order) in order."""

    def __init__(self, names):
        self.names = list(names)

    def all(self, disabled, order):
        """Every plugin, ordered by `order`, switched off by `disabled` (the page passes the settings)."""
        ranked = [n for n in order if n in self.names]
        ranked += [n for n in self.names if n not in ranked]
        return [FakePlugin(n, f"The {n} plugin <b>", n not in disabled, i) for i, n in enumerate(ranked)]


def _install(app):
    app.extensions["barcode_registry"] = FakeRegistry(["internal", "inventree", "gs1", "ecia"])


def _names_on_page(html: str) -> list[str]:
    import re

    return re.findall(r"<td><code>([a-z0-9]+)</code></td>", html)


def test_moved_swaps_with_the_neighbour_and_stops_at_the_ends():
    names = ["a", "b", "c"]
    assert moved(names, "b", "up") == ["b", "a", "c"]
    assert moved(names, "b", "down") == ["a", "c", "b"]
    assert moved(names, "a", "up") == names and moved(names, "c", "down") == names


def test_plugins_are_listed_in_order_with_their_state(app, admin_client):
    _install(app)
    html = admin_client.get("/admin/plugins").get_data(as_text=True)
    assert _names_on_page(html) == ["internal", "inventree", "gs1", "ecia"]
    assert "The gs1 plugin &lt;b&gt;" in html


def test_switch_a_plugin_off_and_on(app, admin_client):
    _install(app)
    response = admin_client.post("/admin/plugins/gs1/toggle")
    assert response.status_code == 303
    assert settings.get("BARCODE_PLUGINS_DISABLED") == ["gs1"]
    assert [p.enabled for p in plugin_infos(app.extensions["barcode_registry"])] == [True, True, False, True]
    assert "Switch on gs1" in admin_client.get("/admin/plugins").get_data(as_text=True)
    admin_client.post("/admin/plugins/gs1/toggle")
    assert settings.get("BARCODE_PLUGINS_DISABLED") == []


def test_reorder_with_up_and_down(app, admin_client):
    _install(app)
    admin_client.post("/admin/plugins/gs1/move", data={"direction": "up"})
    admin_client.post("/admin/plugins/internal/move", data={"direction": "down"})
    html = admin_client.get("/admin/plugins").get_data(as_text=True)
    assert _names_on_page(html) == ["gs1", "internal", "inventree", "ecia"]
    assert settings.get("BARCODE_PLUGIN_ORDER") == ["gs1", "internal", "inventree", "ecia"]


def test_htmx_gets_a_redirect_header(app, client_for):
    _install(app)
    response = client_for("admin", htmx=True).post("/admin/plugins/ecia/move", data={"direction": "up"})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/admin/plugins"


def test_unknown_plugin_or_direction_is_refused(app, admin_client):
    _install(app)
    assert admin_client.post("/admin/plugins/nope/toggle").status_code == 404
    assert admin_client.post("/admin/plugins/gs1/move", data={"direction": "sideways"}).status_code == 400
    assert settings.get("BARCODE_PLUGIN_ORDER") == []


def test_env_locked_order_is_refused(app, admin_client, monkeypatch):
    _install(app)
    monkeypatch.setenv("SHELFSCAN_BARCODE_PLUGIN_ORDER", "gs1,internal")
    response = admin_client.post("/admin/plugins/ecia/move", data={"direction": "up"})
    assert response.status_code == 409 and "SHELFSCAN_BARCODE_PLUGIN_ORDER" in response.get_data(as_text=True)


def test_the_engines_own_registry_follows_the_page(app, admin_client):
    registry = app.extensions["barcode_registry"]
    names = [p.name for p in plugin_infos(registry)]
    assert len(names) >= 2
    html = admin_client.get("/admin/plugins").get_data(as_text=True)
    assert _names_on_page(html) == names
    admin_client.post(f"/admin/plugins/{names[1]}/move", data={"direction": "up"})
    admin_client.post(f"/admin/plugins/{names[0]}/toggle")
    with app.test_request_context():
        options = scan_options()
        assert [p.name for p in plugin_infos(registry)][:2] == [names[1], names[0]]
        assert names[0] not in [p.name for p in registry.active(options.plugins_disabled, options.plugin_order)]


class Naming:
    """A plugin that names one object for every scan (final when told so)."""

    description = "names one object"

    def __init__(self, name, object_id, final=False):
        self.name, self.object_id, self.final = name, object_id, final

    def scan(self, scan):
        from barcodes.result import Match, PluginResult

        return PluginResult(matches=[Match("part", self.object_id, f"Part {self.object_id}", f"/parts/{self.object_id}")],
                            final=self.final)


def test_the_page_says_what_the_resolver_does(app, admin_client):
    """Every plugin is asked and the matches are merged in plugin order, unless one claims the scan."""
    from barcodes.options import ScanOptions
    from barcodes.registry import Registry
    from barcodes.resolver import resolve

    merged = resolve("ANY-CODE", registry=Registry([Naming("a", 1), Naming("b", 2), Naming("c", 1)]),
                     options=ScanOptions())
    assert [m.object_id for m in merged.matches] == [1, 2]
    claimed = resolve("ANY-CODE", registry=Registry([Naming("a", 1, final=True), Naming("b", 2)]), options=ScanOptions())
    assert [m.object_id for m in claimed.matches] == [1]

    text = " ".join(admin_client.get("/admin/plugins").get_data(as_text=True).split())
    assert "the first that recognises it answers" not in text
    assert "every plugin is asked" in text and "The matches are kept in this order" in text
    assert "the person chooses from the list" in text and "the plugins below it are not asked" in text
