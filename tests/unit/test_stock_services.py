"""The stock services called directly (real database, no HTTP): sessions, undo conflicts, receiving twice."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extensions import db
from models import ScanLog, ScanSession, StockItem, StockLocation
from services.stock import ConflictError, StockError, move, receive, sessions, undo
from services.stock.common import InputError
from services.stock.lines import Line
from tests.integration.test_stock_data import DIGIKEY, code, make_store


@pytest.fixture
def shop(app, users):
    return make_store(item_count=3)


def test_a_scan_names_what_went_wrong(shop, users):
    session = sessions.start(shop.shelf_b.id, "move", user_id=users["operator"].id)
    outcomes = [sessions.stage_scan(session, text, user_id=None)
                for text in (code(shop.items[0]), code(shop.items[0]), code(shop.items[-1]), code(shop.lm358),
                             code(shop.shelf_b), code(shop.store), "]C1garbage")]
    assert [o.kind for o in outcomes] == ["accepted", "duplicate", "already_here", "wrong_type", "already_here",
                                          "cycle", "no_match"]
    assert [o.level for o in outcomes] == ["accepted", "warning", "warning", "error", "warning", "error", "error"]
    with pytest.raises(StockError, match="Nothing was scanned"):
        sessions.stage_scan(session, "   ", user_id=None)


def test_undo_refuses_when_an_item_moved_again_and_changes_nothing(shop, users):
    uid = users["operator"].id
    session = sessions.start(shop.shelf_b.id, "move", user_id=uid)
    for item in shop.items[:2]:
        sessions.stage_scan(session, code(item), user_id=uid)
    assert sessions.commit(session, user_id=uid) == 2
    move.scan_into_location(shop.items[1].id, code(shop.bin_1), user_id=uid)
    with pytest.raises(ConflictError, match="moved again"):
        undo.undo(session, user_id=uid)
    db.session.expire_all()
    assert db.session.get(StockItem, shop.items[0].id).location_id == shop.shelf_b.id
    assert db.session.get(ScanSession, session.id).status == "committed"


def test_a_sub_location_move_is_undone_too(shop, users):
    session = sessions.start(shop.shelf_b.id, "move", user_id=None)
    sessions.stage_location(session, shop.bin_1.id, user_id=None)
    sessions.commit(session, user_id=None)
    assert db.session.get(StockLocation, shop.bin_1.id).parent_id == shop.shelf_b.id
    undo.undo(session, user_id=None)
    assert db.session.get(StockLocation, shop.bin_1.id).parent_id == shop.shelf_a.id


def test_a_staged_item_moved_meanwhile_is_refreshed_by_scanning_it_again(shop, users):
    session = sessions.start(shop.shelf_b.id, "move", user_id=None)
    sessions.stage_scan(session, code(shop.items[0]), user_id=None)
    move.scan_into_location(shop.items[0].id, code(shop.bin_1), user_id=None)
    with pytest.raises(ConflictError):
        sessions.commit(session, user_id=None)
    again = sessions.stage_scan(session, code(shop.items[0]), user_id=None)
    assert "moved meanwhile" in again.message
    assert sessions.commit(session, user_id=None) == 1


def test_receiving_the_same_label_twice_makes_one_item(shop, users):
    first = receive.receive(DIGIKEY, user_id=None, location_id=shop.bin_1.id)
    assert first.quantity == Decimal(10) and first.supplier_part_id == shop.lm358.id
    with pytest.raises(receive.AlreadyReceived) as warning:
        receive.receive(DIGIKEY, user_id=None, location_id=shop.bin_1.id)
    assert warning.value.item.id == first.id
    wedge = DIGIKEY.replace("\x1d", "").replace("\x1e", "").replace("\x04", "")  # a scanner that drops separators
    with pytest.raises(receive.AlreadyReceived):
        receive.inspect(wedge)
    assert db.session.scalar(db.select(db.func.count()).select_from(StockItem)) == 5


def test_a_transfer_is_all_or_nothing(shop, users):
    good, also_good = shop.items[0], shop.items[1]
    with pytest.raises(InputError, match="Only 101") as refused:
        move.transfer(shop.shelf_b.id, [Line(good.id), Line(also_good.id, quantity=500)], user_id=None)
    assert (refused.value.index, refused.value.field) == (1, "quantity")  # the second line's quantity
    db.session.expire_all()
    assert db.session.get(StockItem, good.id).location_id == shop.shelf_a.id
    assert db.session.execute(db.select(ScanLog)).first() is None
