"""SQLite writers take turns on a lock file (database.write_queue.QueuedConnection), not in SQLite's busy sleep.

These run on SQLite whatever TEST_DATABASE_URL says: the queue exists only for SQLite files.
"""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from database import write_queue
from database.write_queue import QueuedConnection


def connect(path, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection as the app's engine makes it."""
    connection = sqlite3.connect(path, timeout=timeout, factory=QueuedConnection, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    return connection


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "queue.db"
    with connect(path) as setup:
        setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)")
    return path


def test_a_waiting_writer_goes_in_after_the_first_commits_and_both_rows_are_kept(db_path):
    first, second = connect(db_path), connect(db_path)
    first.execute("INSERT INTO t (who) VALUES ('first')")  # holds the queue until it commits
    done = threading.Event()

    def write_second():
        second.execute("INSERT INTO t (who) VALUES ('second')")
        second.commit()
        done.set()

    thread = threading.Thread(target=write_second)
    thread.start()
    assert not done.wait(0.3), "the second writer must wait for the first"
    assert second.execute("SELECT count(*) FROM t").fetchone() == (0,)  # readers never wait
    first.commit()
    assert done.wait(3)
    thread.join()
    assert [who for (who,) in first.execute("SELECT who FROM t ORDER BY id")] == ["first", "second"]


def test_a_rolled_back_or_failed_write_lets_the_next_writer_in_at_once(db_path):
    first, second = connect(db_path), connect(db_path)
    first.execute("INSERT INTO t (who) VALUES ('undone')")
    first.rollback()
    with pytest.raises(sqlite3.OperationalError):
        first.execute("INSERT INTO missing_table VALUES (1)")
    started = time.monotonic()
    second.execute("INSERT INTO t (who) VALUES ('next')")
    second.commit()
    assert time.monotonic() - started < 2, "the queue was not given up (a writer would wait the 5 s timeout)"
    assert first.execute("SELECT who FROM t").fetchall() == [("next",)]


def test_a_stuck_writer_holds_others_only_until_the_busy_timeout(db_path, monkeypatch):
    monkeypatch.setattr(write_queue, "BUSY_TIMEOUT_S", 0.5)
    stuck, waiting = connect(db_path), connect(db_path, timeout=0.5)
    stuck.execute("INSERT INTO t (who) VALUES ('stuck')")  # never commits
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        waiting.execute("INSERT INTO t (who) VALUES ('waiting')")
    assert time.monotonic() - started < 3  # bounded: the queue gives up, then SQLite's own timeout
    stuck.rollback()
