"""Counting a location over HTTP: scans find items, typed quantities count them, the report, the review
of every change, the commit and its CSV."""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest

from extensions import db
from models import StockItem, StockTracking
from tests.integration.test_stock_data import code, make_store
from tests.integration.test_stock_sessions import _scan, _start


@pytest.fixture
def shop(app):
    return make_store(item_count=3)


def _item(item_id) -> StockItem:
    db.session.expire_all()
    return db.session.get(StockItem, item_id)


def _reviewed(html: str) -> str:
    """The digest of the reviewed changes, from the review's commit form."""
    return re.search(r'name="reviewed" value="([0-9a-f]+)"', html).group(1)


def _commit_as_reviewed(client, session_id):
    review = client.get(f"/stock/sessions/{session_id}/review").get_data(as_text=True)
    return client.post(f"/stock/sessions/{session_id}/commit", data={"reviewed": _reviewed(review)},
                       headers={"HX-Request": "true"})


def test_count_finds_scanned_items_takes_typed_quantities_and_commits_the_differences(operator_client, shop):
    a, b, c = shop.items[:3]  # 100, 101, 102 on Shelf A
    stray = shop.items[-1]  # 5 booked on Shelf B
    session_id = _start(operator_client, shop.shelf_a, kind="count")
    found = _scan(operator_client, session_id, code(a)).get_data(as_text=True)
    assert "found, 100 expected" in found
    again = _scan(operator_client, session_id, code(a)).get_data(as_text=True)  # a second scan changes no number
    assert "already in the count (found, 100 as booked)" in again
    typed = _scan(operator_client, session_id, "100").get_data(as_text=True)  # a quantity for the last scanned
    assert "counted 100" in typed
    _scan(operator_client, session_id, code(b))
    _scan(operator_client, session_id, "99")
    unexpected = _scan(operator_client, session_id, code(stray)).get_data(as_text=True)
    assert "not expected here" in unexpected and "moves it here with 5" in unexpected
    page = operator_client.get(f"/stock/sessions/{session_id}").get_data(as_text=True)
    for label in ("1</strong> matched", "1</strong> difference", "1</strong> missing", "1</strong> unexpected"):
        assert label in page

    assert _commit_as_reviewed(operator_client, session_id).status_code == 200
    assert (_item(a.id).quantity, _item(a.id).status) == (Decimal(100), "ok")
    assert _item(b.id).quantity == Decimal(99)
    assert (_item(c.id).status, _item(c.id).quantity) == ("missing", Decimal(102))
    assert (_item(stray.id).location_id, _item(stray.id).quantity) == (shop.shelf_a.id, Decimal(5))
    assert db.session.scalar(db.select(db.func.count()).select_from(StockTracking)) == 4

    download = operator_client.get(f"/stock/sessions/{session_id}/report.csv")
    assert download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    rows = {row["stock_item"]: row for row in csv.DictReader(io.StringIO(download.get_data(as_text=True)))}
    assert rows[str(a.id)]["result"] == "matched"
    assert (rows[str(b.id)]["result"], rows[str(b.id)]["difference"]) == ("difference", "-2")
    assert (rows[str(c.id)]["result"], rows[str(c.id)]["counted"]) == ("missing", "0")
    assert rows[str(stray.id)]["result"] == "unexpected"


