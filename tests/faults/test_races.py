"""Two operators at the same moment, on the real server with several worker processes: linking the same
barcode, or moving more of one stock item than there is. One wins; the other gets a clear message."""
from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from flask import url_for

from bench.serving import Server, cookie_header, fetch, sign_in
from extensions import db
from models import Barcode, Part, StockItem, StockLocation, User
from services import tokens
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow
ROUNDS = 8


@pytest.fixture
def server(app, users, database_url, tmp_path):
    """The server with three worker processes on the test database, a second operator, and the objects."""
    second = User(username="operator2", role="operator")
    second.set_password(PASSWORD)
    db.session.add(second)
    db.session.commit()
    running = Server(database_url, workers=3, log_path=tmp_path / "server.log")
    running.start()
    yield running
    running.stop()


async def _htmx_session(port, username):
    jar, csrf = await sign_in(port, username, PASSWORD)
    return {"Cookie": cookie_header(jar), "X-CSRFToken": csrf, "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded"}


def test_two_operators_link_the_same_barcode(app, server):
    part = Part(name="Capacitor")
    location = StockLocation(name="Bin")
    db.session.add_all([part, location])
    db.session.flush()
    items = [StockItem(part=part, location=location, quantity=1) for _ in range(2)]
    db.session.add_all(items)
    db.session.commit()
    with app.test_request_context():
        urls = [url_for("barcode_links.link", object_type="stockitem", object_id=item.id) for item in items]

    async def race():
        sessions = [await _htmx_session(server.port, name) for name in ("operator", "operator2")]
        rounds = []
        for n in range(ROUNDS):
            body = urlencode({"barcode": f"RACE-LINK-{n}"}).encode()
            rounds.append(await asyncio.gather(*(fetch(server.port, "POST", url, headers, body)
                                                 for url, headers in zip(urls, sessions))))
        return rounds

    for n, answers in enumerate(asyncio.run(race())):
        statuses = sorted(a.status for a in answers)
        assert statuses == [200, 422], (n, statuses, [a.body[:300] for a in answers])
        loser = next(a for a in answers if a.status == 422).body.decode()
        assert "already linked" in loser
    db.session.remove()
    rows = db.session.execute(db.select(Barcode.data)).scalars().all()
    assert sorted(rows) == sorted(f"RACE-LINK-{n}" for n in range(ROUNDS))


def test_two_operators_move_more_of_an_item_than_there_is(app, server, users):
    part = Part(name="Screws M3")
    home, left, right = (StockLocation(name=name) for name in ("Home", "Left", "Right"))
    db.session.add_all([part, home, left, right])
    db.session.flush()
    items = [StockItem(part=part, location=home, quantity=Decimal(5)) for _ in range(ROUNDS)]
    db.session.add_all(items)
    second = db.session.execute(db.select(User).filter_by(username="operator2")).scalar_one()
    plain = [tokens.create(user, "race")[1] for user in (users["operator"], second)]
    db.session.commit()
    ids, targets, home_id = [item.id for item in items], (left.id, right.id), home.id

    async def race():
        rounds = []
        for item_id in ids:
            requests = []
            for token, target in zip(plain, targets):
                body = json.dumps({"location": target, "items": [{"pk": item_id, "quantity": 3}]}).encode()
                headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
                requests.append(fetch(server.port, "POST", "/api/stock/transfer/", headers, body))
            rounds.append(await asyncio.gather(*requests))
        return rounds

    for item_id, answers in zip(ids, asyncio.run(race())):
        statuses = sorted(a.status for a in answers)
        assert statuses == [201, 400], (item_id, statuses, [a.body[:300] for a in answers])
        loser = json.loads(next(a for a in answers if a.status == 400).body)
        assert "cannot be moved" in loser["error"], loser
    db.session.remove()
    for item_id in ids:
        item = db.session.get(StockItem, item_id)
        assert item.quantity == 2 and item.location_id == home_id
    moved = db.session.execute(db.select(StockItem).where(StockItem.location_id.in_(targets))).scalars().all()
    assert len(moved) == ROUNDS and all(item.quantity == 3 for item in moved)
