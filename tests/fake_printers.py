"""Fake network label printers on 127.0.0.1 for the tests and the bench: real TCP sockets that
capture what they are sent and answer as the printers do (a Zebra's ~HS, a Brother QL's status
records), and a "black hole" that accepts connections and never reads; FakeUsbPrinter is a Brother QL
behind a pseudo-terminal, standing in for a USB printer's /dev/usb/lp0."""
from __future__ import annotations

import os
import select
import socket
import threading
import time
from pathlib import Path

from brother_ql.reader import OPCODES, match_opcode

ZPL_STATUS = b"\x02030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n"
ZPL_PAPER_OUT = ZPL_STATUS.replace(b"\x02030,0,", b"\x02030,1,", 1)


def wait_for_job(job_id: int, seconds: float = 600) -> dict:
    """A print job's description (services.printers.jobs.describe) once it is printed or failed."""
    from services.printers import jobs

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        described = jobs.describe(jobs.get(job_id, 0, True))
        if described["complete"]:
            return described
        time.sleep(0.01)
    raise AssertionError(f"print job {job_id} still {described['state']} after {seconds} s")


def brother_status(kind: int, media_width: int = 62, media_length: int = 0, errors: int = 0) -> bytes:
    """A 32-byte Brother QL status record (kind 0 reply, 1 printing completed, 2 error) from a QL-820NWB."""
    record = bytearray(32)
    record[0:4] = b"\x80\x20\x42\x34"
    record[4] = 0x41  # QL-820NWB
    record[8] = errors & 0xFF
    record[10], record[11] = media_width, 0x0A if not media_length else 0x0B
    record[17], record[18] = media_length, kind
    return bytes(record)


class FakePrinter:
    """A TCP printer on 127.0.0.1 (kind zpl, brother or blackhole); `jobs` holds the bytes of each
    connection that sent labels, `last_byte_at` when the last byte arrived (time.perf_counter)."""

    def __init__(self, kind: str = "zpl", port: int = 0, paper_out: bool = False, media=(62, 0)):
        self.kind, self.paper_out, self.media = kind, paper_out, media
        self.jobs: list[bytes] = []
        self.connections = 0
        self.last_byte_at = 0.0
        self._server = socket.create_server(("127.0.0.1", port))  # SO_REUSEADDR: a port can come back
        self.port = self._server.getsockname()[1]
        self._open: list[socket.socket] = []
        self._local = threading.local()  # per connection: one may still be closing as the next opens
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(connection)
            if self.kind != "blackhole":
                threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        data = b""
        self._local.parsed = 0  # Brother: how far this connection's instructions have been read
        with connection:
            while True:
                try:
                    chunk = connection.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.last_byte_at = time.perf_counter()
                data += chunk
                data = self._answer(connection, data)
        if self.kind == "zpl" and data.strip():  # labels without a status query after them
            self.jobs.append(data)

    def _answer(self, connection: socket.socket, data: bytes) -> bytes:
        """Answer what is complete; returns what to keep (labels stay, queries are consumed)."""
        if self.kind == "zpl":
            while b"~HS" in data:
                before, _, data = data.partition(b"~HS")
                if before.strip():
                    self.jobs.append(before)
                connection.sendall(ZPL_PAPER_OUT if self.paper_out else ZPL_STATUS)
            return data
        return self._brother(connection, data)

    def _brother(self, connection: socket.socket, data: bytes) -> bytes:
        """Read whole instructions as brother_ql's reader does (its opcode table), answering a status
        request at once and each print command with 'printing completed', as a QL does page by page."""
        width, length = self.media
        view, position = memoryview(data), getattr(self._local, "parsed", 0)
        while position < len(data):
            try:
                opcode = match_opcode(bytes(view[position:position + 5]))
            except AssertionError:
                if len(data) - position < 5:
                    break  # the rest of an opcode is still on its way
                raise
            name, fixed, _ = OPCODES[opcode]
            size = len(opcode) + max(fixed, 0)
            if "raster" in name:
                if len(data) - position < 3:
                    break
                size += data[position + 2] + 2
            if len(data) - position < size:
                break
            position += size
            if name == "status request":
                connection.sendall(brother_status(0, width, length))
            elif name == "print":
                if opcode == b"\x1a":  # the last page: the job is complete (kept before it is answered)
                    self.jobs.append(data[:position])
                    data, position = data[position:], 0
                    view = memoryview(data)
                connection.sendall(brother_status(1, width, length))
        self._local.parsed = position
        return data

    def close(self) -> None:
        """Stop listening and drop every connection (the printer is switched off)."""
        self._stopped.set()
        try:
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread, which holds the port
        except OSError:
            pass
        self._server.close()
        for connection in self._open:
            try:
                connection.close()
            except OSError:
                pass


