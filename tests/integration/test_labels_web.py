"""Labels on the web: template list, printing (PDF, ZPL, preview, background jobs), the editor, reports."""
from __future__ import annotations

import re
import subprocess
import time
from decimal import Decimal

import pytest

from services import settings
from barcodes.decode import decode
from barcodes.internal import internal_code
from extensions import db
from models import LabelTemplate, Part, StockItem, StockLocation
from services.labels import printing

PT_PER_MM = 72 / 25.4


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]", pdf)
    return [(round(float(w) / PT_PER_MM, 1), round(float(h) / PT_PER_MM, 1)) for w, h in boxes]


@pytest.fixture
def stock(app):
    """A store with a shelf and a bin below it, and one elsewhere; a stock item in each."""
    store = StockLocation(name="Store")
    shelf = StockLocation(name="Shelf 1", parent=store)
    bin_ = StockLocation(name="Bin 7", parent=shelf)
    other = StockLocation(name="Workshop")
    part = Part(name="Cable tie 200 mm", ipn="CT-200", units="pcs")
    items = [StockItem(part=part, location=loc, quantity=Decimal(q), batch=f"B{q}")
             for loc, q in ((shelf, 10), (bin_, 20), (other, 30))]
    db.session.add_all([store, shelf, bin_, other, part, *items])
    db.session.commit()
    return {"store": store, "shelf": shelf, "bin": bin_, "other": other, "part": part, "items": items}


def test_labels_page_lists_templates_for_viewers(viewer_client, stock):
    page = viewer_client.get("/labels/").get_data(as_text=True)
    assert "Brother QL 62 x 29 mm" in page and "A4 sheet of 24" in page
    assert 'href="/labels/"' in page  # the navbar section
    assert "Store / Shelf 1 / Bin 7" in page  # the stock report chooser
    assert "New template" not in page


