"""API scan throughput against a bare Flask JSON endpoint under the same gunicorn settings.

Starts the app under gunicorn (2 sync workers, the settings `make run` used before issue 15, kept in
bench/servers.py; bench/server_load.py compares them with today's server) on a fresh SQLite database
with a small inventory, a linked barcode and an API token; starts a bare Flask app answering a JSON
POST under the very same gunicorn command; then loads each from a second process (wrk when
installed, else a small asyncio client) with 16 connections for 15 s per scenario: internal-code
scans, linked-code scans and no-match scans against the app, and the bare endpoint. Every app scan
is a real scan: token lookup, resolve, scan-log row, commit. Prints requests/s, p50/p99 and the
ratio to the bare endpoint (goal: >= 40% of its throughput, p99 < 15 ms), and the servers' CPU time
per request. A third server, the floor (FLOOR_APP), does an internal-code scan's database work with
raw sqlite3 and nothing else: what this machine allows any release, shown beside the app for
reference.

A shared machine's speed drifts by a third within minutes, which would skew a ratio between
scenarios measured one after the other; so each scenario's time is split into rounds taken in
turn (bare, internal, linked, no match, bare, ...). Requests/s and CPU per request are over all
rounds; p50/p99 are the median of the rounds' values. CPU per request (the gunicorn workers' user +
system time over the requests they answered) is the figure least moved by the load client sharing
the cores.

    .venv/bin/python bench/api_load.py                    # 16 connections, 15 s per scenario, 3 rounds
    .venv/bin/python bench/api_load.py --duration 5 --connections 8 --rounds 1
    .venv/bin/python bench/api_load.py --floor-write none   # the floor without its scan-log write
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.serving import app_env, fetch, flask, free_port  # noqa: E402
from bench.servers import GUNICORN_CONF, cpu_seconds, stop  # noqa: E402

WORKERS = 2
GOAL_RATIO, GOAL_P99_MS = 0.40, 15.0
FLOOR = "floor: same DB work"  # a reference, not the app: see FLOOR_APP
BARE_APP = '''
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/api/barcode/")
def scan():
    """Parse the JSON body and answer JSON: the floor any Flask JSON endpoint pays."""
    return jsonify(barcode_data=request.get_json()["barcode"], error="No match found for barcode data"), 400
'''


# The floor: the same database work as an internal-code scan (the token joined with its user, the
# part with its linked hash, the scan-log row with its indexes, a commit on the same queued WAL
# connection with the same background checkpoints) under the same gunicorn command, without the
# ORM, the request hooks or the plugin registry: a lower bound for the app's scan on the same machine.
FLOOR_APP = '''
import datetime, hashlib, json, os, sqlite3

from flask import Flask, jsonify, request

from barcodes.internal import parse_internal
from database.connection import setup_sqlite
from database.write_queue import QueuedConnection

app = Flask(__name__)
PATH = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
WRITE = os.environ["FLOOR_WRITE"]
CALLER = ("SELECT user.id, user.active, api_token.expires_at, api_token.revoked_at FROM api_token "
          "JOIN user ON user.id = api_token.user_id WHERE api_token.token_hash = ?")
PART = ("SELECT part.*, (SELECT data_hash FROM barcode WHERE object_type = 'part' AND object_id = part.id "
        "ORDER BY id DESC LIMIT 1) AS linked_hash FROM part WHERE part.id = ?")
LOG = ("INSERT INTO scan_log (created_at, source, user_id, raw, data, symbology, aim_id, plugin, result, "
       "object_type, object_id, action, parsed, response, duration_ms) "
       "VALUES (?, 'api', ?, ?, ?, '', '', 'internal', ?, ?, ?, '', '', ?, 0.0) RETURNING id")
_connection = None


def connection():
    """One connection per worker, set up as the app's are."""
    global _connection
    if _connection is None:
        _connection = sqlite3.connect(PATH, factory=QueuedConnection, check_same_thread=False)
        setup_sqlite(_connection)
        if WRITE == "unsynced":
            _connection.execute("PRAGMA synchronous=OFF")
    return _connection


