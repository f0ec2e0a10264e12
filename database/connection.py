"""Connection setup for every engine the app creates: SQLite pragmas, engine options, the write lock."""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

from database import checkpoints
from database.write_queue import BUSY_TIMEOUT_S, QueuedConnection

_installed = False


def engine_options(db_url: str) -> dict:
    """SQLAlchemy engine options suited to the database in use."""
    if db_url.startswith("sqlite"):
        # Writers queue on a lock file (write_queue.py); the busy timeout bounds how long they wait.
        return {"connect_args": {"timeout": BUSY_TIMEOUT_S, "check_same_thread": False, "factory": QueuedConnection}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        setup_sqlite(dbapi_connection)


def setup_sqlite(dbapi_connection: sqlite3.Connection) -> None:
    """Switch on WAL and foreign keys for a SQLite connection, and hand its checkpoints over."""
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while one writer writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
    checkpoints.configure(dbapi_connection)


def install_pragmas() -> None:
    """Register the SQLite connect hook once per process."""
    global _installed
    if not _installed:
        event.listen(Engine, "connect", _sqlite_pragmas)
        _installed = True


def take_sqlite_write_lock() -> None:
    """On SQLite, open the session's transaction with BEGIN IMMEDIATE; elsewhere do nothing.

    pysqlite sends BEGIN only before the first write, so a SAVEPOINT would start (and its RELEASE
    commit) the outer transaction behind the caller's back, and SQLite ignores FOR UPDATE: two
    workers could both read a row and the second write would silently win. Taking the write lock
    first makes a concurrent writer wait, then see the first one's result.
    """
    from extensions import db

    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
