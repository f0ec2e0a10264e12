"""services.scanning without HTTP: what answer each engine result gets, and visible control characters."""
from __future__ import annotations

from barcodes.result import Match, Scan, ScanResult
from services.scanning import decide


def _result(status="match", matches=(), fmt="internal", text="DATA"):
    return ScanResult(scan=Scan(raw=text.encode(), text=text), status=status, matches=list(matches), format=fmt)


PART = Match("part", 3, "Resistor", "/parts/3")
SUPPLIER = Match("supplierpart", 7, "DigiKey 311-10KCRCT-ND", "/supplier-parts/7")
ITEM = Match("stockitem", 9, "Resistor x 100", "/stock/9")


def test_one_match_redirects(app):
    outcome = decide(_result(matches=[PART]))
    assert (outcome.answer, outcome.url) == ("redirect", "/parts/3")


def test_several_matches_offer_a_choice(app):
    outcome = decide(_result(matches=[SUPPLIER, ITEM], fmt="ecia"))
    assert outcome.answer == "choose"
    assert [c.url for c in outcome.choices] == ["/supplier-parts/7", "/stock/9"]


def test_engine_error_is_a_422_with_its_message(app):
    outcome = decide(ScanResult(scan=Scan(raw=b"x", text="x"), status="error", message="Bad check digit"))
    assert outcome.answer == "error" and outcome.status_code == 422 and outcome.message == "Bad check digit"


def test_supplier_label_offers_receive(app):
    with app.test_request_context():
        found = decide(_result(matches=[SUPPLIER], fmt="ecia", text="[)>\x1e06\x1dP311"), may_receive=True)
        unknown = decide(_result(status="no_match", fmt="lcsc", text="{pc:C1}"), may_receive=True)
        viewer = decide(_result(matches=[SUPPLIER], fmt="ecia"), may_receive=False)
        internal = decide(_result(matches=[PART], fmt="internal"), may_receive=True)
    assert found.answer == "choose"
    assert [c.kind for c in found.choices] == ["open", "receive"]
    assert "barcode=" in found.choices[1].url
    assert unknown.answer == "no_match" and [c.kind for c in unknown.choices] == ["receive"]
    assert viewer.answer == "redirect" and internal.answer == "redirect"
