"""SQLite's write queue: writers take turns on a lock file beside the database (see QueuedConnection)."""
from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import time

BUSY_TIMEOUT_S = 5.0
# Statements that take SQLite's write lock (or start a transaction that holds it).
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|BEGIN\s+(IMMEDIATE|EXCLUSIVE))\b", re.I)
_QUEUE_POLL_S = 0.0002


class QueuedConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions queue on a lock file beside the database.

    SQLite lets one writer in at a time; a worker that finds the write lock taken sleeps in steps
    of 1, 2, 5, 10 ms... (its busy handler) and may sleep long after the lock is free. Under load
    that sleeping, not the writing, is what the slowest scans wait for. Here a writer first takes an
    flock on `<database>-writequeue`, polling every 0.2 ms, and holds it until its transaction ends,
    so writers take turns within a fraction of a millisecond. The queue is only advisory: after the
    busy timeout a writer goes on and SQLite's own lock decides, so a stuck process cannot hang
    the others, and tools that do not queue (the sqlite3 shell) are still safe.
    """

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        path = os.fspath(database)
        real_file = path and path != ":memory:" and not path.startswith("file:")
        self._queue_path = f"{path}-writequeue" if real_file else None
        self._queue_fd: int | None = None
        self._queued = False

    def cursor(self, factory=None):
        """A cursor whose writes queue first (see the class)."""
        return super().cursor(factory or QueuedCursor)

    def execute(self, sql, *args):
        """Connection.execute, queued like a cursor's."""
        return self.cursor().execute(sql, *args)

    def executemany(self, sql, *args):
        """Connection.executemany, queued like a cursor's."""
        return self.cursor().executemany(sql, *args)

    def commit(self):
        """Commit, then let the next writer in."""
        try:
            super().commit()
        finally:
            self.leave_queue()

    def rollback(self):
        """Roll back, then let the next writer in."""
        try:
            super().rollback()
        finally:
            self.leave_queue()

    def close(self):
        """Close the connection and its queue file."""
        try:
            super().close()
        finally:
            self.leave_queue()
            if self._queue_fd is not None:
                os.close(self._queue_fd)
                self._queue_fd = None

    def join_queue(self, sql: str) -> None:
        """Wait for our turn before a statement that writes (bounded by the busy timeout)."""
        if self._queued or self._queue_path is None or not _WRITES.match(sql):
            return
        if self._queue_fd is None:
            self._queue_fd = os.open(self._queue_path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                fcntl.flock(self._queue_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._queued = True
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return  # let SQLite's busy timeout decide
                time.sleep(_QUEUE_POLL_S)

    def leave_queue(self) -> None:
        """Give up our turn once no transaction is open."""
        if self._queued and not self.in_transaction:
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)
            self._queued = False


class QueuedCursor(sqlite3.Cursor):
    """A cursor that joins its connection's write queue before a writing statement."""

    def execute(self, sql, *args):
        """Cursor.execute after waiting for our turn to write, when the statement writes."""
        self.connection.join_queue(sql)
        try:
            return super().execute(sql, *args)
        finally:
            self.connection.leave_queue()  # a statement run outside a transaction has ended

    def executemany(self, sql, *args):
        """Cursor.executemany after waiting for our turn to write."""
        self.connection.join_queue(sql)
        try:
            return super().executemany(sql, *args)
        finally:
            self.connection.leave_queue()
