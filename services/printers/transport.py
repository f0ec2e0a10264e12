"""Sending to printers: raw TCP (port 9100) for ZPL and Brother QL, `lp` for CUPS queues.

Every step has a deadline, so a printer that is off, unreachable, or accepts and never reads gives a
clear PrinterError within seconds instead of a job that hangs. After the data, the printer is asked
how it is (ZPL `~HS`; a Brother QL reports on its own when a page is done): a printer that took the
bytes but never answers has not printed them, and its answer (paper out, head open) is what we report.
"""
from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass

from services.printers.addresses import Endpoint

CONNECT_TIMEOUT_S = 3.0
SEND_TIMEOUT_S = 5.0  # no progress for this long while sending: the printer stopped reading
ANSWER_TIMEOUT_S = 5.0  # the printer's status after the data
LP_TIMEOUT_S = 15.0
ZPL_STATUS_QUERY = b"~HS\r\n"


class PrinterError(Exception):
    """The printer could not be reached or refused the job; the message is for the person printing."""


class PrinterSilent(PrinterError):
    """The printer took what was sent but did not answer in time."""


@dataclass(frozen=True)
class Answer:
    """What the printer said once it had the job."""

    ok: bool
    text: str


def _connect(endpoint: Endpoint, name: str) -> socket.socket:
    try:
        connection = socket.create_connection((endpoint.host, endpoint.port), timeout=CONNECT_TIMEOUT_S)
    except ConnectionRefusedError:
        raise PrinterError(f"{name} at {endpoint} refused the connection: is it switched on, and is port {endpoint.port} right?") from None
    except socket.timeout:
        raise PrinterError(f"{name} at {endpoint} did not answer within {CONNECT_TIMEOUT_S:g} s: is it switched on and on the network?") from None
    except OSError as error:  # unknown host, no route
        raise PrinterError(f"Cannot reach {name} at {endpoint}: {error.strerror or error}.") from None
    connection.settimeout(SEND_TIMEOUT_S)
    return connection


def _send(connection: socket.socket, data: bytes, endpoint: Endpoint, name: str) -> None:
    try:
        connection.sendall(data)
    except socket.timeout:
        raise PrinterError(f"{name} at {endpoint} stopped taking data for {SEND_TIMEOUT_S:g} s; "
                           "it may be busy, paused or out of media. Nothing more was sent.") from None
    except OSError as error:
        raise PrinterError(f"{name} at {endpoint} closed the connection while printing: {error.strerror or error}.") from None


def _read_until(connection: socket.socket, done, endpoint: Endpoint, name: str) -> bytes:
    """Read the printer's answer until done(answer); PrinterError after ANSWER_TIMEOUT_S of silence
    (a long Brother QL job reports each page as it prints, so the wait restarts with every report)."""
    answer = b""
    connection.settimeout(ANSWER_TIMEOUT_S)
    while not done(answer):
        try:
            chunk = connection.recv(4096)
        except socket.timeout:
            raise PrinterSilent(f"{name} at {endpoint} took the data but did not answer within {ANSWER_TIMEOUT_S:g} s, "
                               "so the labels may not have printed; check the printer and retry.") from None
        except OSError as error:
            raise PrinterError(f"{name} at {endpoint} dropped the connection: {error.strerror or error}.") from None
        if not chunk:
            raise PrinterError(f"{name} at {endpoint} closed the connection without answering.")
        answer += chunk
    return answer


def send_raw(endpoint: Endpoint, name: str, data: bytes, answered, interpret) -> Answer:
    """Send `data` over raw TCP, then read until answered(bytes) and return interpret(bytes)."""
    with _connect(endpoint, name) as connection:
        _send(connection, data, endpoint, name)
        return interpret(_read_until(connection, answered, endpoint, name))


def zpl_answered(answer: bytes) -> bool:
    """Whether all three ~HS status strings (STX ... ETX each) have arrived."""
    return answer.count(b"\x03") >= 3


def zpl_status(answer: bytes) -> Answer:
    """A Zebra's ~HS answer in words: ready, or what needs attention (paper out, paused, head open)."""
    strings = [part.strip(b"\x02\r\n").decode("ascii", "replace") for part in answer.split(b"\x03")][:3]
    first = strings[0].split(",") if strings else []
    second = strings[1].split(",") if len(strings) > 1 else []
    problems = []
    if len(first) > 1 and first[1] == "1":
        problems.append("paper out")
    if len(first) > 2 and first[2] == "1":
        problems.append("paused")
    if len(second) > 2 and second[2] == "1":
        problems.append("head open")
    if len(second) > 3 and second[3] == "1":
        problems.append("ribbon out")
    if problems:
        return Answer(False, "The printer reports: " + ", ".join(problems) + ".")
    return Answer(True, "The printer reports: ready.")


def lp(queue: str, server: Endpoint | None, pdf: bytes, title: str) -> Answer:
    """Hand a PDF to a CUPS queue with `lp` (no shell; the queue name was validated)."""
    command = ["lp", "-d", queue, "-t", title[:100]]
    if server is not None:
        command[1:1] = ["-h", str(server)]
    env = {**os.environ, "LC_ALL": "C"}
    if server is None and "CUPS_SERVER" not in env:
        env.pop("CUPS_SERVER", None)
    try:
        done = subprocess.run(command, input=pdf, capture_output=True, timeout=LP_TIMEOUT_S, env=env, check=False)
    except FileNotFoundError:
        raise PrinterError("CUPS's lp command is not installed on the server (Debian: apt install cups-client).") from None
    except subprocess.TimeoutExpired:
        raise PrinterError(f"CUPS did not take the job within {LP_TIMEOUT_S:g} s; is the CUPS server running?") from None
    said = (done.stdout or done.stderr).decode("utf-8", "replace").strip()
    if done.returncode != 0:
        raise PrinterError(f"CUPS refused the job: {said or 'lp exited with ' + str(done.returncode)}")
    return Answer(True, f"CUPS answered: {said}")