@app.post("/api/barcode/")
def scan():
    """Authenticate, resolve an internal code, log the scan, commit, answer."""
    data = request.get_json()["barcode"]
    db = connection()
    token = request.headers.get("Authorization", "").removeprefix("Token ")
    caller = db.execute(CALLER, (hashlib.sha256(token.encode()).hexdigest(),)).fetchone()
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(" ")
    if caller is None or not caller[1] or caller[3] is not None or (caller[2] is not None and caller[2] <= now):
        return jsonify(detail="Invalid token."), 401
    found = parse_internal(data, "SS")
    cursor = db.execute(PART, (found[1],)) if found and found[0] == "part" else None
    row = cursor.fetchone() if cursor else None
    instance = dict(zip([c[0] for c in cursor.description], row)) if row else None
    answer = ({"part": {"pk": row[0], "instance": instance}, "success": "Match found for barcode data"}
              if row else {"error": "No match found for barcode data"})
    body = json.dumps(answer, default=str)
    if WRITE != "none":  # --floor-write none: what the scan costs without its log row
        db.execute(LOG, (now, caller[0], data.encode(), data, "match" if row else "no_match",
                         "part" if row else "", row[0] if row else None, body)).fetchone()
        db.commit()
    return app.response_class(body, status=200 if row else 400, mimetype="application/json")
