"""The scan history pages as an admin uses them: list, filters, detail, chart, export, deletes."""
from __future__ import annotations

import csv
import io
import re

from services import settings
from barcodes.result import Match, Scan, ScanResult
from extensions import db
from models import ScanLog
from services import scanlog


def log(text: str, status: str = "match", *, raw: bytes | None = None, source: str = "wedge", user=None,
        match: Match | None = None, fields: dict | None = None, response="", plugin: str = "internal"):
    """Record one scan through the real writer and commit."""
    raw = raw if raw is not None else text.encode("utf-8", "surrogateescape")
    result = ScanResult(scan=Scan(raw=raw, text=text), status=status, matches=[match] if match else [],
                        plugin=plugin, fields=fields or {})
    row_id = scanlog.record(source=source, user_id=user.id if user else None, raw=raw, result=result,
                            action="navigate", response=response)
    db.session.commit()
    return db.session.get(ScanLog, row_id)


def row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/admin/scans/(\d+)"', html)]


def test_the_list_is_newest_first_with_user_source_and_result(admin_client, users):
    log("SS-P-1", user=users["operator"], source="dialog")
    newest = log("UNKNOWN", "no_match", source="camera")
    html = admin_client.get("/admin/scans").get_data(as_text=True)
    assert row_ids(html)[0] == newest.id
    assert "operator" in html and "dialog" in html and 'class="badge no_match"' in html


def test_hostile_data_is_shown_visibly_and_escaped(admin_client):
    row = log("<script>alert(1)</script>\x1d10LOT\x1e\x04\u202eevil\x00" + "x" * 4096)
    html = admin_client.get("/admin/scans").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert all(f">{name}<" in html for name in ("GS", "RS", "EOT", "NUL")) and "\x00" not in html
    assert "\u202e" not in html and "[U+202E]" in html
    assert "x" * 200 not in html  # the list shows the start, not 4 KB
    detail = admin_client.get(f"/admin/scans/{row.id}").get_data(as_text=True)
    assert ">NUL<" in detail and "x" * 4096 in detail and "\x00" not in detail
    assert "&lt;script&gt;" in detail and "<script>alert" not in detail


def test_detail_shows_hex_fields_response_and_the_object_link(admin_client):
    raw = b"]C1" + b"0104012345678901\x1d10LOT42"
    row = log("0104012345678901\x1d10LOT42", raw=raw, match=Match("stockitem", 42, "LM358", "/stock-items/42"),
              fields={"gtin": "04012345678901", "lot": "LOT42"}, response={"answer": "redirect", "url": "/stock-items/42"})
    html = admin_client.get(f"/admin/scans/{row.id}").get_data(as_text=True)
    assert "5d 43 31 30 31 30 34" in html  # ]C1 0104 in hex
    assert "1d 31 30" in html  # GS 1 0
    assert "LOT42" in html and "gtin" in html
    assert 'href="/stock-items/42"' in html
    assert "&#34;url&#34;: &#34;/stock-items/42&#34;" in html or "&quot;url&quot;" in html


def test_undecodable_raw_bytes_show_as_hex_markers(admin_client):
    row = log("\udcff\udcfe", raw=b"\xff\xfe")
    html = admin_client.get(f"/admin/scans/{row.id}").get_data(as_text=True)
    assert "[FF]" in html and "ff fe" in html
    assert admin_client.get("/admin/scans").status_code == 200


def test_a_missing_scan_is_a_404_with_a_message(admin_client):
    response = admin_client.get("/admin/scans/999999")
    assert response.status_code == 404 and "no scan #999999" in response.get_data(as_text=True)


def test_nonsense_filters_show_messages_not_errors(admin_client):
    log("SS-P-1")
    response = admin_client.get("/admin/scans?result=bogus&since=2026-13-45&until=x&user_id=-1&plugin=%3Cb%3E")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unknown result" in html and "is not a date" in html and "There is no user" in html
    assert "There is no plugin &#39;&lt;b&gt;&#39;" in html
    # The pager's cursor is not a filter: one that is not an id is refused outright.
    assert admin_client.get("/admin/scans?before=abc").status_code == 400


def test_filter_form_works_without_js_and_htmx_gets_the_results_block(admin_client, client_for, users):
    log("A", user=users["admin"])
    miss = log("B", "no_match", user=users["operator"])
    html = admin_client.get(f"/admin/scans?result=no_match&user_id={users['operator'].id}").get_data(as_text=True)
    assert row_ids(html) == [miss.id] and '<form method="get"' in html
    response = client_for("admin", htmx=True).get("/admin/scans?result=no_match")
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="scan-results">')
    assert row_ids(fragment) == [miss.id]
    assert "HX-Request" in response.headers["Vary"]


def test_pager_links_walk_every_row_once(app, admin_client):
    app.config["PAGE_SIZE"] = 4
    made = [log(f"ROW-{i}").id for i in range(10)]
    seen, url = [], "/admin/scans"
    while url:
        html = admin_client.get(url).get_data(as_text=True)
        seen += row_ids(html)
        older = re.search(r'href="(/admin/scans\?before=\d+)"', html)
        url = older.group(1) if older else None
    assert seen == made[::-1]


