"""Counting, adding and removing several stock items at once (services/stock/adjust_many.py), as the API does it."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extensions import db
from models import ScanLog, StockItem, StockTracking
from services.stock import StockError, adjust_many
from services.stock.common import InputError
from services.stock.lines import Line
from tests.integration.test_stock_data import make_store


@pytest.fixture
def shop(app, users):
    return make_store(item_count=3)


def _state(item_id):
    db.session.expire_all()
    item = db.session.get(StockItem, item_id)
    return item.quantity, item.status


def _tracking():
    return db.session.execute(db.select(StockTracking.stock_item_id, StockTracking.action,
                                        StockTracking.quantity_before, StockTracking.quantity_after,
                                        StockTracking.scan_log_id)).all()


def test_each_change_is_tracked_under_one_scan_log_row(shop, users):
    a, b = shop.items[0], shop.items[1]
    adjust_many.adjust("count", [Line(a.id, "90"), Line(b.id, 101.5)], notes="stocktake", user_id=users["operator"].id)
    assert _state(a.id) == (Decimal(90), "ok") and _state(b.id)[0] == Decimal("101.5")
    log = db.session.execute(db.select(ScanLog)).scalar_one()
    assert (log.source, log.action, log.object_type, log.object_id, log.user_id) == (
        "api", "count", "stockitem", a.id, users["operator"].id)
    assert _tracking() == [(a.id, "counted", Decimal(100), Decimal(90), log.id),
                           (b.id, "counted", Decimal(101), Decimal("101.5"), log.id)]


@pytest.mark.parametrize("kind, quantity, after", [("add", "5", Decimal(105)), ("remove", "100", Decimal(0))])
def test_add_and_remove(shop, users, kind, quantity, after):
    item = shop.items[0]
    adjust_many.adjust(kind, [Line(item.id, quantity)], user_id=None)
    assert _state(item.id)[0] == after and _tracking()[0][1] == {"add": "added", "remove": "removed"}[kind]


@pytest.mark.parametrize("kind, line, field, index", [
    ("remove", Line(0, "102"), "quantity", 1),
    ("add", Line(0, "0"), "quantity", 1),
    ("count", Line(0, "-1"), "quantity", 1),
    ("count", Line(0, "1e400"), "quantity", 1),
    ("count", Line(0, [1]), "quantity", 1),
    ("count", Line(99999, "1"), "pk", 1),
    ("count", Line(0, "1", status=55), "status", 1),
    ("count", Line(0, "1", batch="B9"), "batch", 1),
])
def test_a_refused_line_names_its_field_and_nothing_is_written(shop, users, kind, line, field, index):
    first, second = shop.items[0], shop.items[1]
    second_line = Line(line.pk or second.id, line.quantity, line.status, line.batch)
    with pytest.raises(InputError) as refused:
        adjust_many.adjust(kind, [Line(first.id, "1"), second_line], user_id=None)
    assert (refused.value.field, refused.value.index) == (field, index)
    assert _state(first.id)[0] == Decimal(100) and _tracking() == []
    assert db.session.execute(db.select(ScanLog)).first() is None


def test_a_line_twice_an_empty_list_and_gone_items_are_refused(shop, users):
    item = shop.items[0]
    with pytest.raises(InputError, match="twice"):
        adjust_many.adjust("count", [Line(item.id, "1"), Line(item.id, "2")], user_id=None)
    with pytest.raises(StockError, match="must be provided"):
        adjust_many.adjust("add", [], user_id=None)
    item.status = "lost"
    db.session.commit()
    with pytest.raises(StockError, match="marked lost"):
        adjust_many.adjust("add", [Line(item.id, "1")], user_id=None)


def test_counting_a_missing_item_finds_it_and_a_serialised_item_holds_one(shop, users):
    item, serial = shop.items[0], shop.items[1]
    item.status = "missing"
    serial.serial, serial.quantity = "SN1", Decimal(1)
    db.session.commit()
    adjust_many.adjust("count", [Line(item.id, "7")], user_id=None)
    assert _state(item.id) == (Decimal(7), "ok")
    with pytest.raises(StockError, match="serialised"):
        adjust_many.adjust("add", [Line(serial.id, "1")], user_id=None)
    adjust_many.adjust("count", [Line(serial.id, "0")], user_id=None)
    assert _state(serial.id)[0] == Decimal(0)
