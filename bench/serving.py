"""Shared by the bench scripts and the fault tests: the real web server (`python -m server`, as `make
run` starts it) serving the app on a database of its own, and a small asyncio HTTP client that can
keep many requests in flight from one thread.

Everything binds to 127.0.0.1 on a free port; the server runs in its own process group so it can be
stopped (or SIGKILLed as a pulled plug would) without touching any other process.
"""
from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
UNVERIFIED = ssl.create_default_context()  # for /healthz only: the servers here use self-signed certificates
UNVERIFIED.check_hostname = False
UNVERIFIED.verify_mode = ssl.CERT_NONE


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment for a flask or server child serving `database_url`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHELFSCAN_")}
    env.update(DATABASE_URL=database_url, SECRET_KEY="bench-secret-key", HTTPS="", PYTHONUNBUFFERED="1",
               # One user scans thousands of times a minute here: keep the check, lift the limit.
               SHELFSCAN_BARCODE_SCAN_RATE_LIMIT="1000000")
    env.update(extra)
    return env


def flask(database_url: str, *args: str, **env: str) -> str:
    """Run `flask --app app ARGS` against the database; returns its output, raises on failure."""
    done = subprocess.run([str(VENV_BIN / "flask"), "--app", "app", *args], cwd=ROOT, text=True,
                          capture_output=True, env=app_env(database_url, **env), timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class Server:
    """The web server (server/) serving the app on one database with `workers` worker processes."""

    database_url: str
    workers: int
    log_path: Path
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        """http://127.0.0.1:<port>, or https:// when started with HTTPS=1"""
        scheme = "https" if self.env.get("HTTPS") == "1" else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        """Start the server as `make run` does and wait until /healthz answers 200 from every worker."""
        log = open(self.log_path, "ab")
        log_start = log.tell()
        env = app_env(self.database_url, WEB_CONCURRENCY=str(self.workers), HOST="127.0.0.1",
                      PORT=str(self.port), **self.env)
        self.process = subprocess.Popen([str(VENV_BIN / "python"), "-m", "server"], cwd=ROOT, env=env, stdout=log,
                                        stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2, context=UNVERIFIED) as answer:
                    if answer.status == 200 and self._started_workers(log_start) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not become healthy in {timeout}s; see {self.log_path}")

    def _started_workers(self, log_start: int) -> int:
        """Workers that serve by now: granian logs "Started worker-N" once a worker has loaded the app."""
        with open(self.log_path, "rb") as log:
            log.seek(log_start)
            return log.read().count(b"Started worker-")

    def worker_pids(self) -> list[int]:
        """Process ids of the workers (children of the main process)."""
        return [] if self.process is None else child_pids(self.process.pid)

    def stop(self) -> None:
        """Stop the server gracefully (SIGTERM to the main process), killing it if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the main process and every worker at once, as a pulled plug would."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)


def child_pids(pid: int) -> list[int]:
    """Process ids of a process's children, started by any of its threads ([] once it is gone)."""
    children = []
    # Each thread lists the children it started itself: a request thread's decoders are not the main one's.
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return sorted(set(children))


def is_alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


@dataclass
class Answer:
    """One HTTP answer as the load client saw it."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


async def fetch(port: int, method: str, path: str, headers: dict[str, str] | None = None,
                body: bytes = b"", timeout: float = 30) -> Answer:
    """One HTTP/1.1 request on a fresh connection, closed after the answer."""
    started = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
                 f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, payload = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        # Keep every Set-Cookie; the others are single-valued here.
        parsed[key] = f"{parsed[key]}\n{value.strip()}" if key in parsed else value.strip()
    return Answer(int(status_line.split()[1]), parsed, payload, time.perf_counter() - started)


def multipart(fields: dict[str, str], file_field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with text fields and one file, and its Content-Type."""
    import secrets

    boundary = "shelfscan" + secrets.token_hex(8)
    head = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                   for name, value in fields.items())
    head += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{filename}\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n")
    return head.encode() + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def cookies_from(answer: Answer, jar: dict[str, str]) -> dict[str, str]:
    """Add the cookies an answer sets to a jar."""
    for line in answer.headers.get("set-cookie", "").split("\n"):
        if "=" in line:
            name, _, rest = line.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    """A Cookie header for a jar."""
    return "; ".join(f"{name}={value}" for name, value in jar.items())


async def sign_in(port: int, username: str, password: str) -> tuple[dict[str, str], str]:
    """Sign in through the real form; returns (cookie jar, the CSRF token htmx would send)."""
    jar: dict[str, str] = {}
    page = await fetch(port, "GET", "/login")
    cookies_from(page, jar)
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.body) or \
        re.search(rb'value="([^"]+)"[^>]*name="csrf_token"', page.body)
    form = urlencode({"csrf_token": token.group(1).decode(), "username": username, "password": password})
    answer = await fetch(port, "POST", "/login", {"Cookie": cookie_header(jar),
                         "Content-Type": "application/x-www-form-urlencoded"}, form.encode())
    if answer.status not in (302, 303):
        raise RuntimeError(f"sign-in failed with {answer.status}: {answer.body[:300]!r}")
    cookies_from(answer, jar)
    home = await fetch(port, "GET", "/", {"Cookie": cookie_header(jar)})
    cookies_from(home, jar)
    csrf = re.search(rb'"X-CSRFToken": "([^"]+)"', home.body)
    if csrf is None:
        raise RuntimeError("no X-CSRFToken on the start page")
    return jar, csrf.group(1).decode()


async def api_token(port: int, username: str, password: str) -> str:
    """An API token fetched the way the InvenTree client does (Basic auth on /api/user/token/)."""
    import base64
    import json

    basic = base64.b64encode(f"{username}:{password}".encode()).decode()
    answer = await fetch(port, "GET", "/api/user/token/", {"Authorization": f"Basic {basic}"})
    if answer.status != 200:
        raise RuntimeError(f"token request failed with {answer.status}: {answer.body[:300]!r}")
    return json.loads(answer.body)["token"]
