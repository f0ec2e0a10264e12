"""Showing scan data safely, the chart geometry and storable text: pure functions, no HTTP."""
from __future__ import annotations

import datetime as dt

from blueprints.admin.chart import HEIGHT, bar_chart
from blueprints.shared.display import decoded_raw, hexdump, visible
from services.scanlog import ScanFilter, storable


def badge(name: str, title: str) -> str:
    return (f'<span class="ctl" title="{title}"><span class="copy">&lt;</span>{name}'
            '<span class="copy">&gt;</span></span>')


def test_separators_become_badges_with_their_ascii_names():
    html = str(visible("01\x1d10\x1e\x04"))
    assert badge("GS", "group separator (0x1D)") in html
    assert badge("RS", "record separator (0x1E)") in html
    assert badge("EOT", "end of transmission (0x04)") in html
    # No Control Pictures (␝ ␞ ␄): most fonts, DejaVu among them, draw them as empty boxes.
    assert not any(0x2400 <= ord(ch) <= 0x243F for ch in html)


def test_markup_is_escaped_and_bidi_marks_are_named():
    html = str(visible('<img src=x onerror="a()">\u202e\u200f\u2066'))
    assert "<img" not in html and "&lt;img src=x onerror=&#34;a()&#34;&gt;" in html
    for code in ("202E", "200F", "2066"):
        assert f"[U+{code}]" in html
    assert "\u202e" not in html and "\u200f" not in html


def test_nul_and_undecodable_bytes_are_visible():
    html = str(visible("a\x00b" + decoded_raw(b"\xff")))
    assert badge("NUL", "null (0x00)") in html and "[FF]" in html and "\x00" not in html


def test_long_data_is_cut_with_its_length():
    html = str(visible("x" * 4096, limit=80))
    assert html.count("x") == 80 and "4096 characters in all" in html
    assert str(visible("x" * 4096)).count("x") == 4096


def test_hexdump_lines():
    lines = hexdump(b"]C1" + bytes(range(20)))
    assert lines[0] == ("000000", "5d 43 31 00 01 02 03 04 05 06 07 08 09 0a 0b 0c", "]C1.............")
    assert lines[1][0] == "000010" and lines[1][1] == "0d 0e 0f 10 11 12 13"


def test_storable_text_has_no_nul_and_no_lone_surrogates():
    assert storable("a\x00b") == "a\u2400b"
    assert storable("ok\udcff") == "ok\ufffd"
    assert storable("\x1d10") == "\x1d10"


def test_chart_bars_scale_to_the_busiest_day():
    today = dt.date(2026, 11, 27)
    days = [(today - dt.timedelta(days=2), 10, 0), (today - dt.timedelta(days=1), 5, 5), (today, 0, 0)]
    chart = bar_chart(days)
    tall, half, empty = chart["bars"]
    assert tall.match_h > 0 and tall.miss_h == 0
    assert half.match_h == half.miss_h == tall.match_h / 2
    assert empty.match_h == 0 and empty.match_y == HEIGHT - 22
    assert (chart["matches"], chart["misses"], chart["top"]) == (15, 5, 10)
    assert all(b.x < c.x for b, c in zip(chart["bars"], chart["bars"][1:]))


def test_filter_arguments_round_trip():
    scan_filter = ScanFilter(result="match", user_id=3, since=dt.date(2026, 1, 2), q="")
    assert scan_filter.as_args() == {"result": "match", "user_id": "3", "since": "2026-01-02"}
    assert scan_filter.active and not ScanFilter().active
