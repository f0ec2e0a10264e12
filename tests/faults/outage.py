"""Ways to take the database away from a running app and give it back, without touching the server.

SQLite: another connection holds the write lock (past the app's busy timeout). PostgreSQL: the app
talks to the server through a TCP relay that can be cut and restored, so the shared PostgreSQL server
keeps running for everyone else while this app sees it vanish (refused connections, dropped sockets).
"""
from __future__ import annotations

import socket
import sqlite3
import threading
from contextlib import contextmanager

from sqlalchemy.engine import make_url


class Relay:
    """A TCP relay from 127.0.0.1:<port> to a database server; `cut()` drops everything, `restore()` listens again."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = _free_port()
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def restore(self) -> None:
        """Start accepting connections (again)."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Stop listening and reset every open connection, as a crashed server would."""
        with self._lock:
            if self._listener is not None:
                # shutdown() wakes the thread blocked in accept(); close() alone would leave it listening.
                _close(self._listener)
                self._listener = None
            for sock in self._sockets:
                _close(sock)
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(a, b), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    while True:
        try:
            chunk = source.recv(65536)
            if not chunk:
                break
            sink.sendall(chunk)
        except OSError:
            break
    _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def relayed_url(url: str, relay: Relay) -> str:
    """The same database URL, reached through the relay."""
    return make_url(url).set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)


def relay_for(url: str) -> Relay:
    """A relay in front of the server of a PostgreSQL URL."""
    parsed = make_url(url)
    return Relay(parsed.host or "localhost", parsed.port or 5432)


@contextmanager
def sqlite_write_lock(path: str):
    """Hold SQLite's write lock from another connection, as a long-running writer would."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()
