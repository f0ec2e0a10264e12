"""Phones on flaky Wi-Fi (or a slowloris) against the real server, started as `make run` starts it:
half-open, trickling and idle connections do not keep a scan waiting, and the server closes them
after its header and body timeouts. Real sockets, no fakes: bench/slow_clients.py holds them."""
from __future__ import annotations

import asyncio
import json
import socket
import ssl
import time

import pytest

from barcodes.internal import internal_code
from bench.serving import Server, api_token, fetch
from bench.slow_clients import HALF_OPEN, SlowClients
from cli.tls import make_certificate
from extensions import db
from models import Part
from server.bridge import BODY_TIMEOUT_S
from server.settings import HEADER_TIMEOUT_S
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow
ANSWER_WITHIN_S = 5.0  # generous: the machine running the tests may be loaded
CLOSE_MARGIN_S = 10.0  # how late after its timeout the server may close a slow connection


@pytest.fixture
def part_code(app):
    """A part's internal code, which an API scan resolves."""
    part = Part(name="Resistor 10k")
    db.session.add(part)
    db.session.commit()
    return internal_code("part", part.id)


def start(database_url, tmp_path, **env) -> Server:
    """The server with two worker processes, as `make run` starts it."""
    server = Server(database_url, workers=2, log_path=tmp_path / "server.log", env=env)
    server.start()
    return server


async def timed(port: int, method: str, path: str, headers=None, body=b"") -> tuple[int, float]:
    """Status and seconds of one request on a fresh connection; no answer in time fails the test."""
    started = time.monotonic()
    answer = await fetch(port, method, path, headers, body, timeout=ANSWER_WITHIN_S + 5)
    return answer.status, time.monotonic() - started


def test_half_open_trickling_and_idle_connections_do_not_block_a_scan(users, part_code, database_url, tmp_path):
    server = start(database_url, tmp_path)
    try:
        asyncio.run(_scan_while_held(server.port, part_code))
    finally:
        server.stop()


async def _scan_while_held(port: int, code: str) -> None:
    token = await api_token(port, "operator", PASSWORD)
    scan = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    clients = SlowClients(port, half_open=50, trickle_headers=10, trickle_bodies=10, idle=20)
    await clients.start()
    try:
        assert clients.open == clients.wanted, clients.report()
        for _ in range(3):
            status, seconds = await timed(port, "POST", "/api/barcode/", scan, json.dumps({"barcode": code}).encode())
            assert status == 200 and seconds < ANSWER_WITHIN_S, (status, seconds)
            status, seconds = await timed(port, "GET", "/healthz")
            assert status == 200 and seconds < ANSWER_WITHIN_S, (status, seconds)
        # Every connection held since the start is closed by the server once its timeout is up.
        deadline = time.monotonic() + max(HEADER_TIMEOUT_S, BODY_TIMEOUT_S) + CLOSE_MARGIN_S
        while time.monotonic() < deadline and any(len(k.held) < k.wanted for k in clients.kinds.values()):
            await asyncio.sleep(0.5)
        report = clients.report()
        for name, kind in clients.kinds.items():
            assert len(kind.held) >= kind.wanted, f"{name}: {report[name]}"
            timeout = BODY_TIMEOUT_S if name == "trickling bodies" else HEADER_TIMEOUT_S
            first_round = sorted(kind.held)[:kind.wanted]
            in_time = timeout - 1 <= first_round[0] and first_round[-1] <= timeout + CLOSE_MARGIN_S
            assert in_time, f"{name}: {report[name]}"
        # ...and the reopened ones (a slowloris reconnects at once) still do not block a scan.
        status, seconds = await timed(port, "POST", "/api/barcode/", scan, json.dumps({"barcode": code}).encode())
        assert status == 200 and seconds < ANSWER_WITHIN_S, (status, seconds)
    finally:
        await clients.stop()


def test_https_serves_tls_and_closes_half_open_connections(users, database_url, tmp_path):
    """`make run HTTPS=1` serves TLS itself (here with TLS_CERT/TLS_KEY, so the test leaves instance/ alone)."""
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    make_certificate(certfile, keyfile)
    server = start(database_url, tmp_path, HTTPS="1", TLS_CERT=str(certfile), TLS_KEY=str(keyfile))
    try:
        context = ssl.create_default_context(cafile=str(certfile))
        context.check_hostname = False  # the certificate names this machine, not necessarily 127.0.0.1
        context.maximum_version = ssl.TLSVersion.TLSv1_2  # older phones
        with socket.create_connection(("127.0.0.1", server.port), timeout=ANSWER_WITHIN_S) as raw:
            with context.wrap_socket(raw) as tls:
                tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                answer = b""
                while chunk := tls.recv(65536):
                    answer += chunk
        assert answer.startswith(b"HTTP/1.1 200") and b'"status":"ok"' in answer
        assert b"strict-transport-security" in answer.lower()
        with socket.create_connection(("127.0.0.1", server.port), timeout=HEADER_TIMEOUT_S + CLOSE_MARGIN_S) as raw:
            with ssl.create_default_context(cafile=str(certfile)).wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(HALF_OPEN)
                started = time.monotonic()
                try:
                    leftover = tls.recv(65536)
                except (ConnectionError, ssl.SSLError):
                    leftover = b""
                held = time.monotonic() - started
        assert leftover == b"" and HEADER_TIMEOUT_S - 1 <= held <= HEADER_TIMEOUT_S + CLOSE_MARGIN_S, (leftover, held)
    finally:
        server.stop()
