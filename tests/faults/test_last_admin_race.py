"""Two admins demote (or deactivate) each other at the same moment, on the real server with several
workers: one wins, the other is told it would leave no admin, and an active admin always remains.

A third connection holds the database's write lock while both requests are sent, so both have
checked "is there another admin?" before either may write: the race happens every round instead
of now and then. The fix (the admins locked and re-checked in the transaction) makes the second
request wait for the first and then see that it is the last admin.
"""
from __future__ import annotations

import asyncio
import sqlite3
import time
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from bench.serving import Server, cookie_header, fetch, sign_in
from extensions import db
from models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow
# (what admin1 does to admin2, what admin2 does to admin1), one round each.
ROUNDS = [("role", "role"), ("deactivate", "deactivate"), ("role", "deactivate"), ("role", "role")]


@pytest.fixture
def admins(app, users):
    """The `admin` user and a second admin, as (id, name) pairs."""
    second = User(username="admin2", role="admin")
    second.set_password(PASSWORD)
    db.session.add(second)
    db.session.commit()
    return [(users["admin"].id, "admin"), (second.id, "admin2")]


@pytest.fixture
def server(admins, database_url, tmp_path):
    """The real server with three worker processes on the test database."""
    running = Server(database_url, workers=3, log_path=tmp_path / "server.log")
    running.start()
    yield running
    running.stop()


@contextmanager
def write_lock_held(database_url: str):
    """Hold the database's write lock (readers go on) from a connection of the test's own; yields a
    function that waits until `n` app requests are blocked behind it (PostgreSQL) or a while (SQLite)."""
    if database_url.startswith("sqlite"):
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            # SQLite cannot say who waits; the app's writers wait up to 5 s (busy timeout) for it.
            yield lambda n: time.sleep(2.5)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(database_url)
    with engine.connect() as holder:
        holder.execute(text('LOCK TABLE "user" IN SHARE ROW EXCLUSIVE MODE'))  # blocks writes, not reads

        def wait_for(n: int) -> None:
            deadline = time.monotonic() + 60
            with engine.connect() as probe:
                while time.monotonic() < deadline:
                    waiting = probe.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                                "current_database() AND wait_event_type = 'Lock'"))
                    if waiting >= n:
                        return
                    probe.rollback()  # pg_stat_activity is a snapshot per transaction: take a new one
                    time.sleep(0.05)
            raise AssertionError(f"{n} requests never queued behind the lock")

        try:
            yield wait_for
        finally:
            holder.rollback()
    engine.dispose()


def _reset(admins) -> None:
    """Both accounts active admins again, between rounds."""
    db.session.remove()
    for user_id, _ in admins:
        user = db.session.get(User, user_id)
        user.role, user.active = "admin", True
    db.session.commit()


def test_two_admins_cannot_demote_each_other(app, admins, server, database_url):
    async def session(name):
        jar, csrf = await sign_in(server.port, name, PASSWORD)
        return {"Cookie": cookie_header(jar), "X-CSRFToken": csrf, "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded"}

    def request(action: str, target_id: int):
        if action == "role":
            return f"/admin/users/{target_id}/role", urlencode({"role": "operator"}).encode()
        return f"/admin/users/{target_id}/deactivate", b""

    async def one_round(actions):
        sessions = [await session(name) for _, name in admins]  # fresh: deactivation ends sessions
        targets = [admins[1][0], admins[0][0]]
        with write_lock_held(database_url) as wait_for:
            pending = []
            for action, target, headers in zip(actions, targets, sessions):
                path, body = request(action, target)
                pending.append(asyncio.ensure_future(fetch(server.port, "POST", path, headers, body, timeout=60)))
            await asyncio.to_thread(wait_for, 2)
        return await asyncio.gather(*pending)

    for actions in ROUNDS:
        _reset(admins)
        answers = asyncio.run(one_round(actions))
        statuses = sorted(answer.status for answer in answers)
        assert statuses == [200, 422], (actions, statuses, [a.body[:300] for a in answers])
        loser = next(a for a in answers if a.status == 422).body.decode()
        assert "last active admin" in loser, loser
        db.session.remove()
        left = db.session.scalars(db.select(User).where(User.role == "admin", User.active.is_(True))).all()
        assert len(left) == 1, (actions, [(u.username, u.role, u.active) for u in left])
