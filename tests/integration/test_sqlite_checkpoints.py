"""SQLite WAL checkpoints run on a background thread in the web server's worker processes (database/checkpoints.py).

These run on SQLite whatever TEST_DATABASE_URL says: only SQLite files have a WAL to checkpoint.
"""
from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import create_engine, text

from database import checkpoints
from database.connection import install_pragmas


@pytest.fixture
def engine(tmp_path):
    install_pragmas()
    made = create_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with made.begin() as connection:
        connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)"))
    made.dispose()
    yield made
    made.dispose()
    checkpoints.disable()


def autocheckpoint(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("PRAGMA wal_autocheckpoint")).scalar_one()


def test_without_enable_requests_checkpoint_as_sqlite_does(engine, tmp_path):
    assert autocheckpoint(engine) == 1000
    assert checkpoints.checkpointer(str(tmp_path / "wal.db")) is None


def test_enabled_the_thread_checkpoints_what_requests_commit(engine, tmp_path):
    checkpoints.enable()
    assert autocheckpoint(engine) == checkpoints.BACKSTOP_PAGES
    path = str(tmp_path / "wal.db")
    thread = checkpoints.checkpointer(path)
    assert thread is not None and thread.is_alive()
    for batch in range(20):  # 20 commits, each several pages: requests alone would not checkpoint
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO t (payload) VALUES (:p)"), [{"p": "x" * 2000}] * 10)
    assert os.path.getsize(path + "-wal") > 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        last = thread.last
        if last is not None and last[1] > 0 and last[1] == last[2]:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the WAL was not checkpointed in the background: {thread.last}")
    with engine.connect() as connection:  # nothing was lost on the way
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 200


def test_disable_stops_the_thread(engine, tmp_path):
    checkpoints.enable()
    autocheckpoint(engine)
    thread = checkpoints.checkpointer(str(tmp_path / "wal.db"))
    checkpoints.disable()
    thread.join(timeout=5)
    assert not thread.is_alive()
    engine.dispose()
    assert autocheckpoint(engine) == 1000