def test_print_pdf_uses_the_default_template_then_the_admin_setting(viewer_client, stock):
    part_id = stock["part"].id
    response = viewer_client.get(f"/labels/print.pdf?type=part&id={part_id}&id={part_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert page_sizes_mm(response.data) == [(62.0, 29.0)] * 2
    bin_label = next(t for t in printing.templates_for("part") if t.name.startswith("Bin"))
    settings.set_value("LABEL_TEMPLATE_PART", bin_label.id)
    db.session.commit()
    response = viewer_client.get(f"/labels/print.pdf?type=part&id={part_id}")
    assert page_sizes_mm(response.data) == [(38.0, 90.0)]


@pytest.mark.parametrize("query, message", [
    ("type=widget&id=1", "type is one of"),
    ("type=part&id=abc", "id="),
    ("type=part&id=999", "No part with id 999"),
    ("type=part&id=1&template=999", "does not exist"),
])
def test_bad_print_requests_are_400_with_a_reason(viewer_client, stock, query, message):
    response = viewer_client.get(f"/labels/print.pdf?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_print_zpl(viewer_client, stock):
    ids = "&".join(f"id={item.id}" for item in stock["items"])
    response = viewer_client.get(f"/labels/print.zpl?type=stockitem&{ids}&dpi=300")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.count("^XA") == 3
    assert f"^FDMA,{internal_code('stockitem', stock['items'][0].id)}^FS" in text
    assert "^PW744" in text and "^LL348" in text  # 62 x 29 mm at 12 dots/mm
    assert viewer_client.get(f"/labels/print.zpl?type=stockitem&{ids}&dpi=7").status_code == 400


def test_preview_shows_labels_and_template_choice(viewer_client, stock):
    page = viewer_client.get(f"/labels/print?type=stocklocation&id={stock['bin'].id}").get_data(as_text=True)
    assert page.count('class="label-face"') == 1
    assert "data:image/svg+xml;base64," in page
    assert "Zebra 102 x 51 mm" in page and 'formaction="/labels/print.pdf"' in page


def test_long_batch_runs_in_the_background_with_progress(client_for, stock):
    viewer = client_for("viewer", htmx=True)
    ids = [stock["items"][0].id] * 120
    query = "type=stockitem&" + "&".join(f"id={i}" for i in ids)
    assert "Make PDF" in viewer.get(f"/labels/print?{query}").get_data(as_text=True)
    started = viewer.post("/labels/jobs/start", data={"type": "stockitem", "id": ids})
    assert started.status_code == 202
    job_id = re.search(r"/labels/jobs/([0-9a-f]{32})", started.get_data(as_text=True))[1]
    deadline = time.monotonic() + 60
    while True:
        fragment = viewer.get(f"/labels/jobs/{job_id}").get_data(as_text=True)
        if "Download PDF" in fragment or time.monotonic() > deadline:
            break
        assert "<progress" in fragment and 'hx-trigger="every' in fragment
        time.sleep(0.2)
    assert "120 labels ready" in fragment
    pdf = viewer.get(f"/labels/jobs/{job_id}.pdf")
    assert pdf.status_code == 200 and len(page_sizes_mm(pdf.data)) == 120
    # Someone else's job is not visible.
    assert client_for("operator").get(f"/labels/jobs/{job_id}.pdf").status_code == 404


def test_admin_creates_a_template_and_a_broken_one_shows_its_error(client_for, stock):
    admin = client_for("admin", htmx=True)
    form = {"name": "Tiny", "object_types": ["part", "stockitem"], "width_mm": "40", "height_mm": "20",
            "columns": "1", "rows": "1",
            "body": "{{ barcode('qr', left=1, top=1, size=18) }}<div style=\"left:20mm; top:2mm\">{{ name }}</div>"}
    response = admin.post("/labels/templates/new", data=form)
    assert response.status_code == 200 and response.headers["HX-Redirect"].endswith("/edit")
    tiny = db.session.execute(db.select(LabelTemplate).filter_by(name="Tiny")).scalar_one()
    assert tiny.object_types == "part,stockitem" and not tiny.builtin
    pdf = admin.get(f"/labels/print.pdf?type=part&id={stock['part'].id}&template={tiny.id}").data
    assert page_sizes_mm(pdf) == [(40.0, 20.0)]

    for body, message in (("{{ name ", "line 1"), ("{{ nosuchfield }}", "nosuchfield"),
                          ("{{ ''.__class__.__mro__ }}", "unsafe"), ('<div style="color:red">x</div>', "unsupported style")):
        broken = admin.post(f"/labels/templates/{tiny.id}/edit", data={**form, "body": body})
        assert broken.status_code == 422, body
        assert message in broken.get_data(as_text=True), body
    db.session.expire_all()
    assert "nosuchfield" not in db.session.get(LabelTemplate, tiny.id).body  # nothing half-saved


def test_editor_is_for_admins_only(client_for, stock):
    template_id = printing.templates_for()[0].id
    for role in ("viewer", "operator"):
        user = client_for(role)
        assert user.get("/labels/templates/new").status_code == 403
        assert user.get(f"/labels/templates/{template_id}/edit").status_code == 403
        assert user.post(f"/labels/templates/{template_id}/duplicate").status_code == 403


def test_builtins_are_read_only_but_can_be_duplicated(admin_client, stock):
    builtin = printing.templates_for()[0]
    page = admin_client.get(f"/labels/templates/{builtin.id}/edit").get_data(as_text=True)
    assert "read-only" in page
    assert admin_client.post(f"/labels/templates/{builtin.id}/delete").status_code == 400
    response = admin_client.post(f"/labels/templates/{builtin.id}/duplicate")
    assert response.status_code == 303
    copy = db.session.execute(db.select(LabelTemplate).filter_by(name=f"Copy of {builtin.name}")).scalar_one()
    assert copy.body == builtin.body and not copy.builtin
    assert admin_client.post(f"/labels/templates/{copy.id}/delete").status_code == 303
    assert db.session.get(LabelTemplate, copy.id) is None


def test_stock_report_covers_sub_locations(viewer_client, stock, tmp_path):
    page = viewer_client.get(f"/labels/reports/stock/{stock['shelf'].id}").get_data(as_text=True)
    assert "Store / Shelf 1 / Bin 7" in page and "B10" in page and "B20" in page
    assert "B30" not in page  # the workshop is not below the shelf
    assert viewer_client.get("/labels/reports/stock/9999").status_code == 404
    pdf = viewer_client.get(f"/labels/reports/stock/{stock['store'].id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    (tmp_path / "r.pdf").write_bytes(pdf.data)
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(tmp_path / "r.pdf"), str(tmp_path / "r")], check=True)
    png = next(tmp_path.glob("r-*.png")).read_bytes()
    found = {d.text for d in decode(png)}
    assert found == {internal_code("stockitem", item.id) for item in stock["items"][:2]}


def test_pick_list_in_location_order(viewer_client, stock):
    other, shelf_item, bin_item = stock["items"][2], stock["items"][0], stock["items"][1]
    page = viewer_client.get(f"/labels/reports/picklist?id={other.id}&id={bin_item.id}&id={shelf_item.id}")
    text = page.get_data(as_text=True)
    assert text.index("B10") < text.index("B20") < text.index("B30")
    assert viewer_client.get("/labels/reports/picklist?id=999").status_code == 400
    pdf = viewer_client.get(f"/labels/reports/picklist.pdf?id={other.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_list_pages_print_the_ticked_rows(viewer_client, stock):
    page = viewer_client.get("/stock-items/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'formaction="/labels/print"' in html and 'formaction="/labels/reports/picklist"' in html
    assert 'name="type" value="stockitem"' in html and 'method="post"' in html
    ids = [item.id for item in stock["items"][:2]]
    preview = viewer_client.get(f"/labels/print?type=stockitem&id={ids[0]}&id={ids[1]}&q=")
    assert preview.status_code == 200 and preview.get_data(as_text=True).count('class="label-face"') == 2
    posted = viewer_client.post("/labels/print", data={"type": "stockitem", "id": ids, "back": "q=cable"})
    assert posted.status_code == 303  # a short selection becomes a link that can be kept
    assert viewer_client.get(posted.headers["Location"]).get_data(as_text=True).count('class="label-face"') == 2
    picked = viewer_client.post("/labels/reports/picklist", data={"id": ids}, follow_redirects=True)
    assert picked.status_code == 200 and "B10" in picked.get_data(as_text=True)


def test_editor_preview_draws_an_unsaved_template_or_shows_its_errors(client_for, stock):
    admin = client_for("admin", htmx=True)
    form = {"name": "Draft", "object_types": ["stocklocation"], "width_mm": "50", "height_mm": "30",
            "columns": "1", "rows": "1", "body": "{{ barcode('datamatrix', left=1, top=1, size=20) }}"}
    good = admin.post("/labels/templates/preview", data=form)
    html = good.get_data(as_text=True)
    assert good.status_code == 200 and "data:image/svg+xml;base64," in html and "Location preview" in html
    bad = admin.post("/labels/templates/preview", data={**form, "body": "{% if %}"})
    assert bad.status_code == 422 and "line 1" in bad.get_data(as_text=True)
    assert db.session.execute(db.select(LabelTemplate).filter_by(name="Draft")).scalar_one_or_none() is None
    assert client_for("operator").post("/labels/templates/preview", data=form).status_code == 403


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_print_with_nothing_ticked_goes_back_to_the_list_with_the_message_by_the_button(viewer_client, stock, method):
    fields = {"type": "part", "back": "q=cable&page=1&next=//evil.example"}  # back: the list's own query
    response = viewer_client.open("/labels/print", method=method,
                                  **({"query_string": fields} if method == "GET" else {"data": fields}))
    assert response.status_code == 303
    assert response.headers["Location"] == "/parts/?q=cable&page=1"  # our list, its search kept, nothing else
    page = viewer_client.get(response.headers["Location"]).get_data(as_text=True)
    start = page.index('class="print-selection"')
    selection = page[start:page.index("</form>", start)]
    assert '<p class="selection-message" role="alert" data-selection-message>Tick the rows to print first.</p>' in selection
    assert 'class="flash' not in page  # beside the button, not at the top
    picked = viewer_client.post("/labels/reports/picklist", data={"type": "stockitem"})
    assert picked.status_code == 303 and picked.headers["Location"] == "/stock-items/"


def test_copies_and_start_position_on_a_sheet(viewer_client, stock, tmp_path):
    sheet = next(t for t in printing.templates_for("stocklocation") if t.columns == 3 and t.rows == 8)
    location = stock["bin"].id
    query = f"type=stocklocation&id={location}&template={sheet.id}"
    pdf = viewer_client.get(f"/labels/print.pdf?{query}&copies=3&start=23").data
    assert page_sizes_mm(pdf) == [(210.0, 297.0)] * 2  # positions 23 and 24, then one on a second sheet
    page = viewer_client.get(f"/labels/print?{query}&copies=3&start=23").get_data(as_text=True)
    assert "Print 3 location labels" in page and 'value="23"' in page and "First sheet" in page
    refused = viewer_client.get(f"/labels/print?{query}&start=25")
    assert refused.status_code == 422 and "from 1 to 24" in refused.get_data(as_text=True)
    assert viewer_client.get(f"/labels/print.pdf?{query}&start=25").status_code == 400
    zpl = viewer_client.get(f"/labels/print.zpl?type=stocklocation&id={location}&copies=4").get_data(as_text=True)
    assert zpl.count("^XA") == 1 and "^PQ4" in zpl
    too_many = viewer_client.get(f"/labels/print.pdf?{query}&id={location}&id={location}&copies=2000")
    assert too_many.status_code == 400 and "At most 5000 labels at once, not 6000" in too_many.get_data(as_text=True)


def test_the_template_select_applies_itself_through_htmx(client_for, stock):
    viewer = client_for("viewer", htmx=True)
    sheet = next(t for t in printing.templates_for("stocklocation") if t.columns == 3 and t.rows == 8)
    fragment = viewer.get(f"/labels/print?type=stocklocation&id={stock['bin'].id}&template={sheet.id}")
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and html.lstrip().startswith('<div id="print-page"')
    assert 'hx-trigger="change"' in html and 'hx-get="/labels/print"' in html and "Start at position" in html
