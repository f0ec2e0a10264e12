"""Prepared statements give the values SQLAlchemy's Core gives, in the session's transaction, and
keep what SQLAlchemy's execution does around the driver (listeners, wrapped errors)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, column, event, exc, literal, select, table

from extensions import db
from models import Part, ScanLog, StockItem, StockLocation, utcnow
from database.prepared import Prepared

ITEM, PART = StockItem.__table__, Part.__table__


@pytest.fixture
def item(app):
    """A stock item with a quantity, an expiry date, a null serial and timestamps."""
    shelf = StockLocation(name="Shelf")
    part = Part(name="Op-amp", ipn="U-741", description="", units="pcs", active=False)
    row = StockItem(part=part, location=shelf, quantity=Decimal("12.50000"), expiry_date=dt.date(2027, 3, 1),
                    batch="B1")
    db.session.add_all([shelf, part, row])
    db.session.commit()
    return row


def test_rows_hold_the_same_typed_values_as_core_gives(item):
    statement = (select(ITEM, PART.c.active, PART.c.name.label("part_name"), literal(7).label("seven"))
                 .join_from(ITEM, PART, PART.c.id == ITEM.c.part_id).where(ITEM.c.id == bindparam("pk")))
    expected = db.session.execute(statement, {"pk": item.id}).first()
    got = Prepared(statement).first({"pk": item.id})
    assert tuple(got) == tuple(expected)
    assert got.quantity == Decimal("12.5") and isinstance(got.quantity, Decimal)
    assert got.expiry_date == dt.date(2027, 3, 1) and isinstance(got.updated_at, dt.datetime)
    assert got.active is False and got.serial is None and got.part_name == "Op-amp" and got.seven == 7


def test_no_row_is_none_and_all_lists_every_row(item):
    by_pk = Prepared(select(PART.c.name).where(PART.c.id == bindparam("pk")))
    assert by_pk.first({"pk": item.part_id + 1000}) is None
    names = Prepared(select(PART.c.name).where(PART.c.id >= bindparam("low")).order_by(PART.c.id))
    assert [row.name for row in names.all({"low": 0})] == ["Op-amp"]


def test_an_insert_is_part_of_the_session_transaction_and_stored_as_the_orm_stores_it(app):
    log = ScanLog.__table__
    insert = Prepared(log.insert().values({c: bindparam(c.key) for c in log.c if c.key != "id"}).returning(log.c.id))
    now = utcnow().replace(microsecond=0)  # no microseconds: the text form must still be SQLAlchemy's
    values = {c.key: "" for c in log.c if c.key != "id"}
    values.update(created_at=now, user_id=None, object_id=None, raw=b"\x00\xff", result="match", duration_ms=1.5)
    row_id = insert.scalar(values)
    db.session.rollback()
    assert db.session.get(ScanLog, row_id) is None, "rolled back with the session"
    row_id = insert.scalar(values)
    db.session.commit()
    stored = db.session.get(ScanLog, row_id)
    assert stored.raw == b"\x00\xff" and stored.duration_ms == 1.5
    assert stored.created_at.replace(tzinfo=None) == now.replace(tzinfo=None)
    assert db.session.scalar(select(ScanLog.id).where(ScanLog.created_at == now)) == row_id


def test_cursor_listeners_see_the_statement_and_its_parameters(item):
    seen, part_id = [], item.part_id

    def capture(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        Prepared(select(PART.c.name).where(PART.c.id == bindparam("pk"))).first({"pk": part_id})
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert len(seen) == 1 and "FROM part" in seen[0][0]
    assert part_id in (seen[0][1].values() if isinstance(seen[0][1], dict) else seen[0][1])


def test_driver_errors_are_sqlalchemy_errors_and_the_session_recovers(app):
    missing = Prepared(select(column("x")).select_from(table("no_such_table")))
    with pytest.raises(exc.DBAPIError) as raised:
        missing.first()
    assert "no_such_table" in str(raised.value)
    db.session.rollback()
    assert Prepared(select(literal(1).label("one"))).scalar() == 1


def test_a_missing_value_and_an_in_list_are_refused(app):
    with pytest.raises(KeyError, match="pk"):
        Prepared(select(PART.c.name).where(PART.c.id == bindparam("pk"))).first({})
    with pytest.raises(KeyError, match="no value for bind parameter"):  # column defaults are not run: give all
        Prepared(ScanLog.__table__.insert().values(result=bindparam("result"))).first({"result": "match"})
    with pytest.raises(TypeError, match="expanding"):
        Prepared(select(PART.c.name).where(PART.c.id.in_(bindparam("ids", expanding=True)))).all({"ids": [1]})
