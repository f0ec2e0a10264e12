"""An object's barcode block: the internal code on the page, linking and unlinking barcodes."""
from __future__ import annotations

import pytest

from barcodes.internal import internal_code
from extensions import db
from models import Barcode, Part, ScanLog, StockLocation


@pytest.fixture
def objects_(app):
    part = Part(name="Gear motor", ipn="GM-12")
    other = Part(name="Wheel 65 mm", ipn="WH-65")
    location = StockLocation(name="Rack 4")
    db.session.add_all([part, other, location])
    db.session.commit()
    return part, other, location


def test_link_scanned_barcode_then_unlink(hx_client, objects_):
    part, _, _ = objects_
    response = hx_client.post(f"/barcodes/part/{part.id}/link", data={"barcode": "4006381333931"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="object-barcode"' in html and "4006381333931" in html and "<html" not in html
    row = db.session.execute(db.select(Barcode)).scalar_one()
    assert (row.object_type, row.object_id, row.data) == ("part", part.id, "4006381333931")
    log = db.session.execute(db.select(ScanLog)).scalar_one()
    assert (log.action, log.source, log.result, log.raw) == ("link", "page", "done", b"4006381333931")
    assert log.response == f"Linked to part {part.id} {part}." and log.duration_ms > 0

    response = hx_client.post(f"/barcodes/part/{part.id}/unlink/{row.id}")
    assert response.status_code == 200 and "4006381333931" not in response.get_data(as_text=True)
    assert db.session.execute(db.select(Barcode)).scalar_one_or_none() is None
    actions = db.session.execute(db.select(ScanLog.action, ScanLog.object_id).order_by(ScanLog.id)).all()
    assert [a for a, _ in actions] == ["link", "unlink"] and actions[1][1] == part.id


def test_barcode_linked_elsewhere_is_422_with_the_reason(hx_client, objects_):
    part, other, _ = objects_
    assert hx_client.post(f"/barcodes/part/{part.id}/link", data={"barcode": "ACME-1"}).status_code == 200
    response = hx_client.post(f"/barcodes/part/{other.id}/link", data={"barcode": "ACME-1"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "already linked" in html and "Gear motor" in html
    assert 'value="ACME-1"' in html  # what was typed stays in the field
    assert db.session.execute(db.select(db.func.count()).select_from(Barcode)).scalar() == 1


@pytest.mark.parametrize("typed, message", [("", "Scan or type"), ("   ", "Scan or type")])
def test_empty_input_is_422(hx_client, objects_, typed, message):
    part = objects_[0]
    response = hx_client.post(f"/barcodes/part/{part.id}/link", data={"barcode": typed})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_internal_codes_cannot_be_linked(hx_client, objects_):
    part, other, _ = objects_
    response = hx_client.post(f"/barcodes/part/{part.id}/link", data={"barcode": internal_code("part", other.id)})
    assert response.status_code == 422 and "Internal barcodes" in response.get_data(as_text=True)


def test_without_htmx_the_form_redirects_back_with_a_message(operator_client, objects_):
    location = objects_[2]
    response = operator_client.post(f"/barcodes/stocklocation/{location.id}/link", data={"barcode": "RACK-4-EXT"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/locations/{location.id}")


def test_unknown_object_and_foreign_barcode_are_404(hx_client, objects_):
    part, other, _ = objects_
    assert hx_client.post("/barcodes/part/9999/link", data={"barcode": "X"}).status_code == 404
    hx_client.post(f"/barcodes/part/{part.id}/link", data={"barcode": "ONLY-PART"})
    row = db.session.execute(db.select(Barcode)).scalar_one()
    assert hx_client.post(f"/barcodes/part/{other.id}/unlink/{row.id}").status_code == 404


def test_viewers_see_the_code_but_cannot_link(client_for, objects_):
    part = objects_[0]
    viewer = client_for("viewer")
    assert viewer.post(f"/barcodes/part/{part.id}/link", data={"barcode": "X"}).status_code == 403
    page = viewer.get(f"/parts/{part.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert internal_code("part", part.id) in html and f"/barcodes/part/{part.id}.svg" in html
    assert "Link a barcode" not in html and f"/labels/print?type=part&amp;id={part.id}" in html


def test_unlink_asks_first(operator_client, objects_):
    part = objects_[0]
    operator_client.post(f"/barcodes/part/{part.id}/link", data={"barcode": "ACME-7"})
    row = db.session.execute(db.select(Barcode)).scalar_one()
    page = operator_client.get(f"/parts/{part.id}").get_data(as_text=True)
    assert f'action="/barcodes/part/{part.id}/unlink/{row.id}"' in page and 'hx-confirm="Unlink ACME-7?' in page
    asked = operator_client.get(f"/barcodes/part/{part.id}/unlink/{row.id}")  # the button without JavaScript
    assert asked.status_code == 200 and "Unlink this barcode?" in asked.get_data(as_text=True)
    assert db.session.execute(db.select(Barcode)).scalar_one_or_none() is not None  # asking unlinks nothing
    operator_client.post(f"/barcodes/part/{part.id}/unlink/{row.id}")
    assert db.session.execute(db.select(Barcode)).scalar_one_or_none() is None


def test_a_viewer_sees_no_invitation_to_link(client_for, objects_):
    page = client_for("viewer").get(f"/parts/{objects_[0].id}").get_data(as_text=True)
    assert "Linked barcodes" in page and "Link a supplier" not in page and 'id="link-barcode-input"' not in page
    operator_page = client_for("operator").get(f"/parts/{objects_[0].id}").get_data(as_text=True)
    assert "Link a supplier's or manufacturer's barcode so scanning it finds this part" in operator_page
