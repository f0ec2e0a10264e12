"""Slow and idle clients, as phones on flaky Wi-Fi (or a slowloris) are: real sockets, held open.

Kinds of connection, each kept at its count for as long as `SlowClients.run()` runs:

- half-open: sends `GET / HTTP/1.1\\r\\nHost: x\\r\\n` and nothing more;
- trickling headers: a request line and then a header, one byte a second, never finished;
- trickling a body: complete headers of `POST /login` announcing a 4 KB form, then one byte a second;
- idle keep-alive: one complete request, its answer read, then silence (as a phone between scans).

When the server closes a slow connection, it is opened again at once (an attacker would), and how
long the server held it is recorded: that is the server's header or body timeout at work. Idle
keep-alive connections are not reopened; the count still open at the end says whether the server
keeps them. Used by bench/server_load.py and tests/faults/test_slow_clients.py.
"""
from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field

HALF_OPEN = b"GET / HTTP/1.1\r\nHost: x\r\n"
TRICKLE_HEAD = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Trickle: "
BODY_BYTES = 4096
TRICKLE_BODY = (b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: %d\r\n\r\nusername=" % BODY_BYTES)
IDLE_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
RECONNECT_PAUSE_S = 0.05  # after a refused or reset connection, so a dead server is not spun on


@dataclass
class Kind:
    """What happened to the connections of one kind."""

    wanted: int
    open: int = 0
    opened: int = 0
    failed: int = 0  # connects refused or timed out
    held: list[float] = field(default_factory=list)  # seconds the server kept each one it closed

    def summary(self) -> str:
        """`opened 212, closed by the server 12 after median 10.0 s`"""
        closed = f"closed by the server {len(self.held)}"
        if self.held:
            closed += f" after median {statistics.median(self.held):.1f} s"
        failed = f", failed connects {self.failed}" if self.failed else ""
        return f"opened {self.opened}, {closed}{failed}"


class SlowClients:
    """Keep the given numbers of slow connections open against 127.0.0.1:port (see the module)."""

    def __init__(self, port: int, half_open: int = 0, trickle_headers: int = 0, trickle_bodies: int = 0,
                 idle: int = 0, interval: float = 1.0):
        self.port = port
        self.interval = interval
        self.kinds = {"half-open": Kind(half_open), "trickling headers": Kind(trickle_headers),
                      "trickling bodies": Kind(trickle_bodies), "idle keep-alive": Kind(idle)}
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    @property
    def open(self) -> int:
        """Connections open right now, all kinds."""
        return sum(kind.open for kind in self.kinds.values())

    @property
    def wanted(self) -> int:
        """Connections asked for, all kinds."""
        return sum(kind.wanted for kind in self.kinds.values())

    async def start(self, settle_timeout: float = 10.0) -> None:
        """Open every connection; returns once all are open (or after settle_timeout)."""
        self._stop.clear()
        loops = {"half-open": self._half_open, "trickling headers": self._trickle_headers,
                 "trickling bodies": self._trickle_body, "idle keep-alive": self._idle}
        for name, kind in self.kinds.items():
            self._tasks += [asyncio.create_task(loops[name](kind)) for _ in range(kind.wanted)]
        deadline = time.monotonic() + settle_timeout
        while self.open < self.wanted and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        """Close every connection."""
        self._stop.set()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    def report(self) -> dict[str, str]:
        """One line per kind that was asked for."""
        return {name: kind.summary() for name, kind in self.kinds.items() if kind.wanted}

    async def _connect(self, kind: Kind, first: bytes):
        while not self._stop.is_set():
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.port), 10)
                writer.write(first)
                await writer.drain()
            except (OSError, asyncio.TimeoutError):
                kind.failed += 1
                await asyncio.sleep(RECONNECT_PAUSE_S)
                continue
            kind.opened += 1
            kind.open += 1
            return reader, writer
        raise asyncio.CancelledError

    async def _hold(self, kind: Kind, first: bytes, trickle: bytes | None) -> None:
        """Open, send `first`, then send `trickle` a byte per interval until the server closes."""
        while not self._stop.is_set():
            reader, writer = await self._connect(kind, first)
            started = time.monotonic()
            try:
                while True:
                    try:
                        # Anything the server sends (an error page) or EOF ends the wait.
                        if not await asyncio.wait_for(reader.read(65536), self.interval if trickle else None):
                            break
                    except asyncio.TimeoutError:
                        writer.write(trickle)
                        await writer.drain()
            except OSError:
                pass
            finally:
                kind.open -= 1
                writer.close()
            kind.held.append(time.monotonic() - started)
            await asyncio.sleep(RECONNECT_PAUSE_S)

    async def _half_open(self, kind: Kind) -> None:
        await self._hold(kind, HALF_OPEN, None)

    async def _trickle_headers(self, kind: Kind) -> None:
        await self._hold(kind, TRICKLE_HEAD, b"a")

    async def _trickle_body(self, kind: Kind) -> None:
        await self._hold(kind, TRICKLE_BODY, b"a")

    async def _idle(self, kind: Kind) -> None:
        reader, writer = await self._connect(kind, IDLE_REQUEST)
        started = time.monotonic()
        try:
            await reader.readuntil(b"\r\n\r\n")  # the answer's head; then nothing more is sent
            while await reader.read(65536):
                pass  # its body, then EOF when the server gives up on the connection
            kind.held.append(time.monotonic() - started)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            kind.held.append(time.monotonic() - started)
        finally:
            kind.open -= 1
            writer.close()
