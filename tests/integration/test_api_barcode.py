"""The barcode endpoints answer as InvenTree does, and every scan lands in the scan log."""
from __future__ import annotations

import json

import pytest

from barcodes.internal import internal_code
from extensions import db
from models import Barcode, ScanLog
from tests.api_fixtures import auth, make_inventory, token_for

LCSC_LABEL = "{pbn:PICK2107190042,on:WM2107190050,pc:C25804,pm:0603WAF1002T5E,qty:100,mc:,cc:1,pdi:41253542,hp:null,wc:ZH}"


@pytest.fixture
def inventory(app):
    """A small inventory."""
    return make_inventory()


@pytest.fixture
def tokens_by_role(users):
    """One API token per role."""
    return {role: token_for(user) for role, user in users.items()}


@pytest.fixture
def post(client, tokens_by_role):
    """POST JSON as a role, the way the InvenTree client does (?format=json)."""
    def send(path, body, role="operator"):
        return client.post(f"{path}?format=json", json=body, headers=auth(tokens_by_role[role]))

    return send


@pytest.mark.parametrize("kind", ["part", "stockitem", "stocklocation", "supplierpart"])
def test_an_internal_code_answers_with_the_object_under_its_type(post, inventory, kind):
    pk = inventory["location" if kind == "stocklocation" else kind]
    code = internal_code(kind, pk)
    response = post("/api/barcode/", {"barcode": code}, role="viewer")
    assert response.status_code == 200, response.get_json()
    assert response.headers["Content-Type"] == "application/json"
    body = response.get_json()
    assert body[kind]["pk"] == pk and body[kind]["instance"]["pk"] == pk
    assert body[kind]["api_url"].startswith("/api/") and body[kind]["web_url"].startswith("/")
    assert body["success"] == "Match found for barcode data"
    assert body["barcode_data"] == code and len(body["barcode_hash"]) == 64 and body["plugin"]


@pytest.mark.parametrize("label", ['{{"part": {part}}}', "INV-PA{part}"])
def test_inventree_labels_are_understood(post, inventory, label):
    response = post("/api/barcode/", {"barcode": label.format(**inventory)})
    assert response.status_code == 200
    assert response.get_json()["part"]["instance"]["IPN"] == "R-10K"


def test_a_supplier_label_finds_the_supplier_part_and_its_fields(post, inventory):
    response = post("/api/barcode/", {"barcode": LCSC_LABEL})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["supplierpart"]["pk"] == inventory["supplierpart"]
    assert body["supplierpart"]["instance"]["SKU"] == "C25804"
    assert body["supplierpart"]["instance"]["supplier_detail"]["name"] == "LCSC"
    assert body["fields"]  # the parsed label: SKU, MPN, quantity...
    assert "100" in json.dumps(body["fields"])


def test_no_match_is_a_400_with_inventrees_message_and_is_logged(post, users, inventory):
    response = post("/api/barcode/", {"barcode": "UNKNOWN-4711"})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "No match found for barcode data"
    assert body["plugin"] is None and body["barcode_data"] == "UNKNOWN-4711" and body["barcode_hash"]
    row = db.session.execute(db.select(ScanLog)).scalar_one()
    assert (row.source, row.result, row.user_id) == ("api", "no_match", users["operator"].id)
    assert row.raw == b"UNKNOWN-4711"


def test_every_scan_is_logged_with_source_api(post, inventory):
    post("/api/barcode/", {"barcode": internal_code("part", inventory["part"])})
    post("/api/barcode/", {"barcode": "nothing"})
    rows = db.session.execute(db.select(ScanLog).order_by(ScanLog.id)).scalars().all()
    assert [(r.source, r.result, r.action) for r in rows] == [("api", "match", "navigate"), ("api", "no_match", "navigate")]
    assert rows[0].object_type == "part" and rows[0].object_id == inventory["part"]


@pytest.mark.parametrize("body, field", [({}, "barcode"), ({"barcode": "   "}, "barcode"),
                                         ({"barcode": 12}, "barcode"), ({"barcode": "x" * 4097}, "barcode")])
def test_a_missing_blank_or_oversized_barcode_is_a_field_error(post, body, field):
    response = post("/api/barcode/", body)
    assert response.status_code == 400
    assert isinstance(response.get_json()[field], list)


def test_a_4096_character_barcode_is_still_scanned(post, inventory):
    response = post("/api/barcode/", {"barcode": "7" * 4096})
    assert response.status_code == 400 and response.get_json()["error"] == "No match found for barcode data"


