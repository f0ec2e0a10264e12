"""The engine on its own: a catalog in memory, the options passed in, no app and no database."""
from __future__ import annotations

from contextlib import contextmanager

from barcodes.internal import internal_code
from barcodes.links import barcode_hash
from barcodes.normalize import normalize
from barcodes.objects import make_match
from barcodes.options import ScanOptions
from barcodes.registry import Registry, build_registry
from barcodes.resolver import resolve
from barcodes.result import Match, PluginResult

DIGIKEY = "[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dQ10\x1e\x04"


class MemoryCatalog:
    """The Catalog from dicts; records what it isolated and how that ended."""

    def __init__(self, titles=None, links=None, gtins=None, supplier_rows=None):
        self.titles = titles or {}  # (type, id) -> title
        self.links = links or {}  # data hash -> (type, id)
        self.gtins = gtins or {}  # GTIN as stored -> part id
        self.supplier_rows = supplier_rows or {}  # (field, value) -> [(supplier part id, supplier name)]
        self.isolations: list[str] = []

    def find_match(self, object_type, object_id):
        title = self.titles.get((object_type, object_id))
        return None if title is None else make_match(object_type, object_id, title)

    def linked_target(self, data_hash):
        return self.links.get(data_hash)

    def was_deleted(self, object_type, object_id):
        return any(kind == object_type and pk > object_id for kind, pk in self.titles)

    def parts_by_gtin(self, forms):
        return [self.find_match("part", self.gtins[form]) for form in forms if form in self.gtins]

    def supplier_parts(self, field, value, supplier_names=()):
        return [self.find_match("supplierpart", pk) for pk, supplier in self.supplier_rows.get((field, value), [])
                if not supplier_names or supplier.lower() in supplier_names]

    @contextmanager
    def isolated(self):
        try:
            yield
        except Exception:
            self.isolations.append("undone")
            raise
        self.isolations.append("kept")


CATALOG = MemoryCatalog(
    titles={("part", 12): "LM358", ("supplierpart", 3): "Digi-Key 296-LM358BIDDFRCT-ND", ("stockitem", 7): "LM358 x 5"},
    links={barcode_hash(normalize("EXT-7")): ("stockitem", 7)},
    gtins={"5901234123457": 12},
    supplier_rows={("sku", "296-LM358BIDDFRCT-ND"): [(3, "Digi-Key")]},
)


def test_each_builtin_plugin_finds_its_object_in_the_catalog():
    registry = build_registry(CATALOG)
    for text, plugin, target in ((internal_code("part", 12), "internal", ("part", 12)),
                                 ("EXT-7", "linked", ("stockitem", 7)),
                                 (DIGIKEY, "supplier", ("supplierpart", 3)),
                                 ("5901234123457", "gs1", ("part", 12))):
        result = resolve(text, registry=registry, options=ScanOptions())
        assert (result.plugin, (result.match.object_type, result.match.object_id)) == (plugin, target), text


def test_the_prefix_comes_from_the_options():
    registry = build_registry(CATALOG)
    code = internal_code("part", 12, "AB")
    assert resolve(code, registry=registry, options=ScanOptions(prefix="AB")).match.title == "LM358"
    assert resolve(code, registry=registry, options=ScanOptions()).status == "no_match"


def test_an_internal_code_of_a_missing_object_is_a_recognised_no_match():
    result = resolve(internal_code("part", 99), registry=build_registry(CATALOG), options=ScanOptions())
    assert result.status == "no_match" and result.format == "internal"


def test_the_gs_substitute_comes_from_the_options():
    registry = build_registry(CATALOG)
    typed = DIGIKEY.replace("\x1d", "~")
    result = resolve(typed, registry=registry, options=ScanOptions(gs_substitute="~"))
    assert result.match.object_id == 3 and result.scan.text == normalize(DIGIKEY).text
    assert resolve(typed, registry=registry, options=ScanOptions()).scan.text == typed.rstrip("\x04")


class Fixed:
    """A third-party plugin that matches everything, and remembers the options it was given."""

    description = "matches everything"

    def __init__(self, name, object_id):
        self.name, self.match = name, Match("part", object_id, name, f"/parts/{object_id}")

    def scan(self, scan):
        return PluginResult(matches=[self.match], format="fake")


class WantsOptions(Fixed):
    def scan(self, scan, options):
        self.seen = options
        return super().scan(scan)


class Raises(Fixed):
    def scan(self, scan):
        raise RuntimeError("boom")


def test_switches_and_order_come_from_the_options():
    registry = Registry([Fixed("a", 1), Fixed("b", 2), Fixed("c", 3)])

    def ask(**given):
        return [m.object_id for m in resolve("X", registry=registry, options=ScanOptions(**given)).matches]

    assert ask() == [1, 2, 3]
    assert ask(plugin_order=("c", "gone", "a")) == [3, 1, 2]
    assert ask(plugins_disabled=("b",), plugin_order=("c",)) == [3, 1]
    assert [(p.name, p.enabled, p.position) for p in registry.all(("b",), ("c",))] == [
        ("c", True, 1), ("a", True, 2), ("b", False, 3)]


def test_a_plugin_that_takes_options_gets_this_scans_options():
    plugin = WantsOptions("w", 1)
    options = ScanOptions(prefix="QQ")
    assert resolve("X", registry=Registry([plugin]), options=options).plugin == "w"
    assert plugin.seen is options


def test_only_third_party_plugins_are_isolated_and_a_failure_is_undone():
    catalog = MemoryCatalog(titles=CATALOG.titles)
    registry = build_registry(catalog, extra_plugins=[Raises("bad", 1), Fixed("good", 2)])
    result = resolve("no builtin knows this", registry=registry, options=ScanOptions())
    assert [m.object_id for m in result.matches] == [2]
    assert catalog.isolations == ["undone", "kept"]  # the four built-ins ran without
