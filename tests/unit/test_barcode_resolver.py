"""The resolver end to end on a real migrated database (the app's SQL catalog and settings): every
plugin path, ordering, failures. The engine alone, with a catalog in memory: test_barcode_engine.py."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings as settings_h, strategies as st

from barcodes.internal import internal_code
from barcodes.options import ScanOptions
from barcodes.registry import Registry, build_registry
from barcodes.resolver import resolve as engine_resolve
from barcodes.result import Match, PluginResult
from extensions import db
from models import Company, Part, StockItem, StockLocation, SupplierPart
from services import barcode_linking, settings
from services.barcode_catalog import SqlCatalog
from services.barcode_engine import plugin_infos, resolve_scan

DIGIKEY = ("[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dK\x1d1K72991337\x1d10K85781337"
           "\x1d11K1\x1d4LPH\x1dQ10\x1d11ZPICK\x1e\x04")
MOUSER = "[)>\x1e06\x1dKP0-1337\x1d14K011\x1d1PMC34063ADR\x1dQ3\x1d11K073121337\x1d4LMX\x1d1VTI\x1e\x04"
LCSC = "{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,mc:,cc:1,pdi:34421807}"
TME = ("QTY:1 PN:WBP-302 PO:19361337/1 CPO:PO-2023-06-08-001337 MFR:WISHERENTERPRISE MPN:WBP-302 RoHS "
       "https://www.tme.eu/details/WBP-302")


def resolve(raw):
    """Resolve as the app does: its registry and catalog, the settings read for this scan."""
    return resolve_scan(raw, source="dialog")


def link(raw: str, object_type: str, object_id: int) -> None:
    """Link a barcode (the service commits)."""
    assert barcode_linking.link(raw, object_type, object_id, user_id=None, source="dialog").error == ""


@pytest.fixture
def stock(app):
    """A small inventory: parts, a location, a stock item, supplier parts at four suppliers."""
    shelf = StockLocation(name="Shelf 1")
    opamp = Part(name="LM358 op-amp", ipn="IC-358", gtin="5901234123457")
    regulator = Part(name="MC34063 regulator")
    header = Part(name="Pin header")
    connector = Part(name="WBP-302 connector")
    db.session.add_all([shelf, opamp, regulator, header, connector])
    db.session.flush()
    companies = {name: Company(name=name) for name in ("Digi-Key", "Mouser Electronics", "LCSC", "TME")}
    db.session.add_all(companies.values())
    db.session.flush()
    digikey = SupplierPart(part=opamp, supplier=companies["Digi-Key"], sku="296-LM358BIDDFRCT-ND", mpn="LM358BIDDFR")
    mouser = SupplierPart(part=regulator, supplier=companies["Mouser Electronics"], sku="595-MC34063ADR", mpn="MC34063ADR")
    lcsc = SupplierPart(part=header, supplier=companies["LCSC"], sku="C312270", mpn="ST-1-102-A01-T000-RS")
    tme = SupplierPart(part=connector, supplier=companies["TME"], sku="WBP-302", mpn="WBP-302")
    item = StockItem(part=opamp, location=shelf, quantity=Decimal(5))
    db.session.add_all([digikey, mouser, lcsc, tme, item])
    db.session.commit()
    return {"shelf": shelf, "opamp": opamp, "item": item, "digikey": digikey, "mouser": mouser,
            "lcsc": lcsc, "tme": tme}


def test_internal_code_resolves_to_its_object_in_any_letter_case(stock):
    code = internal_code("stocklocation", stock["shelf"].id)
    for text in (code, code.lower(), f"]Q1{code}\r\n"):
        result = resolve(text)
        assert result.status == "match", text
        assert result.match == Match("stocklocation", stock["shelf"].id, "Shelf 1", f"/locations/{stock['shelf'].id}",
                                     f"/api/stock/location/{stock['shelf'].id}/")
        assert result.plugin == "internal" and result.format == "internal"


@pytest.mark.parametrize("text", ['{"stockitem": %d}', "INV-SI%d", "inv-si%d"])
def test_inventree_labels_resolve_to_the_same_ids(stock, text):
    result = resolve(text % stock["item"].id)
    assert result.status == "match"
    assert (result.match.object_type, result.match.object_id) == ("stockitem", stock["item"].id)
    assert result.match.url == f"/stock-items/{stock['item'].id}"
    assert result.format == "inventree"


@pytest.mark.parametrize("code, key", [(DIGIKEY, "digikey"), (MOUSER, "mouser"), (LCSC, "lcsc"), (TME, "tme")])
def test_supplier_labels_resolve_to_the_supplier_part(stock, code, key):
    result = resolve(code)
    assert result.status == "match", result.message
    assert result.match.object_type == "supplierpart"
    assert result.match.object_id == stock[key].id
    assert result.plugin == "supplier"
    assert result.fields["quantity"] in (10, 3, 2, 1)


def test_a_wedge_scan_without_separators_still_finds_the_digikey_part(stock):
    wedge = DIGIKEY.replace("\x1d", "").replace("\x1e", "").replace("\x04", "")
    result = resolve(wedge)
    assert result.match.object_id == stock["digikey"].id
    assert result.fields["sku"] == "296-LM358BIDDFRCT-ND"


def test_gs1_gtin_resolves_to_the_part(stock):
    for text in ("5901234123457", "]C1" + "0105901234123457" + "10LOT7", "https://id.gs1.org/01/05901234123457"):
        result = resolve(text)
        assert result.status == "match", text
        assert result.match.object_id == stock["opamp"].id
        assert result.plugin == "gs1"


def test_linked_barcode_and_supplier_part_both_match_in_plugin_order(stock):
    link(DIGIKEY, "stockitem", stock["item"].id)
    result = resolve(DIGIKEY)
    assert [m.object_type for m in result.matches] == ["stockitem", "supplierpart"]
    assert result.plugin == "linked"


def test_no_match_keeps_the_parsed_fields(stock):
    result = resolve("[)>\x1e06\x1dPUNKNOWN-ND\x1d1PNOPE\x1dQ4\x1e\x04")
    assert result.status == "no_match"
    assert result.message == "No supplier part with this SKU or MPN."  # the plugin that read it says why
    assert result.fields["sku"] == "UNKNOWN-ND" and result.format == "ecia"
    assert len(result.barcode_hash) == 64


def test_disabled_and_reordered_plugins_apply_without_restart(app, stock):
    link(DIGIKEY, "stockitem", stock["item"].id)
    settings.set_value("BARCODE_PLUGIN_ORDER", ["supplier"])
    db.session.commit()
    assert [m.object_type for m in resolve(DIGIKEY).matches] == ["supplierpart", "stockitem"]
    settings.set_value("BARCODE_PLUGINS_DISABLED", ["supplier"])
    db.session.commit()
    assert [m.object_type for m in resolve(DIGIKEY).matches] == ["stockitem"]
    info = {p.name: p for p in plugin_infos(app.extensions["barcode_registry"])}
    assert info["supplier"].enabled is False and info["supplier"].position == 1


class Exploding:
    name = "exploding"
    description = "raises"

    def scan(self, scan):
        raise RuntimeError("boom")


class Fixed:
    description = "matches everything"

    def __init__(self, name, match):
        self.name, self.match = name, match

    def scan(self, scan):
        return PluginResult(matches=[self.match], format="fake", fields={"text": scan.text})


def test_a_plugin_that_raises_is_logged_and_skipped(app, caplog):
    match = Match("part", 1, "Fake", "/parts/1")
    registry = Registry([Exploding(), Fixed("fixed", match), Fixed("again", match)])
    result = engine_resolve("anything", registry=registry, options=ScanOptions())
    assert result.status == "match" and result.matches == [match] and result.plugin == "fixed"
    assert "exploding" in caplog.text


class BadQuery:
    """A third-party plugin whose query fails (on PostgreSQL that aborts the transaction)."""

    name = "bad_query"
    description = "runs a broken query"

    def scan(self, scan):
        db.session.execute(db.text("SELECT no_such_column FROM part"))


def test_a_failing_plugin_query_is_undone_alone_and_later_plugins_still_read(stock):
    registry = build_registry(SqlCatalog(), extra_plugins=[BadQuery()])
    code = internal_code("part", stock["opamp"].id)
    result = engine_resolve(code, registry=registry, options=ScanOptions(plugin_order=("bad_query",)))
    assert result.status == "match" and result.plugin == "internal"
    db.session.commit()  # the caller's transaction is still usable


def test_entry_point_and_extra_plugins_join_the_registry(app):
    registry = build_registry(SqlCatalog(), extra_plugins=[Fixed("fake", Match("part", 2, "Two", "/parts/2"))])
    assert registry.names()[-1] == "fake"
    assert [p.builtin for p in registry.all((), ())] == [True, True, True, True, False]


@pytest.mark.parametrize("text", ["", "   ", "\r\n", "x" * 4097])
def test_bad_input_is_an_error_result_not_an_exception(app, text):
    result = resolve(text)
    assert result.status == "error" and result.message


@pytest.mark.parametrize("text", ['{"part": 1e999}', '{"part": -1}', '{"part": "1 OR 1=1"}', "[" * 5000,
                                  "'; DROP TABLE part; --", "\u202eSSP1\u202c", "\U0001F600", b"\xff\xfe\x00"])
def test_hostile_input_is_a_clean_no_match(app, text):
    result = resolve(text)
    assert result.status in ("no_match", "error")
    assert not result.matches


@settings_h(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300),
                 st.sampled_from(['{"part": 1e999}', '{"part": -1}', '{"part": "1 OR 1=1"}', "INV-PA99999999999999999999",
                                  "SSP99999999999999999999Z", "' OR 1=1 --", DIGIKEY, LCSC, TME])))
def test_resolve_never_raises_on_arbitrary_text_or_bytes(stock, raw):
    result = resolve(raw)
    assert result.status in ("match", "no_match", "error")
    assert result.status != "error" or result.message


def _plans(statements: list) -> list[str]:
    """The query plan lines of each captured SELECT (SQLite or PostgreSQL)."""
    connection = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        # Tiny test tables make a sequential scan cheapest; with it priced out, a Seq Scan that is
        # still chosen means no index can serve the query.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        return [row[0] for sql, params in statements
                for row in connection.exec_driver_sql("EXPLAIN " + sql, params).fetchall()]
    return [row[-1] for sql, params in statements
            for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


@pytest.mark.parametrize("path", ["internal", "inventree", "linked", "supplier", "mpn", "gs1", "none"])
def test_every_plugin_path_uses_indexes_never_a_table_scan(app, stock, path):
    """Capture every SELECT a resolve runs and ask the database for its plan: no scan of a big table."""
    from sqlalchemy import event

    link("EXT-LINKED-1", "part", stock["opamp"].id)
    data = {
        "internal": internal_code("part", stock["opamp"].id), "inventree": "INV-SL%d" % stock["shelf"].id,
        "linked": "EXT-LINKED-1", "supplier": DIGIKEY, "gs1": "5901234123457", "none": "NOTHING-HERE",
        "mpn": "[)>\x1e06\x1dPNOT-A-SKU\x1d1PMC34063ADR\x1dQ1\x1e\x04",
    }[path]
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):  # WITH: the location path query
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        result = resolve(data)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert (result.status == "match") == (path != "none")
    plans = _plans(statements)
    db.session.rollback()
    scans = [p for p in plans if (p.startswith("SCAN ") or "Seq Scan" in p)  # SQLite, PostgreSQL
             and "setting" not in p and "company" not in p
             and p != "SCAN up"]  # the location path query's own few rows, not a table
    assert statements and not scans, plans


def test_entry_point_plugins_are_loaded_and_broken_ones_skipped(app, tmp_path, monkeypatch, caplog):
    """A real installed distribution (a dist-info on sys.path) registering two plugins, one broken."""
    import importlib
    import sys

    (tmp_path / "acme_shelfscan.py").write_text(
        "from barcodes.result import Match, PluginResult\n"
        "class AcmePlugin:\n"
        "    name = 'acme'\n"
        "    description = 'ACME pallet labels'\n"
        "    def scan(self, scan):\n"
        "        if scan.text.startswith('ACME-'):\n"
        "            return PluginResult(matches=[Match('part', 1, 'Acme', '/parts/1')], format='acme')\n"
        "        return None\n"
        "class AcmeWithCatalog:\n"
        "    name = 'acme_with_catalog'\n"
        "    description = 'ACME labels, looked up in the catalog'\n"
        "    def __init__(self, catalog):\n"
        "        self.catalog = catalog\n"
        "    def scan(self, scan):\n"
        "        return None\n")
    dist = tmp_path / "acme_shelfscan-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-shelfscan\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[shelfscan.barcode_plugins]\nacme = acme_shelfscan:AcmePlugin\nbroken = acme_shelfscan:Missing\n"
        "acme_with_catalog = acme_shelfscan:AcmeWithCatalog\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    catalog = SqlCatalog()
    registry = build_registry(catalog)
    sys.modules.pop("acme_shelfscan", None)
    assert "acme" in registry.names() and "broken" in caplog.text
    assert registry.get("acme_with_catalog").catalog is catalog  # a constructor that asks for it gets it
    result = engine_resolve("ACME-7", registry=registry, options=ScanOptions())
    assert result.plugin == "acme" and result.match.title == "Acme"
