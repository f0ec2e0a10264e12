"""A pulled plug: the server (main process and workers) is SIGKILLed in the middle of a load of barcode links
and stock moves. After a restart, every request that was answered 2xx is in the database, nothing is
half-written, and the database passes its integrity check."""
from __future__ import annotations

import asyncio
import random
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from barcodes.internal import internal_code
from bench.serving import Server, cookie_header, fetch, sign_in
from extensions import db
from models import Barcode, Part, ScanLog, StockItem, StockLocation, StockTracking
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow
LINKERS, MOVERS, ITEMS_PER_MOVER = 4, 4, 4
URLS: dict[int, tuple[str, str]] = {}


def _seed() -> tuple[list[int], list[str], dict[int, str]]:
    """Locations, items to move and items to link to; returns ids, location codes and code->location."""
    locations = [StockLocation(name=f"Shelf {n}") for n in range(3)]
    part = Part(name="Resistor 10k")
    db.session.add_all([*locations, part])
    db.session.flush()
    items = [StockItem(part=part, location=locations[0], quantity=5) for _ in range(MOVERS * ITEMS_PER_MOVER + LINKERS)]
    db.session.add_all(items)
    db.session.commit()
    codes = {internal_code("stocklocation", loc.id): loc.id for loc in locations}
    return [item.id for item in items], list(codes), codes


def _urls(app, item_ids) -> dict[int, tuple[str, str]]:
    """item id -> (its link URL, its move URL), from the routes as they are registered."""
    from flask import url_for

    with app.test_request_context():
        return {i: (url_for("barcode_links.link", object_type="stockitem", object_id=i),
                    url_for("stock_actions.move_item", item_id=i)) for i in item_ids}


async def _linker(port, headers, item_id, tag, stop_at, acked):
    for n in range(100_000):
        if time.monotonic() > stop_at:
            return
        data = f"FAULT-{tag}-{n}"
        body = urlencode({"barcode": data}).encode()
        try:
            answer = await fetch(port, "POST", URLS[item_id][0], headers, body, timeout=10)
        except Exception:
            return  # the server is gone
        if answer.status == 200:
            acked.append((data, item_id))


async def _mover(port, headers, item_ids, codes, stop_at, acked):
    rng = random.Random(item_ids[0])
    for n in range(100_000):
        if time.monotonic() > stop_at:
            return
        item_id = item_ids[n % len(item_ids)]
        code = codes[(n // len(item_ids) + 1) % len(codes)]
        body = urlencode({"barcode": code}).encode()
        try:
            answer = await fetch(port, "POST", URLS[item_id][1], headers, body, timeout=10)
        except Exception:
            return
        if answer.status == 200:
            acked.append((item_id, code))
        await asyncio.sleep(rng.random() / 100)


async def _load_then_kill(server: Server, item_ids, codes, kill_after: float):
    jar, csrf = await sign_in(server.port, "operator", PASSWORD)
    headers = {"Cookie": cookie_header(jar), "X-CSRFToken": csrf, "HX-Request": "true",
               "Content-Type": "application/x-www-form-urlencoded"}
    links, moves = [], []
    stop_at = time.monotonic() + 60
    movers = [item_ids[i * ITEMS_PER_MOVER:(i + 1) * ITEMS_PER_MOVER] for i in range(MOVERS)]
    link_targets = item_ids[MOVERS * ITEMS_PER_MOVER:]
    tasks = [asyncio.create_task(_linker(server.port, headers, link_targets[i], i, stop_at, links)) for i in range(LINKERS)]
    tasks += [asyncio.create_task(_mover(server.port, headers, ids, codes, stop_at, moves)) for ids in movers]
    await asyncio.sleep(kill_after)
    server.kill()
    await asyncio.gather(*tasks)
    return links, moves


def test_sigkill_mid_load_loses_no_acknowledged_write(app, users, database_url, tmp_path):
    item_ids, codes, location_of = _seed()
    URLS.update(_urls(app, item_ids))
    db.session.remove()
    server = Server(database_url, workers=2, log_path=tmp_path / "server.log")
    server.start()
    try:
        links, moves = asyncio.run(_load_then_kill(server, item_ids, codes, kill_after=3.0))
    finally:
        server.kill()
    assert links and moves, f"the load did too little to prove anything: {len(links)} links, {len(moves)} moves"

    if database_url.startswith("sqlite"):
        engine = create_engine(database_url)
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        engine.dispose()

    db.session.remove()
    linked = {row.data: row for row in db.session.execute(db.select(Barcode)).scalars()}
    for data, item_id in links:
        assert data in linked and linked[data].object_id == item_id, f"acknowledged link {data} was lost"
    # Nothing half-written: every stored link has its scan-log row from the same transaction.
    logged = set(db.session.execute(db.select(ScanLog.data).where(ScanLog.action == "link")).scalars())
    assert set(linked) <= logged

    for item_id in {item for item, _ in moves}:
        acked = [code for item, code in moves if item == item_id]
        tracking = db.session.execute(
            db.select(StockTracking).filter_by(stock_item_id=item_id, action="moved").order_by(StockTracking.id)
        ).scalars().all()
        item = db.session.get(StockItem, item_id)
        # At most one more move than acknowledged: the one in flight when the plug was pulled.
        assert len(acked) <= len(tracking) <= len(acked) + 1, item_id
        assert [t.to_location_id for t in tracking[:len(acked)]] == [location_of[c] for c in acked]
        assert item.location_id == tracking[-1].to_location_id
        assert all(t.scan_log_id is not None for t in tracking)  # the move and its log row together

    restarted = Server(database_url, workers=1, log_path=tmp_path / "server-restart.log")
    restarted.start()
    try:
        assert asyncio.run(fetch(restarted.port, "GET", "/healthz")).status == 200
    finally:
        restarted.stop()