@pytest.mark.parametrize("kind", ["part", "stockitem", "stocklocation", "supplierpart"])
def test_link_then_scan_then_unlink(post, inventory, kind):
    pk = inventory["location" if kind == "stocklocation" else kind]
    linked = post("/api/barcode/link/", {"barcode": f"VENDOR-{kind}-77", kind: pk})
    assert linked.status_code == 200, linked.get_json()
    body = linked.get_json()
    assert body[kind] == {"pk": pk} and body["success"] and len(body["barcode_hash"]) == 64
    found = post("/api/barcode/", {"barcode": f"VENDOR-{kind}-77"})
    assert found.status_code == 200 and found.get_json()[kind]["pk"] == pk
    assert found.get_json()[kind]["instance"]["barcode_hash"] == body["barcode_hash"]
    unlinked = post("/api/barcode/unlink/", {kind: pk})
    assert unlinked.status_code == 200 and unlinked.get_json()["removed"] == 1
    assert post("/api/barcode/", {"barcode": f"VENDOR-{kind}-77"}).status_code == 400


def test_a_barcode_in_use_says_where(post, inventory):
    post("/api/barcode/link/", {"barcode": "ABC-1", "part": inventory["part"]})
    response = post("/api/barcode/link/", {"barcode": "ABC-1", "stockitem": inventory["stockitem"]})
    assert response.status_code == 400
    assert "10k resistor" in response.get_json()["error"]
    assert db.session.execute(db.select(Barcode)).scalar_one().object_type == "part"


def test_internal_codes_cannot_be_linked(post, inventory):
    code = internal_code("part", inventory["other_part"])
    response = post("/api/barcode/link/", {"barcode": code, "part": inventory["part"]})
    assert response.status_code == 400 and "error" in response.get_json()


@pytest.mark.parametrize("body", [{"barcode": "Z"}, {"barcode": "Z", "part": 1, "stockitem": 1},
                                  {"barcode": "Z", "part": "x"}, {"barcode": "Z", "part": True},
                                  {"barcode": "Z", "part": -3}])
def test_link_needs_exactly_one_valid_target(post, inventory, body):
    response = post("/api/barcode/link/", body)
    assert response.status_code == 400, response.get_json()
    assert db.session.execute(db.select(Barcode)).first() is None


def test_link_to_an_unknown_pk_is_404(post, inventory):
    response = post("/api/barcode/link/", {"barcode": "Z", "part": 999999})
    assert response.status_code == 404


def test_unlink_one_of_several_barcodes(post, inventory):
    for data in ("ONE", "TWO"):
        post("/api/barcode/link/", {"barcode": data, "part": inventory["part"]})
    response = post("/api/barcode/unlink/", {"part": inventory["part"], "barcode": "ONE"})
    assert response.status_code == 200 and response.get_json()["removed"] == 1
    assert [b.data for b in db.session.execute(db.select(Barcode)).scalars()] == ["TWO"]
    again = post("/api/barcode/unlink/", {"part": inventory["part"], "barcode": "ONE"})
    assert again.status_code == 400


def test_generate_returns_the_internal_code(post, inventory):
    response = post("/api/barcode/generate/", {"model": "stockitem", "pk": inventory["stockitem"]}, role="viewer")
    assert response.status_code == 200
    assert response.get_json() == {"barcode": internal_code("stockitem", inventory["stockitem"])}
    assert post("/api/barcode/generate/", {"model": "gizmo", "pk": 1}).status_code == 400
    assert post("/api/barcode/generate/", {"model": "part", "pk": 999999}).status_code == 404


def test_history_is_admin_only_filtered_paginated_and_deletable(client, post, users, tokens_by_role, inventory):
    post("/api/barcode/", {"barcode": internal_code("part", inventory["part"])}, role="viewer")
    for n in range(3):
        post("/api/barcode/", {"barcode": f"miss-{n}"})
    admin = auth(tokens_by_role["admin"])
    assert client.get("/api/barcode/history/", headers=auth(tokens_by_role["operator"])).status_code == 403
    page = client.get("/api/barcode/history/?result=no_match&limit=2", headers=admin).get_json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"] and page["previous"] is None
    assert [r["data"] for r in page["results"]] == ["miss-2", "miss-1"]
    mine = client.get(f"/api/barcode/history/?user={users['viewer'].id}&source=api", headers=admin).get_json()
    assert mine["count"] == 1 and mine["results"][0]["object_type"] == "part"
    assert client.get("/api/barcode/history/?result=maybe", headers=admin).status_code == 400
    pk = page["results"][0]["pk"]
    assert client.delete(f"/api/barcode/history/{pk}/", headers=admin).status_code == 204
    assert client.delete(f"/api/barcode/history/{pk}/", headers=admin).status_code == 404
    assert db.session.get(ScanLog, pk) is None


def test_viewers_may_scan_but_not_link(post, inventory):
    assert post("/api/barcode/", {"barcode": "anything"}, role="viewer").status_code == 400
    response = post("/api/barcode/link/", {"barcode": "Q", "part": inventory["part"]}, role="viewer")
    assert response.status_code == 403
