"""Barcode images: they decode to the object's code, carry an ETag and refuse bad input."""
from __future__ import annotations

import pytest

from barcodes.decode import decode
from barcodes.internal import internal_code
from extensions import db
from models import Part, StockLocation


@pytest.fixture
def part(app):
    row = Part(name="Hex nut M4", ipn="NUT-M4")
    db.session.add_all([StockLocation(name="Drawer"), row])
    db.session.commit()
    return row


@pytest.mark.parametrize("symbology", ["qr", "datamatrix", "code128"])
def test_png_decodes_to_the_internal_code(viewer_client, part, symbology):
    response = viewer_client.get(f"/barcodes/part/{part.id}.png?symbology={symbology}&size=4")
    assert response.status_code == 200 and response.mimetype == "image/png"
    found = decode(response.data)
    assert [(d.text, d.symbology) for d in found] == [(internal_code("part", part.id), symbology)]


def test_svg_is_served_with_etag_and_revalidates(viewer_client, part):
    first = viewer_client.get(f"/barcodes/part/{part.id}.svg")
    assert first.status_code == 200 and first.mimetype == "image/svg+xml"
    assert b"<svg" in first.data and first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-store"  # signed-in answers are never kept
    again = viewer_client.get(f"/barcodes/part/{part.id}.svg", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = viewer_client.get(f"/barcodes/part/{part.id}.svg?symbology=datamatrix")
    assert other.headers["ETag"] != first.headers["ETag"]


def test_unknown_objects_are_404(viewer_client, part):
    assert viewer_client.get(f"/barcodes/part/{part.id + 100}.svg").status_code == 404
    assert viewer_client.get("/barcodes/widget/1.svg").status_code == 404


def test_bad_symbology_and_size_are_400(viewer_client, part):
    response = viewer_client.get(f"/barcodes/part/{part.id}.svg?symbology=pdf417")
    assert response.status_code == 400 and b"pdf417" in response.data
    assert viewer_client.get(f"/barcodes/part/{part.id}.svg?size=0").status_code == 400
    assert viewer_client.get(f"/barcodes/part/{part.id}.svg?size=abc").status_code == 400


def test_render_any_data(viewer_client):
    response = viewer_client.get("/barcodes/render.png?data=ACME-12345&symbology=code128")
    assert response.status_code == 200
    assert [d.text for d in decode(response.data)] == ["ACME-12345"]
    assert viewer_client.get("/barcodes/render.svg?data=4006381333931&symbology=ean13").status_code == 200


def test_render_refuses_what_cannot_be_drawn(viewer_client):
    assert viewer_client.get("/barcodes/render.svg").status_code == 400
    assert viewer_client.get("/barcodes/render.svg?data=12345&symbology=ean13").status_code == 400
    assert viewer_client.get("/barcodes/render.svg?data=" + "x" * 5000).status_code == 400


def test_images_need_login(client, part):
    response = client.get(f"/barcodes/part/{part.id}.svg")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