def test_count_refuses_bad_quantities_and_someone_elses_change(app, client_for, shop):
    counter, other = client_for("operator"), client_for("admin")
    session_id = _start(counter, shop.shelf_a, kind="count")
    early = _scan(counter, session_id, "5")
    assert early.status_code == 422 and "Scan an item first" in early.get_data(as_text=True)
    _scan(counter, session_id, code(shop.items[0]))
    line_id = db.session.execute(db.text("SELECT id FROM scan_session_line")).scalar_one()
    negative = counter.post(f"/stock/sessions/{session_id}/lines/{line_id}/count", data={"counted": "-3"},
                            headers={"HX-Request": "true"})
    assert negative.status_code == 422 and "below zero" in negative.get_data(as_text=True)
    review = counter.get(f"/stock/sessions/{session_id}/review").get_data(as_text=True)
    other.post(f"/stock/items/{shop.items[0].id}/move", data={"barcode": code(shop.shelf_b)})
    again = counter.get(f"/stock/sessions/{session_id}/review").get_data(as_text=True)
    assert "changed after you counted it" in again and re.search(r"data-commit\s+disabled", again)
    refused = counter.post(f"/stock/sessions/{session_id}/commit", data={"reviewed": _reviewed(review)},
                           headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "changed after you counted it" in refused.get_data(as_text=True)
    assert all(_item(item.id).status == "ok" for item in shop.items)


def test_an_item_counted_by_scan_only_keeps_its_quantity_and_nothing_is_written_unreviewed(operator_client, shop):
    stray = shop.items[-1]  # 5 booked on Shelf B, found on Shelf A and scanned once
    session_id = _start(operator_client, shop.shelf_a, kind="count")
    _scan(operator_client, session_id, code(stray))
    unreviewed = operator_client.post(f"/stock/sessions/{session_id}/commit", headers={"HX-Request": "true"})
    assert (_item(stray.id).location_id, _item(stray.id).quantity) == (shop.shelf_b.id, Decimal(5))
    html = unreviewed.get_data(as_text=True)
    assert "Check before committing" in html
    change = re.search(rf'<li data-item="{stray.id}">(.*?)</li>', html, re.S).group(1)
    assert "quantity <strong>5</strong> kept" in change and "moves here from <bdi>Store / Shelf B</bdi>" in change
    assert _commit_as_reviewed(operator_client, session_id).status_code == 200
    assert (_item(stray.id).location_id, _item(stray.id).quantity) == (shop.shelf_a.id, Decimal(5))
    history = db.session.execute(db.select(StockTracking).filter_by(stock_item_id=stray.id)).scalar_one()
    assert (history.quantity_before, history.quantity_after) == (Decimal(5), Decimal(5))


def test_a_commit_refuses_changes_the_user_did_not_review(operator_client, shop):
    a = shop.items[0]
    session_id = _start(operator_client, shop.shelf_a, kind="count")
    _scan(operator_client, session_id, code(a))
    review = operator_client.get(f"/stock/sessions/{session_id}/review").get_data(as_text=True)
    _scan(operator_client, session_id, "7")  # typed in another tab after the review
    refused = operator_client.post(f"/stock/sessions/{session_id}/commit", data={"reviewed": _reviewed(review)},
                                   headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "changed since you reviewed it" in refused.get_data(as_text=True)
    assert "100 → 7" in refused.get_data(as_text=True)  # the review as it stands now
    assert _item(a.id).quantity == Decimal(100)


def test_csv_report_defuses_formulas(operator_client, shop):
    shop.items[0].part.name = "=HYPERLINK(1)"
    db.session.commit()
    session_id = _start(operator_client, shop.shelf_a, kind="count")
    text = operator_client.get(f"/stock/sessions/{session_id}/report.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text


def test_the_count_rows_in_the_scan_history_say_their_source_action_result_and_time(operator_client, shop):
    from models import ScanLog

    a, b = shop.items[:2]
    session_id = _start(operator_client, shop.shelf_a, kind="count")
    _scan(operator_client, session_id, code(a))
    _scan(operator_client, session_id, code(b))
    _scan(operator_client, session_id, "99")
    _commit_as_reviewed(operator_client, session_id)
    rows = db.session.execute(db.select(ScanLog).order_by(ScanLog.id)).scalars().all()
    commit = rows[-1]
    assert (commit.action, commit.source, commit.result) == ("commit", "button", "done")
    assert (commit.object_type, commit.object_id) == ("stocklocation", shop.shelf_a.id)
    assert all(row.duration_ms > 0 for row in rows)
    scans = [(row.action, row.source, row.result) for row in rows if row.data]
    assert scans == [("count", "page", "done")] * 2  # the two labels scanned; the typed 99 is no barcode
