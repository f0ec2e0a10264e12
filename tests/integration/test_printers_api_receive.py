"""Printing over the API (POST /api/label/print/ with a printer, GET of the job), and printing the new
stock item's label on receive (web form and API), on a fake Zebra over loopback."""
from __future__ import annotations

import time

import pytest

from barcodes.internal import internal_code
from extensions import db
from models import OBJECT_TYPES, LabelTemplate, StockItem
from services import settings
from services.printers import registry
from tests.api_fixtures import auth, make_inventory, token_for
from tests.fake_printers import FakePrinter
from tests.integration.test_printers_sending import zpl_labels

LCSC_LABEL = "{pbn:PICK2311010001,on:SO2311010001,pc:C25804,pm:0603WAF1002T5E,qty:100,mc:,cc:1,pdi:95433357,hp:null,wc:ZH}"


@pytest.fixture
def zebra(app):
    """A fake Zebra on loopback, set up as the default printer (62 x 29 mm labels)."""
    printer_at = FakePrinter("zpl")
    printer = registry.save(None, {"name": "Dispatch Zebra", "kind": "zpl", "address": printer_at.address,
                                   "media_width_mm": 62, "media_height_mm": 29, "dpi": 203, "is_default": True})
    printer_at.printer_id = printer.id
    return printer_at


def api_pk(object_type: str) -> int:
    template = db.session.execute(db.select(LabelTemplate).order_by(LabelTemplate.id)).scalars().first()
    return template.id * len(OBJECT_TYPES) + OBJECT_TYPES.index(object_type)


def wait_api(client, headers, pk: int, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/label/print/{pk}/", headers=headers).get_json()
        if job["complete"]:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {pk} not done in {seconds} s")


def test_api_prints_to_a_printer_and_answers_the_job(client, users, zebra):
    ids = make_inventory()
    client.get("/api/label/template/", headers=auth(token_for(users["viewer"])))  # makes the built-in templates
    headers = auth(token_for(users["operator"]))
    answer = client.post("/api/label/print/", headers=headers, json={
        "template": api_pk("part"), "items": [ids["part"], ids["other_part"]], "printer": zebra.printer_id, "copies": 2})
    assert answer.status_code == 201
    job = answer.get_json()
    assert job["state"] in ("queued", "sending", "printed") and job["labels"] == 4 and job["printer"] == zebra.printer_id
    done = wait_api(client, headers, job["pk"])
    assert done["state"] == "printed" and "ready" in done["message"]
    labels = zpl_labels(b"".join(zebra.jobs))
    assert len(labels) == 2 and internal_code("part", ids["part"]) in labels[0] and "^PQ2" in labels[0]
    # The schema lists both.
    schema = client.get("/api/schema/", headers=headers).get_json()
    assert "/api/label/print/{pk}/" in schema["paths"] and "printer" in str(schema["paths"]["/api/label/print/"])


def test_api_print_roles_and_bad_input(client, users, zebra):
    ids = make_inventory()
    viewer, operator = auth(token_for(users["viewer"])), auth(token_for(users["operator"]))
    client.get("/api/label/template/", headers=viewer)
    body = {"template": api_pk("part"), "items": [ids["part"]], "printer": zebra.printer_id}
    assert client.post("/api/label/print/", headers=viewer, json=body).status_code == 403
    assert client.post("/api/label/print/", json=body).status_code == 401
    missing = client.post("/api/label/print/", headers=operator, json={**body, "printer": 999})
    assert missing.status_code == 400 and "printer" in missing.get_json()
    assert client.post("/api/label/print/", headers=operator, json={**body, "copies": 0}).status_code == 400
    assert client.get("/api/label/print/12345/", headers=operator).status_code == 404
    job = client.post("/api/label/print/", headers=operator, json=body).get_json()
    assert client.get(f"/api/label/print/{job['pk']}/", headers=viewer).status_code == 404  # another's job
    assert client.get(f"/api/label/print/{job['pk']}/", headers=auth(token_for(users["admin"]))).status_code == 200
    printers = client.get("/api/label/printer/", headers=viewer).get_json()
    assert printers == [{"pk": zebra.printer_id, "name": "Dispatch Zebra", "kind": "zpl", "is_default": True}]


def test_api_receive_prints_the_new_items_label(client, users, zebra):
    ids = make_inventory()
    headers = auth(token_for(users["operator"]))
    answer = client.post("/api/barcode/receive/", headers=headers,
                         json={"barcode": LCSC_LABEL, "location": ids["location"], "print_label": True})
    assert answer.status_code == 201
    body = answer.get_json()
    item_id = body["stockitem"]["pk"]
    done = wait_api(client, headers, body["print_job"]["pk"])
    assert done["state"] == "printed" and done["items"] == [item_id]
    assert internal_code("stockitem", item_id) in b"".join(zebra.jobs).decode()


def test_api_receive_follows_the_setting_unless_told(client, users, zebra):
    ids = make_inventory()
    headers = auth(token_for(users["operator"]))
    receive = lambda **body: client.post("/api/barcode/receive/", headers=headers, json={"location": ids["location"], **body})  # noqa: E731
    plain = receive(barcode=LCSC_LABEL).get_json()
    assert "print_job" not in plain
    settings.save({"PRINT_ON_RECEIVE": True})
    db.session.execute(db.delete(StockItem).where(StockItem.id == plain["stockitem"]["pk"]))
    db.session.commit()
    again = receive(barcode=LCSC_LABEL.replace("0001,on", "0002,on"))
    assert again.status_code == 201 and "print_job" in again.get_json(), again.get_json()
    told = receive(barcode=LCSC_LABEL.replace("0001,on", "0003,on"), print_label=False)
    assert told.status_code == 201 and "print_job" not in told.get_json()
    assert receive(barcode=LCSC_LABEL, print_label="yes").status_code == 400


def test_web_receive_with_print_label_ticked_prints_and_shows_the_job(client_for, zebra):
    ids = make_inventory()
    operator = client_for("operator")
    form = operator.get("/stock/receive", query_string={"barcode": LCSC_LABEL}).get_data(as_text=True)
    assert 'name="print_label"' in form and "checked" not in form.split('name="print_label"')[1].split(">")[0]
    settings.save({"PRINT_ON_RECEIVE": True})
    form = operator.get("/stock/receive", query_string={"barcode": LCSC_LABEL}).get_data(as_text=True)
    assert "checked" in form.split('name="print_label"')[1].split(">")[0]
    page = operator.post("/stock/receive", data={"barcode": LCSC_LABEL, "quantity": "100", "print_label": "y",
                                                   "location_id": ids["location"]}).get_data(as_text=True)
    assert 'data-outcome="accepted"' in page and "data-print-job=" in page
    item = db.session.execute(db.select(StockItem).order_by(StockItem.id.desc())).scalars().first()
    deadline = time.monotonic() + 60
    while not zebra.jobs and time.monotonic() < deadline:
        time.sleep(0.05)
    assert internal_code("stockitem", item.id) in b"".join(zebra.jobs).decode()


def test_web_receive_without_the_tick_prints_nothing(client_for, zebra):
    ids = make_inventory()
    page = client_for("operator").post("/stock/receive", data={"barcode": LCSC_LABEL, "quantity": "100",
                                                                "location_id": ids["location"]}).get_data(as_text=True)
    assert 'data-outcome="accepted"' in page and "data-print-job=" not in page
    time.sleep(0.5)
    assert zebra.jobs == []
