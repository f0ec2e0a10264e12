"""Scan throughput under load: the web server (as `make run` starts it) on a fresh database, many clients scanning at once.

Two paths: the web scan (`POST /scan` as htmx sends it, with a signed-in session and its CSRF token)
and the API scan (`POST /api/barcode/` with a token). The scan log is on (the default). Prints
requests/s, p50/p99 latency and errors for each database x path x client count.

    .venv/bin/python bench/scan_load.py                      # SQLite and PostgreSQL, 16 and 64 clients, 30 s
    .venv/bin/python bench/scan_load.py --db sqlite --duration 5 --clients 16
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.serving import Server, api_token, fetch, flask, sign_in  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://shelfscan:shelfscan@localhost/shelfscan_opsbench"
USER, PASSWORD = "bench-operator", "bench-operator-password"
MAX_REQUESTS_PER_CLIENT = 1_000_000  # a bound on every loop, whatever the clock does


@dataclass
class Stats:
    """Latencies and outcomes of one run."""

    seconds: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        """5xx answers plus requests that got no answer at all."""
        return sum(n for status, n in self.statuses.items() if status >= 500) + sum(self.failures.values())

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in ms."""
        ordered = sorted(self.seconds)
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


def reset_database(url: str, workdir: Path) -> str:
    """A fresh, migrated database with demo data and an operator; returns its URL."""
    if url == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    flask(url, "db", "upgrade")
    commands = flask(url, "--help")
    if "seed-demo" in commands:
        flask(url, "seed-demo", "--parts", "200")
    flask(url, "create-user", USER, "--role", "operator", "--password", PASSWORD)
    return url


def scan_codes(url: str) -> list[str]:
    """What the clients scan: internal codes, linked barcodes and some unknown codes, mixed."""
    script = (
        "import json, random\n"
        "from app import create_app\nfrom extensions import db\nfrom models import Barcode, Part, StockItem, StockLocation\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    from barcodes.internal import internal_code\n"
        "    codes = []\n"
        "    for kind, model in (('part', Part), ('stockitem', StockItem), ('stocklocation', StockLocation)):\n"
        "        ids = db.session.execute(db.select(model.id).limit(200)).scalars().all()\n"
        "        codes += [internal_code(kind, i) for i in ids]\n"
        "    codes += db.session.execute(db.select(Barcode.data).limit(200)).scalars().all()\n"
        "print(json.dumps(codes))\n"
    )
    known = json.loads(flask_python(url, script))
    unknown = [f"UNKNOWN-{n:06d}" for n in range(max(10, len(known) // 10))]
    codes = known + unknown
    random.Random(7).shuffle(codes)
    return codes


def flask_python(url: str, script: str) -> str:
    """Run a Python snippet with the app's environment (its own process, like the server)."""
    import subprocess

    from bench.serving import ROOT, VENV_BIN, app_env

    done = subprocess.run([str(VENV_BIN / "python"), "-c", script], cwd=ROOT, env=app_env(url),
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return done.stdout.strip().splitlines()[-1]


async def _client(port: int, make_request, codes: list[str], offset: int, stop_at: float, stats: Stats | None,
                  think: float = 0.0):
    pace = random.Random(offset)
    for n in range(MAX_REQUESTS_PER_CLIENT):
        if think:
            # A person scans, looks, scans again: think time between a client's scans (0: flat out).
            await asyncio.sleep(think * (0.5 + pace.random()))
        if time.monotonic() >= stop_at:
            return
        method, path, headers, body = make_request(codes[(offset + n) % len(codes)])
        try:
            answer = await fetch(port, method, path, headers, body)
        except Exception as exc:  # a refused or dropped connection is an error, counted by kind
            if stats is not None:
                stats.failures[type(exc).__name__] += 1
            continue
        if stats is not None:
            stats.statuses[answer.status] += 1
            stats.seconds.append(answer.seconds)


async def run_load(port: int, request_makers: list, codes: list[str], duration: float, warmup: float = 2.0,
                   think: float = 0.0) -> Stats:
    """Run len(request_makers) clients for `duration` seconds after a warm-up; returns the stats."""
    await asyncio.gather(*(_client(port, make, codes, i * 37, time.monotonic() + warmup, None, think)
                           for i, make in enumerate(request_makers)))
    stats = Stats()
    stop_at = time.monotonic() + duration
    await asyncio.gather(*(_client(port, make, codes, i * 37, stop_at, stats, think)
                           for i, make in enumerate(request_makers)))
    return stats


def web_scan(jar: dict[str, str], csrf: str):
    """A request maker for the htmx scan dialog."""
    from bench.serving import cookie_header

    headers = {"Cookie": cookie_header(jar), "X-CSRFToken": csrf, "HX-Request": "true",
               "HX-Current-URL": "http://127.0.0.1/", "Content-Type": "application/x-www-form-urlencoded"}
    return lambda code: ("POST", "/scan", headers, urlencode({"barcode": code, "source": "dialog"}).encode())


def api_scan(token: str):
    """A request maker for the API scan."""
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json", "Accept": "application/json"}
    return lambda code: ("POST", "/api/barcode/", headers, json.dumps({"barcode": code}).encode())


async def bench_server(server: Server, codes: list[str], clients: list[int], duration: float, label: str,
                       think: float = 0.0) -> list[str]:
    """Every path x client count against one running server; returns the printed lines."""
    most = max(clients)
    sessions = [await sign_in(server.port, USER, PASSWORD) for _ in range(min(most, 8))]
    paths = [("web POST /scan", [web_scan(*sessions[i % len(sessions)]) for i in range(most)])]
    try:
        paths.append(("api POST /api/barcode/", [api_scan(await api_token(server.port, USER, PASSWORD))] * most))
    except RuntimeError as exc:
        print(f"# no API scan: {exc}"[:200], flush=True)
    lines = []
    for path, makers in paths:
        for count in clients:
            stats = await run_load(server.port, makers[:count], codes, duration, think=think)
            total = len(stats.seconds)
            line = (f"{label:10} {path:24} {count:3} clients{f' think {think:.1f}s' if think else ''}  "
                    f"{total / duration:8.1f} req/s  "
                    f"p50 {stats.percentile(50):7.1f} ms  p99 {stats.percentile(99):7.1f} ms  "
                    f"errors {stats.errors:5}  statuses {dict(sorted(stats.statuses.items()))}"
                    + (f"  failures {dict(stats.failures)}" if stats.failures else ""))
            print(line, flush=True)
            lines.append(line)
    return lines


def main() -> None:
    """Parse the flags and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="an EMPTY database of your own (its schema is dropped)")
    parser.add_argument("--clients", default="16,64", help="comma-separated client counts")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per run")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds each client waits between scans (0: flat out, a saturation test)")
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count(), help="worker processes")
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    targets = {"sqlite": ["sqlite"], "postgresql": [args.pg_url], "both": ["sqlite", args.pg_url]}[args.db]
    print(f"# {args.workers} worker processes on {multiprocessing.cpu_count()} cores; clients share the machine",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="shelfscan-load-") as tmp:
        workdir = Path(tmp)
        for target in targets:
            url = reset_database(target, workdir)
            codes = scan_codes(url)
            server = Server(url, args.workers, workdir / "server.log")
            server.start()
            try:
                label = "sqlite" if url.startswith("sqlite") else "postgresql"
                asyncio.run(bench_server(server, codes, clients, args.duration, label, args.think))
            finally:
                server.stop()


if __name__ == "__main__":
    main()