class _Master:
    """A pseudo-terminal's master side with a socket's sendall, so FakePrinter._brother answers through it."""

    def __init__(self, fd: int):
        self.fd = fd

    def sendall(self, data: bytes) -> None:
        while data:
            data = data[os.write(self.fd, data):]


class FakeUsbPrinter(FakePrinter):
    """A Brother QL on a device: a pseudo-terminal in raw mode (bytes pass unchanged) whose slave's
    path (/dev/pts/N) is the printer's address; it reads from the master side and answers as the
    network fake does. `answering=False`: it reads nothing and never answers (a stuck printer)."""

    def __init__(self, media=(62, 0), answering: bool = True):
        import tty

        self.kind, self.paper_out, self.media = "brother", False, media
        self.jobs, self.connections, self.last_byte_at, self._local = [], 0, 0.0, threading.local()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        self._stopped = threading.Event()
        if answering:
            threading.Thread(target=self._serve_device, daemon=True).start()

    @property
    def address(self) -> str:
        return self.path

    def _serve_device(self) -> None:
        data, master = b"", _Master(self._master)
        while not self._stopped.is_set():
            if not select.select([self._master], [], [], 0.1)[0]:
                continue
            try:
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            self.last_byte_at = time.perf_counter()
            data = self._brother(master, data + chunk)

    def close(self) -> None:
        """Unplug it."""
        self._stopped.set()
        time.sleep(0.2)  # the reading thread sees the event before its descriptor goes
        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CupsServer:
    """A private CUPS server on a loopback port with a cups-pdf queue (scripts/cups-test-server.sh):
    `address` is what a Shelfscan CUPS printer is set up with; printed PDFs appear in `out`."""

    def __init__(self):
        import subprocess
        import tempfile

        # Not under pytest's own folders: they are private to root, and CUPS's filters run as lp.
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="shelfscan-cups-")), closed_port()
        script = Path(__file__).resolve().parent.parent / "scripts" / "cups-test-server.sh"
        done = subprocess.run([str(script), str(self.folder), str(self.port)], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"CUPS did not start: {done.stderr.strip()}")
        self.queue = done.stdout.strip().splitlines()[-1]
        self.address = f"{self.queue}@127.0.0.1:{self.port}"
        self.out = self.folder / "out"

    def stop(self) -> None:
        """Stop the server (waiting up to 10 s for it to go), remove its folder and the queue's cups-pdf settings."""
        import os
        import shutil
        import signal

        try:
            pid = int((self.folder / "cupsd.pid").read_text())
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
                time.sleep(0.05)
        except (OSError, ValueError):
            pass
        Path(f"/etc/cups/cups-pdf-{self.queue}.conf").unlink(missing_ok=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def cups_available() -> str:
    """Why a private CUPS server cannot run here ('' when it can)."""
    import os
    import shutil

    if not (shutil.which("lp") and Path("/usr/sbin/cupsd").exists() and Path("/usr/lib/cups/backend/cups-pdf").exists()):
        return "cups and printer-driver-cups-pdf are not installed (scripts/system-deps.sh test)"
    if os.geteuid() != 0:
        return "cups-pdf reads its queue settings from /etc/cups, which needs root"
    return ""
