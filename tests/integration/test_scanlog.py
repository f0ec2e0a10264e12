"""The scan log service on a real migrated database: recording, pruning, filters, pages, deletes."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from werkzeug.datastructures import MultiDict

from services import settings
from barcodes.result import Match, Scan, ScanResult
from extensions import db
from models import ScanLog, utcnow
from services import scanlog


def result_for(text: str, status: str = "match", *, raw: bytes | None = None, aim: str = "", symbology: str = "",
               plugin: str | None = None, match: Match | None = None, fields: dict | None = None,
               message: str = "") -> ScanResult:
    """A ScanResult shaped like the engine's."""
    scan = Scan(raw=raw if raw is not None else text.encode(), text=text, aim_id=aim, symbology=symbology)
    return ScanResult(scan=scan, status=status, matches=[match] if match else [], plugin=plugin,
                      fields=fields or {}, message=message)


def add_rows(n: int, **overrides) -> list[ScanLog]:
    """n rows through the real writer, committed."""
    ids = []
    for i in range(n):
        result = result_for(f"ROW-{i}", overrides.get("status", "match"), plugin=overrides.get("plugin", "internal"))
        ids.append(scanlog.record(source=overrides.get("source", "wedge"), user_id=overrides.get("user_id"),
                                  raw=result.scan.raw, result=result))
    db.session.commit()
    return [db.session.get(ScanLog, row_id) for row_id in ids]


SOURCES = {
    # A GS1-128 label read by a keyboard-wedge scanner that sends the AIM id and GS separators.
    "wedge": dict(raw=b"]C1" + b"0104012345678901" + b"10LOT42\x1d" + b"17261231",
                  text="0104012345678901" + "10LOT42\x1d" + "17261231", aim="]C1", symbology="Code 128",
                  plugin="gs1", status="match", match=Match("part", 7, "LM358", "/parts/7"),
                  fields={"gtin": "04012345678901", "lot": "LOT42", "expiry": "2026-12-31"},
                  action="navigate", response={"answer": "redirect", "url": "/parts/7"}),
    # An internal label typed into the scan dialog.
    "dialog": dict(raw=b"SS-L-3", text="SS-L-3", aim="", symbology="", plugin="internal", status="match",
                   match=Match("stocklocation", 3, "Shelf 2", "/locations/3"), fields={},
                   action="navigate", response={"answer": "redirect", "url": "/locations/3"}),
    # A QR code decoded from a camera frame: ISO 15434 envelope with RS/GS/EOT kept.
    "camera": dict(raw=b"[)>\x1e06\x1dPLM358\x1dQ10\x1e\x04", text="[)>\x1e06\x1dPLM358\x1dQ10\x1e\x04",
                   aim="]Q1", symbology="QR Code", plugin="ecia", status="match",
                   match=Match("supplierpart", 5, "Mouser 595-LM358", "/supplier-parts/5"),
                   fields={"sku": "LM358", "quantity": 10}, action="receive", response={"answer": "choose"}),
    # A photo upload that decoded to a code nobody knows.
    "photo": dict(raw=b"4006381333931", text="4006381333931", aim="]E0", symbology="EAN-13", plugin=None,
                  status="no_match", match=None, fields={}, action="navigate",
                  response={"answer": "no_match"}, message="No part has this GTIN."),
    # The InvenTree-compatible API.
    "api": dict(raw=b"SS-S-11", text="SS-S-11", aim="", symbology="", plugin="internal", status="match",
                match=Match("stockitem", 11, "LM358 x 5", "/stock-items/11"), fields={},
                action="scan", response={"stockitem": {"pk": 11}}),
    # A scan-driven stock move.
    "action": dict(raw=b"SS-S-12", text="SS-S-12", aim="", symbology="", plugin="internal", status="match",
                   match=Match("stockitem", 12, "LM358 x 2", "/stock-items/12"), fields={},
                   action="move", response={"moved": 12, "to": 3}),
}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_a_row_for_every_source_keeps_what_arrived(app, users, source):
    spec = SOURCES[source]
    result = result_for(spec["text"], spec["status"], raw=spec["raw"], aim=spec["aim"], symbology=spec["symbology"],
                        plugin=spec["plugin"], match=spec["match"], fields=spec["fields"], message=spec.get("message", ""))
    row_id = scanlog.record(source=source, user_id=users["operator"].id, raw=spec["raw"], result=result,
                            action=spec["action"], response=spec["response"], duration_ms=3.25)
    db.session.commit()
    stored = db.session.get(ScanLog, row_id)
    assert stored.source == source
    assert stored.user.username == "operator"
    assert bytes(stored.raw) == spec["raw"]  # control characters and AIM id exactly as received
    assert stored.data == spec["text"]
    assert (stored.aim_id, stored.symbology) == (spec["aim"], spec["symbology"])
    assert stored.plugin == (spec["plugin"] or "")
    assert stored.result == spec["status"]
    match = spec["match"]
    assert (stored.object_type, stored.object_id) == ((match.object_type, match.object_id) if match else ("", None))
    assert scanlog.object_path(stored) == (match.url if match else None)
    assert stored.action == spec["action"]
    assert json.loads(stored.response) == spec["response"]
    assert scanlog.parsed_fields(stored) == (spec["fields"] or None)
    assert stored.duration_ms == pytest.approx(3.25)
    assert stored.created_at is not None


