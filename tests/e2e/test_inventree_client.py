"""The official InvenTree Python client (PyPI `inventree`) against a live Shelfscan server."""
from __future__ import annotations

import pytest
import requests
from inventree.api import InvenTreeAPI
from inventree.company import SupplierPart
from inventree.part import Part
from inventree.stock import StockItem, StockLocation

from barcodes.internal import internal_code
from extensions import db
from models import ScanLog
from tests.api_fixtures import make_inventory
from tests.conftest import PASSWORD

LCSC_LABEL = "{pbn:PICK2107190042,on:WM2107190050,pc:C25804,pm:0603WAF1002T5E,qty:100,mc:,cc:1,pdi:41253542,hp:null,wc:ZH}"
CLASSES = {"part": Part, "stockitem": StockItem, "stocklocation": StockLocation, "supplierpart": SupplierPart}


@pytest.fixture
def server(live_server, make_user):
    """The live server with an inventory and an operator; yields (app, base_url, ids)."""
    application, base_url = live_server
    make_user("scanner", "operator")
    with application.app_context():
        ids = make_inventory()
        ids["stocklocation"] = ids["location"]
    return application, base_url, ids


@pytest.fixture
def api(server):
    """A connected client, logged in the way the client always does (Basic, then a token)."""
    _, base_url, _ = server
    return InvenTreeAPI(base_url, username="scanner", password=PASSWORD, timeout=10)


def test_the_client_connects_and_gets_a_token(api):
    assert api.connected and api.api_version >= InvenTreeAPI.MIN_SUPPORTED_API_VERSION
    assert api.token and api.token.startswith("sst-")
    assert api.get("user/me/")["username"] == "scanner"


def test_wrong_credentials_fail_as_against_inventree(server):
    _, base_url, _ = server
    with pytest.raises(ConnectionError):
        InvenTreeAPI(base_url, username="scanner", password="wrong", timeout=10)


@pytest.mark.parametrize("kind", list(CLASSES))
def test_scanning_internal_codes_returns_the_match(api, server, kind):
    _, _, ids = server
    result = api.scanBarcode(internal_code(kind, ids[kind]))
    assert result[kind]["pk"] == ids[kind]
    assert result["success"] == "Match found for barcode data"


def test_scanning_inventree_labels_and_supplier_codes(api, server):
    _, _, ids = server
    assert api.scanBarcode({"part": ids["part"]})["part"]["pk"] == ids["part"]  # the client JSON-encodes dicts
    assert api.scanBarcode(f"INV-SI{ids['stockitem']}")["stockitem"]["pk"] == ids["stockitem"]
    supplier = api.scanBarcode(LCSC_LABEL)
    assert supplier["supplierpart"]["pk"] == ids["supplierpart"]
    assert supplier["supplierpart"]["instance"]["SKU"] == "C25804"


def test_no_match_raises_as_against_inventree(api):
    with pytest.raises(requests.exceptions.HTTPError) as raised:
        api.scanBarcode("NOTHING-KNOWN")
    assert raised.value.args[0]["status_code"] == 400
    assert "No match found for barcode data" in raised.value.args[0]["body"]


@pytest.mark.parametrize("kind", list(CLASSES))
def test_assign_scan_and_unassign_for_each_model(api, server, kind):
    _, _, ids = server
    obj = CLASSES[kind](api, pk=ids[kind])
    assert obj.pk == ids[kind]
    response = obj.assignBarcode(f"EXT-{kind.upper()}-0042")
    assert response[kind]["pk"] == ids[kind]
    assert obj.barcode_hash == response["barcode_hash"]  # the client reloaded the object
    assert api.scanBarcode(f"EXT-{kind.upper()}-0042")[kind]["pk"] == ids[kind]
    obj.unassignBarcode()
    assert obj.barcode_hash == ""
    with pytest.raises(requests.exceptions.HTTPError):
        api.scanBarcode(f"EXT-{kind.upper()}-0042")


def test_assigning_a_barcode_in_use_is_refused(api, server):
    _, _, ids = server
    Part(api, pk=ids["part"]).assignBarcode("SHARED-1")
    with pytest.raises(requests.exceptions.HTTPError) as raised:
        Part(api, pk=ids["other_part"]).assignBarcode("SHARED-1")
    assert "already linked" in raised.value.args[0]["body"]


def test_lists_through_the_client(api, server):
    _, _, ids = server
    parts = Part.list(api, search="resistor")
    assert [p.pk for p in parts] == [ids["part"]]
    assert Part.count(api) == 2
    assert [s.SKU for s in SupplierPart.list(api, part=ids["part"])] == ["C25804"]
    assert StockLocation(api, pk=ids["location"]).getParentLocation().pk == ids["root"]


def test_client_scans_are_in_the_scan_log(api, server):
    application, _, ids = server
    api.scanBarcode(internal_code("part", ids["part"]))
    with application.app_context():
        rows = db.session.execute(db.select(ScanLog)).scalars().all()
        assert [(r.source, r.result, r.object_id) for r in rows] == [("api", "match", ids["part"])]
