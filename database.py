"""Database connection setup shared by every engine the app creates."""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

_installed = False


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Switch on WAL and foreign keys for every SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while one writer writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def install_pragmas() -> None:
    """Register the SQLite connect hook once per process."""
    global _installed
    if not _installed:
        event.listen(Engine, "connect", _sqlite_pragmas)
        _installed = True
