"""SQLite WAL checkpoints on a background thread, so no request waits for the fsyncs they make.

By default the connection whose commit pushes the WAL past 1000 pages copies it back into the
database file and fsyncs both, inside that request: on a busy server that is a stall every hundred
or so scans, and the slowest scans are those. Each worker process of the web server calls `enable()`
before it loads the app (server/worker.py); from then on each SQLite connection it opens leaves
checkpoints to one thread per database file, which runs a PASSIVE checkpoint (it never waits for,
or blocks, a reader or a writer) every INTERVAL_S. Requests keep a backstop: should the thread
stall, the WAL is still checkpointed once it reaches BACKSTOP_PAGES. Durability is unchanged: a
commit is in the WAL either way.
"""
from __future__ import annotations

import logging
import sqlite3
import threading

logger = logging.getLogger(__name__)

INTERVAL_S = 0.5
BACKSTOP_PAGES = 10_000  # about 40 MB of WAL with 4 KiB pages

_enabled = False
_lock = threading.Lock()
_threads: dict[str, "Checkpointer"] = {}


class Checkpointer(threading.Thread):
    """A daemon thread checkpointing one database file's WAL every INTERVAL_S."""

    def __init__(self, path: str):
        super().__init__(name=f"wal-checkpoint {path}", daemon=True)
        self.path = path
        self.runs = 0
        self.last: tuple[int, int, int] | None = None  # (busy, frames in WAL, frames checkpointed)
        self._stopping = threading.Event()

    def run(self) -> None:
        """Checkpoint until stopped; errors are logged and the next round tries again."""
        # A plain connection (not database.QueuedConnection): a checkpoint takes no write lock.
        connection = sqlite3.connect(self.path, timeout=0, check_same_thread=False)
        try:
            while not self._stopping.wait(INTERVAL_S):
                try:
                    self.last = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.runs += 1
                except sqlite3.Error as error:
                    logger.warning("WAL checkpoint of %s failed: %s", self.path, error)
        finally:
            connection.close()

    def stop(self) -> None:
        """Ask the thread to end after its current round."""
        self._stopping.set()


def enable() -> None:
    """Checkpoint SQLite databases in the background in this process (call it after forking)."""
    global _enabled
    _enabled = True


def configure(dbapi_connection: sqlite3.Connection) -> None:
    """For a new SQLite connection: when enabled, leave checkpoints to its file's thread."""
    if not _enabled:
        return
    main = [row[2] for row in dbapi_connection.execute("PRAGMA database_list") if row[1] == "main"]
    if not main or not main[0]:
        return  # an in-memory or temporary database has no WAL to checkpoint
    dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
    with _lock:
        thread = _threads.get(main[0])
        if thread is None or not thread.is_alive():
            thread = _threads[main[0]] = Checkpointer(main[0])
            thread.start()


def checkpointer(path: str) -> Checkpointer | None:
    """The running thread for a database file, if any (for tests and diagnostics)."""
    return _threads.get(path)


def disable() -> None:
    """Stop every thread and go back to checkpointing in requests (for tests)."""
    global _enabled
    _enabled = False
    with _lock:
        for thread in _threads.values():
            thread.stop()
        _threads.clear()