def test_a_banner_says_when_logging_is_off(admin_client):
    assert "Scan logging is off" not in admin_client.get("/admin/scans").get_data(as_text=True)
    settings.set_value("BARCODE_STORE_RESULTS", False)
    db.session.commit()
    assert "Scan logging is off" in admin_client.get("/admin/scans").get_data(as_text=True)
    assert "Scan logging is off" in admin_client.get("/admin/").get_data(as_text=True)


def test_chart_is_a_server_drawn_svg(admin_client):
    for status in ("match", "match", "no_match"):
        log("X", status)
    response = admin_client.get("/admin/scans/chart.svg")
    svg = response.get_data(as_text=True)
    assert response.mimetype == "image/svg+xml"
    assert svg.count('class="match"') == 30 and svg.count('class="miss"') == 30
    assert "2 matches, 1 misses</title>" in svg
    assert "<script" not in svg


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_export_streams_what_the_filter_shows(admin_client, users):
    log("=HYPERLINK(\"http://evil\")", "no_match", user=users["viewer"], raw=b"=HYPERLINK")
    log("SS-P-7", "match", match=Match("part", 7, "LM358", "/parts/7"))
    log("01\x1d10A", "no_match", raw=b"]C101\x1d10A")
    response = admin_client.get("/admin/scans/export.csv?result=no_match")
    assert response.is_streamed and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert [r["data"] for r in rows] == ["01\x1d10A", "'=HYPERLINK(\"http://evil\")"]
    assert rows[0]["raw_hex"] == b"]C101\x1d10A".hex()
    assert rows[1]["user"] == "viewer" and rows[1]["result"] == "no_match"
    assert set(rows[0]) == set(scanlog.CSV_COLUMNS)
    everything = _csv(admin_client.get("/admin/scans/export.csv"))
    assert len(everything) == 3 and everything[1]["object_type"] == "part" and everything[1]["object_id"] == "7"


def test_export_with_a_bad_filter_is_a_400(admin_client):
    response = admin_client.get("/admin/scans/export.csv?since=soon")
    assert response.status_code == 400 and "not a date" in response.get_data(as_text=True)


def test_delete_one_scan_after_confirming(admin_client):
    row_id, other_id = log("A").id, log("B").id
    page = admin_client.get(f"/admin/scans/{row_id}/delete").get_data(as_text=True)
    assert "Delete scan #" in page and 'name="confirm" value="yes"' in page
    assert admin_client.post(f"/admin/scans/{row_id}/delete").status_code == 400  # no confirmation step
    assert scanlog.get(row_id) is not None
    response = admin_client.post(f"/admin/scans/{row_id}/delete", data={"confirm": "yes"})
    assert response.status_code == 303
    db.session.expire_all()
    assert scanlog.get(row_id) is None and scanlog.get(other_id) is not None
    assert admin_client.post(f"/admin/scans/{row_id}/delete", data={"confirm": "yes"}).status_code == 404


def test_delete_what_a_filter_shows_keeps_scans_that_arrive_meanwhile(admin_client):
    misses = [log(f"M{i}", "no_match").id for i in range(3)]
    hit = log("H", "match").id
    page = admin_client.get("/admin/scans/delete?result=no_match").get_data(as_text=True)
    assert "<strong>3</strong> scans will be deleted" in page
    upto = re.search(r'name="upto" value="(\d+)"', page).group(1)
    late = log("LATE", "no_match").id  # written while the admin reads the confirmation page
    response = admin_client.post("/admin/scans/delete", data={"result": "no_match", "upto": upto, "confirm": "yes"})
    assert response.status_code == 303
    db.session.expire_all()
    assert all(scanlog.get(i) is None for i in misses)
    assert scanlog.get(hit) is not None and scanlog.get(late) is not None


def test_delete_with_a_bad_filter_deletes_nothing(admin_client):
    log("A")
    response = admin_client.post("/admin/scans/delete", data={"result": "everything", "upto": "99", "confirm": "yes"})
    assert response.status_code == 400 and "Nothing was deleted" in response.get_data(as_text=True)
    assert admin_client.post("/admin/scans/delete", data={"confirm": "yes"}).status_code == 400  # no id bound
    assert scanlog.count() == 1


def test_clear_all_after_confirming_spares_later_scans(admin_client):
    for i in range(4):
        log(f"R{i}")
    page = admin_client.get("/admin/scans/clear").get_data(as_text=True)
    assert "Clear the whole scan history?" in page and "<strong>4</strong>" in page
    upto = re.search(r'name="upto" value="(\d+)"', page).group(1)
    late = log("LATE").id
    response = admin_client.post("/admin/scans/clear", data={"upto": upto, "confirm": "yes"}, follow_redirects=True)
    assert "Deleted 4 scans." in response.get_data(as_text=True)
    db.session.expire_all()
    assert scanlog.count() == 1 and scanlog.get(late) is not None
