"""Normalising what scanners send: AIM ids, suffixes, every spelling of GS/RS/EOT, limits."""
from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from services import settings
from barcodes.normalize import MAX_LENGTH, ScanInputError, normalize
from services.barcode_engine import scan_options


@pytest.mark.parametrize("raw, text, aim, symbology", [
    ("]C1" + "0105901234123457", "0105901234123457", "]C1", "gs1-code128"),
    ("]C0ABC-123\r\n", "ABC-123", "]C0", "code128"),
    ("]d2010590123412345710LOT\x1d21S1", "010590123412345710LOT\x1d21S1", "]d2", "gs1-datamatrix"),
    ("]Q3hello\t", "hello", "]Q3", "gs1-qr"),
    ("]E05901234123457", "5901234123457", "]E0", "ean"),
    ("]e0" + "0105901234123457", "0105901234123457", "]e0", "gs1-databar"),
    ("plain text\n", "plain text", "", ""),
])
def test_aim_identifier_is_stripped_and_remembered(raw, text, aim, symbology):
    scan = normalize(raw)
    assert (scan.text, scan.aim_id, scan.symbology) == (text, aim, symbology)
    assert scan.raw == raw.encode()


@pytest.mark.parametrize("spelling", ["\x1d", "\u241d", "<GS>", "{GS}", "[GS]"])
def test_every_spelling_of_the_group_separator_becomes_the_byte(spelling):
    assert normalize(f"10LOT{spelling}21SN").text == "10LOT\x1d21SN"


def test_record_separator_and_eot_pictures_become_bytes():
    assert normalize("[)>\u241e06\u241dPX\u241e\u2404").text == "[)>\x1e06\x1dPX\x1e"
    assert normalize("[)><RS>06{GS}PX<RS><EOT>").text == "[)>\x1e06\x1dPX\x1e"


def test_the_substitute_is_passed_in_and_the_service_reads_the_admins(app):
    assert normalize("10LOT|21SN", gs_substitute="|").text == "10LOT\x1d21SN"
    settings.set_value("BARCODE_GS_SUBSTITUTE", "~")
    assert normalize("10LOT~21SN").text == "10LOT~21SN"  # the engine reads no settings
    assert normalize("10LOT~21SN", scan_options().gs_substitute).text == "10LOT\x1d21SN"


def test_bytes_are_kept_raw_and_invalid_utf8_is_replaced():
    scan = normalize(b"AB\xff\x00C\r\n")
    assert scan.raw == b"AB\xff\x00C\r\n"
    assert scan.text == "AB\ufffdC"


def test_text_with_lone_surrogates_is_kept_raw_and_made_printable():
    scan = normalize("A\udcffB")
    assert scan.raw == b"A\xffB" and scan.text == "A\ufffdB"


@pytest.mark.parametrize("raw", ["", "   ", "\r\n", "\x00\x00", "]C1", "]C1\r\n", b""])
def test_empty_input_is_refused_with_a_message(raw):
    with pytest.raises(ScanInputError, match="empty"):
        normalize(raw)


def test_the_length_limit_is_4096_characters():
    assert len(normalize("x" * MAX_LENGTH).text) == 4096
    with pytest.raises(ScanInputError, match="too long"):
        normalize("x" * (MAX_LENGTH + 1))


def test_emoji_and_bidi_marks_pass_through():
    assert normalize("\u202eABC\U0001F600").text == "\u202eABC\U0001F600"


@hsettings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_normalising_never_crashes_and_twice_changes_nothing(raw):
    try:
        scan = normalize(raw)
    except ScanInputError:
        return
    assert "\x00" not in scan.text
    again = normalize(scan.text)
    assert again.text == scan.text


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(["]", "C", "1", "d", "2", "<", "G", "S", ">", "{", "}", "\x1d",
                                         "\u241d", "\r", "\n", "\t", "\x04", "A", " "]), max_size=40))
def test_normalising_separator_soup_is_idempotent(raw):
    try:
        scan = normalize(raw)
    except ScanInputError:
        return
    assert normalize(scan.text).text == scan.text


def test_unpaired_surrogates_never_crash():
    scan = normalize("A\ud800B")
    assert scan.raw == b"A\xed\xa0\x80B" and "\ud800" not in scan.text
