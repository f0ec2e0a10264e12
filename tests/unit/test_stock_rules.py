"""The stock actions' small rules, without HTTP: quantities, typed counts, the location tree, CSV cells."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from models import StockLocation
from services.stock.common import StockError, check_location_move, fmt_quantity, is_within, parse_quantity
from services.stock.count import _category, _cell, is_quantity_input


@pytest.mark.parametrize("text, expected", [("10", Decimal(10)), (" 2.5 ", Decimal("2.5")), ("0,25", Decimal("0.25")),
                                            (7, Decimal(7)), ("0", Decimal(0))])
def test_quantities_people_type_are_read(text, expected):
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text, message", [("-1", "below zero"), ("ten", "not a number"), ("NaN", "finite"),
                                           ("1e30", "too large"), ("0.000001", "five decimals"), (True, "number")])
def test_bad_quantities_say_why(text, message):
    with pytest.raises(StockError, match=message):
        parse_quantity(text)


def test_zero_can_be_refused():
    with pytest.raises(StockError, match="more than zero"):
        parse_quantity("0", allow_zero=False)


@given(st.text(max_size=50))
def test_parse_quantity_never_raises_anything_but_stock_error(text):
    try:
        assert parse_quantity(text) >= 0
    except StockError:
        pass


def test_quantities_print_without_trailing_zeros():
    assert (fmt_quantity(Decimal("10.00000")), fmt_quantity(Decimal("2.50")), fmt_quantity(None)) == ("10", "2.5", "")


@pytest.mark.parametrize("text, is_quantity", [("12", True), ("1.5", True), ("123456", True), ("1234567", False),
                                               ("SSI12X", False), ("12a", False), ("", False), ("4006381333931", False)])
def test_short_numbers_in_a_count_are_quantities_not_barcodes(text, is_quantity):
    assert is_quantity_input(text) is is_quantity


def _tree():
    store = StockLocation(id=1, name="Store")
    shelf = StockLocation(id=2, name="Shelf", parent=store)
    bin_ = StockLocation(id=3, name="Bin", parent=shelf)
    other = StockLocation(id=4, name="Other", parent=store)
    return store, shelf, bin_, other


def test_a_location_cannot_go_into_itself_or_its_child():
    store, shelf, bin_, other = _tree()
    assert is_within(bin_, store) and not is_within(store, bin_)
    with pytest.raises(StockError, match="own child"):
        check_location_move(store, bin_)
    with pytest.raises(StockError, match="inside itself"):
        check_location_move(shelf, shelf)
    check_location_move(bin_, other)  # a sibling branch is fine


@pytest.mark.parametrize("expected, counted, scanned, category", [
    (Decimal(5), Decimal(5), True, "matched"), (Decimal(5), Decimal(4), True, "difference"),
    (Decimal(5), None, False, "missing"), (Decimal(5), None, True, "found"), (Decimal(5), Decimal(0), True, "missing"),
    (None, Decimal(1), True, "unexpected"), (None, None, True, "unexpected"), (Decimal(0), Decimal(0), True, "matched"),
])
def test_count_categories(expected, counted, scanned, category):
    assert _category(expected, counted, scanned) == category


@pytest.mark.parametrize("text, cell", [("=1+1", "'=1+1"), ("+A1", "'+A1"), ("@SUM", "'@SUM"), ("-2", "'-2"),
                                        ("Resistor", "Resistor"), ("", "")])
def test_csv_cells_cannot_run_as_formulas(text, cell):
    assert _cell(text) == cell