def test_an_error_without_a_result_is_recorded_with_its_message(app, users):
    row_id = scanlog.record(source="dialog", user_id=None, raw=b"\x00\xff", error="Nothing was scanned.")
    db.session.commit()
    row = db.session.get(ScanLog, row_id)
    assert (row.result, row.response, bytes(row.raw)) == ("error", "Nothing was scanned.", b"\x00\xff")


def test_nothing_is_recorded_when_logging_is_off(app):
    settings.set_value("BARCODE_STORE_RESULTS", False)
    db.session.commit()
    assert scanlog.record(source="wedge", user_id=None, raw=b"X", result=result_for("X")) is None
    db.session.commit()
    assert scanlog.count() == 0


def test_prune_keeps_the_newest_max_num_rows(app):
    settings.set_value("BARCODE_RESULTS_MAX_NUM", 10)
    db.session.commit()
    rows = add_rows(25)
    assert scanlog.prune(limit=500) == 15
    db.session.commit()
    kept = db.session.scalars(db.select(ScanLog.id).order_by(ScanLog.id)).all()
    assert kept == [r.id for r in rows[-10:]]


def test_prune_deletes_a_bounded_batch_per_call(app):
    settings.set_value("BARCODE_RESULTS_MAX_NUM", 10)
    db.session.commit()
    add_rows(40)
    assert scanlog.prune(limit=7) == 7
    assert scanlog.count() == 33
    assert scanlog.prune_all() == 23
    assert scanlog.count() == 10


def test_prune_deletes_rows_older_than_max_days(app):
    settings.set_value("BARCODE_RESULTS_MAX_DAYS", 30)
    db.session.commit()
    old, recent = add_rows(3), add_rows(2)
    for row, days in zip(old + recent, (400, 31, 30.5, 29, 1)):
        row.created_at = utcnow() - dt.timedelta(days=days)
    db.session.commit()
    assert scanlog.prune() == 3
    db.session.commit()
    assert sorted(db.session.scalars(db.select(ScanLog.id)).all()) == [r.id for r in recent]


def test_recording_prunes_as_it_goes(app):
    settings.set_value("BARCODE_RESULTS_MAX_NUM", 10)
    db.session.commit()
    add_rows(scanlog.PRUNE_EVERY * 2 + 20)
    ids = db.session.scalars(db.select(ScanLog.id).order_by(ScanLog.id)).all()
    # The last prune ran at id 100 and kept 91..100; the 20 written since wait for the next one.
    assert ids == list(range(scanlog.PRUNE_EVERY * 2 - 9, scanlog.PRUNE_EVERY * 2 + 21))


def _walk(scan_filter, size=7):
    """Follow the Older links from the newest page; returns the pages' ids."""
    pages, before = [], None
    while True:
        page = scanlog.history_page(scan_filter, before=before, size=size)
        pages.append([r.id for r in page.rows])
        if page.older is None:
            return pages
        before = page.older


def test_keyset_pages_neither_overlap_nor_skip(app):
    rows = add_rows(30) + add_rows(20, status="no_match", source="camera")
    everything = scanlog.ScanFilter()
    pages = _walk(everything)
    flat = [i for p in pages for i in p]
    assert flat == sorted((r.id for r in rows), reverse=True)
    assert [len(p) for p in pages] == [7] * 7 + [1]
    # Newer links lead back through the same pages.
    page = scanlog.history_page(everything, before=pages[3][-1] + 0, size=7)
    assert [r.id for r in page.rows] == pages[4]
    back = scanlog.history_page(everything, after=page.newer, size=7)
    assert [r.id for r in back.rows] == pages[3]
    first = scanlog.history_page(everything, size=7)
    assert first.newer is None and first.older == pages[0][-1]


def test_filters_combine_and_page(app, users):
    add_rows(12, status="match", source="wedge", user_id=users["admin"].id)
    misses = add_rows(9, status="no_match", source="camera", user_id=users["operator"].id, plugin="gs1")
    add_rows(5, status="no_match", source="wedge")
    args = MultiDict({"result": "no_match", "source": "camera", "user_id": str(users["operator"].id), "plugin": "gs1"})
    scan_filter = scanlog.parse_filter(args)
    assert scan_filter.problems == ()
    assert [i for p in _walk(scan_filter, size=4) for i in p] == sorted((r.id for r in misses), reverse=True)
    assert scanlog.count(scan_filter) == 9


