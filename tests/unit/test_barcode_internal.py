"""Internal codes: format, the check character's guarantees (proved with hypothesis), InvenTree forms."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from services import settings
from barcodes.internal import ALPHABET, internal_code, is_valid, parse_internal, parse_inventree
from barcodes.objects import OBJECT_TYPES
from services.barcode_engine import scan_options

types = st.sampled_from(OBJECT_TYPES)
ids = st.integers(min_value=1, max_value=2**63 - 1)
prefixes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=4)


def test_code_format_is_prefix_type_id_check():
    assert internal_code("part", 12, "SS") == "SSP12E"
    assert [internal_code(t, 7, "SS")[:3] for t in OBJECT_TYPES] == ["SSP", "SSI", "SSL", "SSS"]
    assert re.fullmatch(r"[A-Z0-9]+", internal_code("supplierpart", 2**63 - 1, "ABCD"))


def test_the_prefix_is_passed_in_and_the_service_reads_the_admins(app):
    settings.set_value("BARCODE_PREFIX", "WS")
    prefix = scan_options().prefix
    code = internal_code("part", 5, prefix)
    assert code.startswith("WSP5")
    assert parse_internal(code, prefix) == ("part", 5)
    assert parse_internal(internal_code("part", 5, "SS"), prefix) is None
    assert parse_internal(code) is None and internal_code("part", 5).startswith("SSP5")  # the engine reads no settings


@pytest.mark.parametrize("bad", [0, -1, True, 2**63, "12", 1.0])
def test_ids_must_be_positive_whole_numbers(bad):
    with pytest.raises(ValueError):
        internal_code("part", bad, "SS")


@hsettings(max_examples=500, deadline=None)
@given(types, ids, prefixes)
def test_round_trip_in_any_letter_case(object_type, object_id, prefix):
    code = internal_code(object_type, object_id, prefix)
    assert parse_internal(code, prefix) == (object_type, object_id)
    assert parse_internal(code.lower(), prefix) == (object_type, object_id)  # Caps Lock


@hsettings(max_examples=500, deadline=None)
@given(types, ids, prefixes, st.data())
def test_every_single_wrong_character_is_caught(object_type, object_id, prefix, data):
    code = internal_code(object_type, object_id, prefix)
    position = data.draw(st.integers(0, len(code) - 1))
    replacement = data.draw(st.sampled_from(ALPHABET).filter(lambda ch: ch != code[position]))
    assert not is_valid(code[:position] + replacement + code[position + 1:])


@hsettings(max_examples=500, deadline=None)
@given(types, ids, prefixes, st.data())
def test_every_swap_of_two_neighbours_is_caught(object_type, object_id, prefix, data):
    code = internal_code(object_type, object_id, prefix)
    position = data.draw(st.integers(0, len(code) - 2))
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
    if swapped != code:
        assert not is_valid(swapped)


def test_the_check_is_exhaustive_over_short_codes():
    """Every id below 300 for every type: all substitutions and neighbour swaps fail the check."""
    for object_type in OBJECT_TYPES:
        for object_id in range(1, 300):
            code = internal_code(object_type, object_id, "SS")
            for i, ch in enumerate(code):
                assert all(not is_valid(code[:i] + other + code[i + 1:]) for other in ALPHABET if other != ch)
                if i + 1 < len(code) and code[i] != code[i + 1]:
                    assert not is_valid(code[:i] + code[i + 1] + code[i] + code[i + 2:])


@pytest.mark.parametrize("text, expected", [
    ('{"part": 12}', ("part", 12)), ('{"stockitem": 5}', ("stockitem", 5)),
    ('{"stocklocation": 3}', ("stocklocation", 3)), ('{"supplierpart": 7}', ("supplierpart", 7)),
    ('{"part": {"id": 12, "name": "R"}}', ("part", 12)),
    ("INV-PA12", ("part", 12)), ("INV-SI5", ("stockitem", 5)), ("INV-SL3", ("stocklocation", 3)),
    ("INV-SP7", ("supplierpart", 7)), ("inv-pa12", ("part", 12)), ('{"PART": 12}', ("part", 12)),
])
def test_inventree_labels(text, expected):
    assert parse_inventree(text) == expected


@pytest.mark.parametrize("text", [
    '{"part": 1e999}', '{"part": -1}', '{"part": 0}', '{"part": "1 OR 1=1"}', '{"part": true}',
    '{"part": 1.5}', '{"part": 12, "stockitem": 3}', '{"company": 1}', "[" * 10000 + "]" * 10000,
    '{"part":' * 3000, '{"part": 99999999999999999999999}', "INV-XX12", "INV-PA", "SELECT * FROM part",
])
def test_hostile_inventree_json_is_not_a_code(text):
    assert parse_inventree(text) is None
    assert parse_internal(text, "SS") is None


@hsettings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parsers_of_internal_codes_never_raise(text):
    parse_internal(text, "SS")
    parse_inventree(text)
