"""POST /scan and /scan/image through the real engine: redirects, no-match, errors, the scan log."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from extensions import db


@pytest.fixture
def part(app):
    """One part, committed."""
    from models import Part

    made = Part(name="Resistor 10k", ipn="R-10K")
    db.session.add(made)
    db.session.commit()
    return made


def _code(part) -> str:
    from barcodes.internal import internal_code

    return internal_code("part", part.id)


def _label_png(text: str, symbology: str = "qr") -> bytes:
    """A rendered label as PNG bytes, as the engine prints it."""
    from barcodes.render import draw_barcode

    image = draw_barcode(text, symbology, "png")
    return image if isinstance(image, bytes) else image.encode()


def _scan_logs():
    from models import ScanLog

    return db.session.execute(db.select(ScanLog).order_by(ScanLog.id)).scalars().all()


def test_htmx_scan_of_one_match_redirects_to_the_object(hx_client, part):
    response = hx_client.post("/scan", data={"barcode": _code(part), "source": "wedge"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"/parts/{part.id}"
    assert "HX-Request" in response.headers["Vary"]
    [log] = _scan_logs()
    assert (log.source, log.result, log.object_type, log.object_id) == ("wedge", "match", "part", part.id)
    assert log.action == "navigate" and log.duration_ms > 0


def test_scan_without_javascript_gets_a_303(operator_client, part):
    response = operator_client.post("/scan", data={"barcode": _code(part), "source": "dialog"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/parts/{part.id}")


def test_viewer_may_scan_to_navigate(client_for, part):
    viewer = client_for("viewer", htmx=True)
    response = viewer.post("/scan", data={"barcode": _code(part), "source": "dialog"})
    assert response.headers["HX-Redirect"] == f"/parts/{part.id}"


def test_no_match_shows_the_data_escaped_with_visible_separators(hx_client):
    response = hx_client.post("/scan", data={"barcode": "<script>alert(1)</script>\x1dX", "source": "dialog"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["X-Scan-Result"] == "no_match"
    assert "No match found for barcode" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    shown = re.sub(r'value="[^"]*"', "", html)  # the follow-up form carries the code as Control Pictures
    assert ">GS<" in html and "\x1d" not in html and "\u241d" not in shown
    assert "<html" not in html  # a fragment, not a page
    assert _scan_logs()[0].result == "no_match"


def test_no_match_without_javascript_is_a_full_page(operator_client):
    response = operator_client.post("/scan", data={"barcode": "NOTHING-HERE-42"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert "No match found for barcode" in html and "NOTHING-HERE-42" in html


@pytest.mark.parametrize("barcode, message", [("", "empty"), ("   ", "empty"), ("A" * 5000, "too long")])
def test_bad_input_is_a_422_with_its_message(hx_client, barcode, message):
    response = hx_client.post("/scan", data={"barcode": barcode, "source": "dialog"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _scan_logs()[-1].result == "error"


def test_photo_of_a_label_redirects_to_the_object(hx_client, part):
    png = _label_png(_code(part))
    response = hx_client.post("/scan/image", data={"image": (io.BytesIO(png), "label.png"), "source": "photo"},
                              content_type="multipart/form-data")
    assert response.headers["HX-Redirect"] == f"/parts/{part.id}"
    [log] = _scan_logs()
    assert (log.source, log.object_id) == ("photo", part.id)


def test_image_without_a_barcode_says_so(hx_client):
    blank = io.BytesIO()
    Image.new("RGB", (640, 480), (250, 250, 250)).save(blank, "JPEG")
    blank.seek(0)
    response = hx_client.post("/scan/image", data={"image": (blank, "blank.jpg"), "source": "camera"},
                              content_type="multipart/form-data")
    assert response.status_code == 200
    assert response.headers["X-Scan-Result"] == "nothing"
    assert "No barcode found in this image" in response.get_data(as_text=True)
    assert _scan_logs() == []  # an empty camera frame is not a scan


def test_a_file_that_is_not_an_image_gets_a_clear_error(hx_client):
    response = hx_client.post("/scan/image", data={"image": (io.BytesIO(b"%PDF-1.4 not a photo"), "x.pdf"),
                                                   "source": "photo"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.headers["X-Scan-Result"] == "error"
    assert "image" in response.get_data(as_text=True).lower()


def test_an_oversized_photo_gets_a_swappable_error(app, hx_client):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    big = io.BytesIO(b"\xff" * (2 * 1024 * 1024))
    response = hx_client.post("/scan/image", data={"image": (big, "huge.jpg"), "source": "photo"},
                              content_type="multipart/form-data")
    assert response.status_code == 422
    assert "too much data" in response.get_data(as_text=True)


def test_image_upload_without_a_file_asks_for_one(hx_client):
    response = hx_client.post("/scan/image", data={"source": "photo"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a photo" in response.get_data(as_text=True)


def test_scan_posts_need_a_csrf_token(app, client_for, part):
    viewer = client_for("viewer")
    app.config["WTF_CSRF_ENABLED"] = True
    response = viewer.post("/scan", data={"barcode": _code(part)})
    assert response.status_code == 400


def test_scanning_switched_off_hides_the_icon_and_404s(app, client_for, part):
    from services import settings

    viewer = client_for("viewer")
    assert 'aria-label="Scan barcode"' in viewer.get("/").get_data(as_text=True)
    settings.set_value("BARCODE_ENABLE", False)
    db.session.commit()
    home = viewer.get("/").get_data(as_text=True)
    assert 'aria-label="Scan barcode"' not in home and "scan-dialog" not in home
    for method, url in (("POST", "/scan"), ("POST", "/scan/image"), ("GET", "/scan/check"), ("GET", "/scan")):
        response = viewer.open(url, method=method, data={"barcode": _code(part)})
        assert response.status_code == 404, url
        assert "BARCODE_ENABLE" in response.get_data(as_text=True)


def test_scan_page_works_without_javascript(viewer_client):
    html = viewer_client.get("/scan").get_data(as_text=True)
    assert 'name="barcode"' in html and 'name="csrf_token"' in html
    assert "Take or upload a photo" in html and 'accept="image/*"' in html and "capture" in html


def test_dialog_carries_the_scanner_settings(app, viewer_client):
    from services import settings

    settings.set_value("BARCODE_INPUT_DELAY", 35)
    settings.set_value("BARCODE_SCANNER_LAYOUT", "host")
    db.session.commit()
    html = viewer_client.get("/").get_data(as_text=True)
    assert 'data-input-delay="35"' in html and 'data-layout="host"' in html
    assert "js/scanner.js" in html and "<script>" not in html


def test_no_match_offers_a_search_and_operators_link_what_they_find(client_for, part):
    operator = client_for("operator", htmx=True)
    answer = operator.post("/scan", data={"barcode": "ACME-PALLET-77", "source": "wedge"}).get_data(as_text=True)
    assert 'action="/scan/find"' in answer and 'name="barcode" value="ACME-PALLET-77"' in answer
    found = operator.get("/scan/find", query_string={"q": "Resistor", "barcode": "ACME-PALLET-77"})
    html = found.get_data(as_text=True)
    assert f'data-found="part-{part.id}"' in html and "Link here" in html
    linked = operator.post(f"/barcodes/part/{part.id}/link", data={"barcode": "ACME-PALLET-77", "source": "dialog"})
    assert linked.headers["HX-Redirect"] == f"/parts/{part.id}"
    again = operator.post("/scan", data={"barcode": "ACME-PALLET-77", "source": "wedge"})
    assert again.headers["HX-Redirect"] == f"/parts/{part.id}"
    logs = _scan_logs()
    assert [(log.action, log.source, log.result) for log in logs] == [
        ("navigate", "wedge", "no_match"), ("link", "dialog", "done"), ("navigate", "wedge", "match")]

    viewer = client_for("viewer", htmx=True)
    seen = viewer.post("/scan", data={"barcode": "ACME-PALLET-77X", "source": "dialog"}).get_data(as_text=True)
    assert 'action="/scan/find"' in seen and 'name="barcode"' not in seen.split('action="/scan/find"')[1].split("</form>")[0]
    assert "Link here" not in viewer.get("/scan/find", query_string={"q": "Resistor", "barcode": "X"}).get_data(as_text=True)


def test_the_code_of_a_deleted_object_says_it_was_deleted(hx_client, part):
    from models import Part

    later = Part(name="Capacitor 100n", ipn="C-100N")
    db.session.add(later)
    db.session.commit()
    deleted_code = _code(part)
    db.session.delete(part)
    db.session.commit()
    gone = hx_client.post("/scan", data={"barcode": deleted_code, "source": "dialog"}).get_data(as_text=True)
    assert f"Part {part.id} was deleted." in gone and 'action="/scan/find"' not in gone  # our codes are not linked
    from barcodes.internal import internal_code

    never = hx_client.post("/scan", data={"barcode": internal_code("part", 999), "source": "dialog"})
    assert "Part 999 does not exist." in never.get_data(as_text=True)


def test_the_scanner_check_is_linked_from_the_scan_dialog_and_the_user_menus(viewer_client):
    html = viewer_client.get("/").get_data(as_text=True)
    dialog = html.split('class="hint scan-dialog-foot"')[1].split("</p>")[0]
    desk_menu = html.split('<details class="user-menu">')[1].split("</details>")[0]
    phone_menu = html.split('<details class="nav-menu">')[1].split("</details>")[0]
    for where in (dialog, desk_menu, phone_menu):
        assert 'href="/scan/check">Check your scanner</a>' in where
    assert viewer_client.get("/scan/check").status_code == 200