def test_search_matches_data_with_visible_separators_and_literal_wildcards(app):
    result = result_for("01\x1d10%LOT_A")
    scanlog.record(source="wedge", user_id=None, raw=result.scan.raw, result=result)
    add_rows(3)
    db.session.commit()
    for q, expected in (("\u241d10%lot", 1), ("%", 1), ("_", 1), ("ROW-", 3), ("nothing", 0)):
        assert scanlog.count(scanlog.parse_filter({"q": q})) == expected, q


def test_date_range_is_exact(app):
    rows = add_rows(6)
    days = [dt.date(2026, 3, d) for d in (1, 2, 2, 3, 4, 5)]
    for row, day in zip(rows, days):
        row.created_at = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.timezone.utc)
    db.session.commit()
    scan_filter = scanlog.parse_filter({"since": "2026-03-02", "until": "2026-03-04"})
    assert [r.id for r in scanlog.history_page(scan_filter).rows] == [rows[4].id, rows[3].id, rows[2].id, rows[1].id]


@pytest.mark.parametrize("args, problem", [
    ({"result": "maybe"}, "Unknown result"),
    ({"source": "<script>"}, "Unknown source"),
    ({"user_id": "999"}, "no user"),
    ({"user_id": "abc"}, "no user"),
    ({"plugin": "nosuch"}, "no plugin"),
    ({"since": "2026-02-30"}, "not a date"),
    ({"until": "yesterday"}, "not a date"),
    ({"since": "2026-05-01", "until": "2026-04-01"}, "after the end date"),
    ({"q": "x" * 500}, "cut to"),
])
def test_unusable_filters_are_explained(app, args, problem):
    scan_filter = scanlog.parse_filter(args)
    assert any(problem in p for p in scan_filter.problems), scan_filter.problems
    scanlog.history_page(scan_filter)  # and the page still answers


def test_delete_by_filter_spares_rows_written_after_the_confirmation(app):
    add_rows(5, status="no_match")
    keep = add_rows(3, status="match")
    scan_filter = scanlog.parse_filter({"result": "no_match"})
    upto = scanlog.newest_id(scan_filter)
    late = add_rows(2, status="no_match")  # scans arriving between confirmation and POST
    assert scanlog.delete_matching(scan_filter, upto) == 5
    left = set(db.session.scalars(db.select(ScanLog.id)).all())
    assert left == {r.id for r in keep + late}


def test_export_rows_follow_the_filter_in_keyset_batches(app, users):
    add_rows(7, status="match", user_id=users["viewer"].id)
    add_rows(4, status="error")
    exported = list(scanlog.export_rows(scanlog.parse_filter({"result": "match"}), batch=3))
    assert len(exported) == 7
    assert [r[0] for r in exported] == sorted((r[0] for r in exported), reverse=True)
    first = dict(zip(scanlog.CSV_COLUMNS, exported[0]))
    assert first["user"] == "viewer" and first["result"] == "match" and first["raw_hex"] == b"ROW-6".hex()


def test_daily_counts_split_matches_from_misses(app):
    today = utcnow().date()
    rows = add_rows(3, status="match") + add_rows(2, status="no_match") + add_rows(1, status="error")
    rows[0].created_at = utcnow() - dt.timedelta(days=2)
    db.session.commit()
    days = scanlog.daily_counts(7, today=today)
    assert len(days) == 7 and days[-1][0] == today
    assert days[-1][1:] == (2, 3)
    assert days[-3][1:] == (1, 0)


def test_rows_deleted_by_hand_count_against_max_num_but_the_bound_holds(app):
    settings.set_value("BARCODE_RESULTS_MAX_NUM", 10)
    db.session.commit()
    rows = add_rows(20)
    scanlog.delete_one(rows[15].id)
    db.session.commit()
    scanlog.prune()
    db.session.commit()
    # The newest 10 ids are 11..20 and one of them is gone: 9 rows stay, never more than 10.
    assert db.session.scalars(db.select(ScanLog.id).order_by(ScanLog.id)).all() == \
        [r.id for r in rows[10:15] + rows[16:]]


def test_daily_counts_leave_out_older_days_and_keep_empty_ones(app):
    today = utcnow().date()
    rows = add_rows(2, status="no_match") + add_rows(2, status="match")
    ages = (40, 5, 5, 0)  # ids rise with time, as they do when scans are written
    for row, age in zip(rows, ages):
        row.created_at = utcnow() - dt.timedelta(days=age)
    db.session.commit()
    days = scanlog.daily_counts(10, today=today)
    assert [(m, x) for _, m, x in days] == [(0, 0)] * 4 + [(1, 1)] + [(0, 0)] * 4 + [(1, 0)]