'''


def prepare_database(url: str) -> dict:
    """Migrate, then add a user, a small inventory, a linked barcode and a token; returns the codes."""
    flask(url, "db", "upgrade")
    os.environ["DATABASE_URL"] = url
    from app import create_app
    from barcodes.internal import internal_code
    from barcodes.normalize import normalize
    from extensions import db
    from models import User
    from services.barcode_linking import add_link
    from tests.api_fixtures import make_inventory, token_for

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        user = User(username="bench", role="operator")
        user.set_password("bench-password-123")
        db.session.add(user)
        db.session.commit()
        ids = make_inventory()
        add_link(normalize("4006381333931"), "stockitem", ids["stockitem"], user_id=user.id)
        db.session.commit()
        codes = {"token": token_for(user, "bench"), "internal": internal_code("part", ids["part"]),
                 "linked": "4006381333931", "no-match": "NOT-A-KNOWN-CODE-123"}
        db.engine.dispose()
    return codes


def start_gunicorn(target: str, url: str, log: Path, extra_path: Path | None = None,
                   **extra_env: str) -> tuple[subprocess.Popen, int]:
    """gunicorn as `make run` ran it before issue 15 (bench/servers.py), 2 sync workers, for the app
    or the bare endpoint."""
    port = free_port()
    env = app_env(url, WEB_CONCURRENCY=str(WORKERS), **extra_env)
    if extra_path:
        env["PYTHONPATH"] = str(extra_path)
    config = (extra_path or log.parent) / "bench_gunicorn.py"
    config.write_text(GUNICORN_CONF)
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--config", str(config), "--bind", f"127.0.0.1:{port}",
         target],
        cwd=ROOT, env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log}")
        try:
            urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/api/barcode/", data=b"{}",
                                                          method="POST"), timeout=2)
        except urllib.error.HTTPError:
            return process, port  # any HTTP answer means it is serving
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn did not start; see {log}")


def check_answer(port: int, body: bytes, headers: dict, expected: int) -> None:
    """One request first, so the bench measures the answer it claims to (match, no match)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/barcode/", data=body, method="POST",
                                     headers=headers)
    try:
        status = urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != expected:
        raise RuntimeError(f"expected {expected}, got {status} for {body!r}")


def run_wrk(port: int, body: bytes, headers: dict, connections: int, seconds: int, workdir: Path) -> dict:
    """Load with wrk; returns requests, requests/s, p50, p99 (ms) and socket errors."""
    script = workdir / "post.lua"
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body.decode())}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    script.write_text("\n".join(lines) + "\n")
    threads = min(2, connections)  # wrk needs a connection per thread
    done = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
                           f"http://127.0.0.1:{port}/api/barcode/"], capture_output=True, text=True, check=True)
    out = done.stdout

    def latency(pct: str) -> float:
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Socket errors: (.*)", out)
    return {"requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": latency("50"), "p99": latency("99"), "errors": errors.group(1) if errors else "none"}


async def _asyncio_load(port: int, body: bytes, headers: dict, connections: int, seconds: int) -> dict:
    latencies, failures = [], 0
    deadline = time.monotonic() + seconds

    async def client():
        nonlocal failures
        while time.monotonic() < deadline:
            try:
                answer = await fetch(port, "POST", "/api/barcode/", headers, body)
                latencies.append(answer.seconds)
            except OSError:
                failures += 1

    await asyncio.gather(*(client() for _ in range(connections)))
    ordered = sorted(latencies)
    pick = lambda p: 1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))]  # noqa: E731
    return {"requests": len(ordered), "rps": len(ordered) / seconds, "p50": pick(0.50), "p99": pick(0.99),
            "errors": str(failures)}


def load(server: subprocess.Popen, port: int, body: bytes, headers: dict, connections: int, seconds: int,
         workdir: Path) -> dict:
    """Load one endpoint with wrk (or the asyncio client when wrk is not installed); adds the
    server's CPU seconds spent meanwhile."""
    cpu_before = cpu_seconds(server)
    if shutil.which("wrk"):
        result = run_wrk(port, body, headers, connections, seconds, workdir)
    else:
        result = asyncio.run(_asyncio_load(port, body, headers, connections, seconds))
    result["cpu"] = cpu_seconds(server) - cpu_before
    return result


def combine(rounds: list[dict], seconds: int) -> dict:
    """One scenario over its rounds: totals for throughput and CPU, medians for latency."""
    requests = sum(r["requests"] for r in rounds)
    return {"rps": requests / (seconds * len(rounds)), "p50": statistics.median(r["p50"] for r in rounds),
            "p99": statistics.median(r["p99"] for r in rounds),
            "cpu_ms": 1000 * sum(r["cpu"] for r in rounds) / max(requests, 1),
            "errors": ", ".join(sorted({r["errors"] for r in rounds}))}


def main() -> None:
    """Run the four scenarios and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="turns each scenario's time is split into")
    parser.add_argument("--floor-write", choices=("normal", "unsynced", "none"), default="normal",
                        help="the floor's scan-log write: as the app does it (WAL, synchronous=NORMAL), "
                             "with synchronous=OFF, or none at all")
    args = parser.parse_args()
    if min(args.duration, args.connections, args.rounds) < 1:
        parser.error("--duration, --connections and --rounds must be at least 1")
    round_seconds = max(1, round(args.duration / args.rounds))
    workdir = Path(tempfile.mkdtemp(prefix="api_load_"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    codes = prepare_database(url)
    (workdir / "bare_api.py").write_text(BARE_APP)
    (workdir / "floor_api.py").write_text(FLOOR_APP)
    app_server, app_port = start_gunicorn("app:create_app()", url, workdir / "app.log")
    bare_server, bare_port = start_gunicorn("bare_api:app", url, workdir / "bare.log", extra_path=workdir)
    floor_server, floor_port = start_gunicorn("floor_api:app", url, workdir / "floor.log", extra_path=workdir,
                                              FLOOR_WRITE=args.floor_write)
    json_headers = {"Content-Type": "application/json"}
    token_headers = {**json_headers, "Authorization": f"Token {codes['token']}"}
    scenarios = [("bare Flask JSON", bare_server, bare_port, "no-match", json_headers, 400),
                 (FLOOR, floor_server, floor_port, "internal", token_headers, 200),
                 ("internal code", app_server, app_port, "internal", token_headers, 200),
                 ("linked code", app_server, app_port, "linked", token_headers, 200),
                 ("no match", app_server, app_port, "no-match", token_headers, 400)]
    rounds: dict[str, list[dict]] = {name: [] for name, *_ in scenarios}
    try:
        for name, _server, port, code, headers, expected in scenarios:
            check_answer(port, json.dumps({"barcode": codes[code]}).encode(), headers, expected)
        for _ in range(args.rounds):
            for name, server, port, code, headers, _expected in scenarios:
                body = json.dumps({"barcode": codes[code]}).encode()
                rounds[name].append(load(server, port, body, headers, args.connections, round_seconds, workdir))
    finally:
        for server in (app_server, bare_server, floor_server):
            stop(server)
    tool = "wrk" if shutil.which("wrk") else "asyncio client"
    results = {name: combine(taken, round_seconds) for name, taken in rounds.items()}
    print(f"POST /api/barcode/, gunicorn {WORKERS} sync workers, SQLite, {args.connections} connections, "
          f"{round_seconds * args.rounds} s each in {args.rounds} rounds, {tool}, {os.cpu_count()} CPUs; "
          f"floor's scan-log write: {args.floor_write}")
    print(f"{'scenario':20} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8} {'CPU ms/req':>11}  socket errors")
    bare = results["bare Flask JSON"]["rps"]
    for name, row in results.items():
        print(f"{name:20} {row['rps']:8.0f} {row['p50']:8.2f} {row['p99']:8.2f} {row['rps'] / bare:8.0%} "
              f"{row['cpu_ms']:11.2f}  {row['errors']}")
    app_rows = [row for name, row in results.items() if name not in ("bare Flask JSON", FLOOR)]
    worst, worst_p99 = min(row["rps"] for row in app_rows), max(row["p99"] for row in app_rows)
    print(f"goal >= {GOAL_RATIO:.0%} of bare and p99 < {GOAL_P99_MS} ms: worst {worst / bare:.0%}, "
          f"p99 {worst_p99:.2f} ms -> {'met' if worst / bare >= GOAL_RATIO and worst_p99 < GOAL_P99_MS else 'NOT met'}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
