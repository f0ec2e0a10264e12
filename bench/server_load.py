"""Slow and idle clients against the web server: /healthz and scan latency idle and under attack, and
API scan throughput, for the chosen server against the gunicorn sync setup it replaced, in one run.

Starts each server (bench/servers.py; the chosen one as `make run` starts it) on one fresh SQLite
database with a small inventory and an API token, all at once, then takes turns (A, B, A, B, ...) so
the machine's load hits them alike. Each turn, per server:

1. idle: `GET /healthz` and `POST /api/barcode/` scans (token, internal code) in turn, one at a
   time, each on a fresh connection, for --idle-seconds;
2. throughput: API scans flat out from 16 keep-alive connections (--fresh: a new connection per
   request) for --duration seconds, with wrk when installed (else an asyncio client), and the
   server's CPU time per request (its processes' user + system time over the requests answered);
3. attacked: as 1, for --attack-seconds, while bench/slow_clients.py holds 200 half-open
   connections, 25 trickling headers and 25 trickling a body a byte a second (each reopened when
   the server closes it) and 100 idle keep-alive connections; a request unanswered in
   REQUEST_TIMEOUT_S counts as failed.

Prints p50/p99 per phase (goal: attacked p99 within 100 ms of idle, none failed), requests/s and CPU
ms per request against the last server named (goal: not below gunicorn sync), how long the server
held each kind of slow connection, its memory with them open, and the load average before and after.

    .venv/bin/python bench/server_load.py                  # the chosen server vs gunicorn sync, ~4 min
    .venv/bin/python bench/server_load.py --servers all --rounds 2 --duration 6 --attack-seconds 12
    .venv/bin/python bench/server_load.py --fresh --half-open 50
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import servers  # noqa: E402
from bench.api_load import _asyncio_load, prepare_database, run_wrk  # noqa: E402
from bench.serving import fetch, free_port  # noqa: E402
from bench.slow_clients import SlowClients  # noqa: E402

DEFAULT_SERVERS = "granian-bridge,gunicorn-sync"
REQUEST_TIMEOUT_S = 5.0
PAUSE_S = 0.02  # between two samples, so sampling is not a load of its own
GOAL_P99_DELTA_MS = 100.0


async def sample(port: int, seconds: float, scan: tuple[dict, bytes]) -> dict[str, list]:
    """Alternate /healthz and API scans, one at a time, for `seconds`; latencies in ms, None for a failure."""
    headers, body = scan
    taken: dict[str, list] = {"healthz": [], "scan": []}
    requests = (("healthz", "GET", "/healthz", {}, b""), ("scan", "POST", "/api/barcode/", headers, body))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, method, path, sent_headers, sent_body in requests:
            started = time.perf_counter()
            try:
                answer = await fetch(port, method, path, sent_headers, sent_body, timeout=REQUEST_TIMEOUT_S)
                ok = answer.status == 200
            except (OSError, asyncio.TimeoutError, ValueError, IndexError):
                ok = False
            taken[name].append(1000 * (time.perf_counter() - started) if ok else None)
            await asyncio.sleep(PAUSE_S)
    return taken


async def attacked(port: int, seconds: float, scan, counts: dict) -> tuple[dict, dict, int]:
    """Sample while the slow clients hold their connections; returns samples, report, open count."""
    clients = SlowClients(port, **counts)
    await clients.start()
    await asyncio.sleep(1.0)  # let the server take them all in
    try:
        taken = await sample(port, seconds, scan)
        still_open = clients.open
    finally:
        await clients.stop()
    return taken, clients.report(), still_open


def throughput(process, port: int, scan, seconds: int, fresh: bool, workdir: Path) -> dict:
    """API scans flat out; adds the server's CPU seconds spent meanwhile."""
    headers, body = scan
    if fresh:
        headers = {**headers, "Connection": "close"}
    before = servers.cpu_seconds(process)
    if shutil.which("wrk"):
        result = run_wrk(port, body, headers, 16, seconds, workdir)
    else:
        result = asyncio.run(_asyncio_load(port, body, headers, 16, seconds))
    result["cpu"] = servers.cpu_seconds(process) - before
    return result


def percentile(values: list, share: float) -> float:
    """The value at share (0..1) of the sorted answered samples (nearest rank)."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def latency_line(values: list) -> str:
    """`p50 3.1 / p99 9.8 ms (150/150)`, or `none answered (0/6)`"""
    answered = sum(v is not None for v in values)
    if not answered:
        return f"{'none answered':>28} ({answered}/{len(values)})"
    return f"p50 {percentile(values, 0.5):7.1f} / p99 {percentile(values, 0.99):7.1f} ms ({answered}/{len(values)})"


def report_latency(names: list[str], results: dict) -> None:
    """Idle against attacked, and whether the goal is met."""
    print(f"\nlatency, one request at a time on a fresh connection (failed: no answer in {REQUEST_TIMEOUT_S:.0f} s); "
          f"goal: attacked p99 within {GOAL_P99_DELTA_MS:.0f} ms of idle, none failed")
    for name in names:
        for what in ("healthz", "scan"):
            idle, hit = results[name]["idle"][what], results[name]["attacked"][what]
            delta = percentile(hit, 0.99) - percentile(idle, 0.99)
            met = not any(v is None for v in hit) and delta <= GOAL_P99_DELTA_MS
            shown = f"p99 {delta:+.0f} ms" if delta == delta else "p99 -"  # NaN when nothing was answered
            print(f"  {name:17} {what:8} idle {latency_line(idle)}   attacked {latency_line(hit)}   "
                  f"{shown}: {'met' if met else 'NOT met'}")


def report_throughput(names: list[str], results: dict, args) -> None:
    """Requests/s against the last server named, and CPU per request."""
    kind = "connections, a new one per request" if args.fresh else "keep-alive connections"
    print(f"\nAPI scan throughput, 16 {kind}, {args.duration} s x {args.rounds} rounds, "
          f"{'wrk' if shutil.which('wrk') else 'asyncio client'}")
    rates = {name: sum(r["requests"] for r in results[name]["load"]) / (args.duration * args.rounds) for name in names}
    for name in names:
        load = results[name]["load"]
        cpu = 1000 * sum(r["cpu"] for r in load) / max(sum(r["requests"] for r in load), 1)
        p99 = statistics.median(r["p99"] for r in load)
        print(f"  {name:17} {rates[name]:7.0f} req/s ({rates[name] / rates[names[-1]]:4.0%} of {names[-1]})  "
              f"p99 {p99:6.1f} ms  CPU {cpu:5.2f} ms/req  errors {', '.join(sorted({r['errors'] for r in load}))}")


def report_slow(names: list[str], results: dict) -> None:
    """How long each server held each kind of slow connection, and its memory."""
    print("\nslow connections during the attacked phase (last round), memory with them open")
    for name in names:
        row = results[name]
        print(f"  {name:17} open at the end {row['still_open']}/{row['wanted']}, RSS {row['rss']:.0f} MiB")
        for kind, line in row["slow"].items():
            print(f"  {'':17}   {kind:18} {line}")


def one_turn(process, port: int, row: dict, scan, counts: dict, args, workdir: Path) -> None:
    """Idle latency, throughput, then latency under attack, for one server; adds to its row."""
    for what, values in asyncio.run(sample(port, args.idle_seconds, scan)).items():
        row["idle"][what] += values
    row["load"].append(throughput(process, port, scan, args.duration, args.fresh, workdir))
    taken, row["slow"], row["still_open"] = asyncio.run(attacked(port, args.attack_seconds, scan, counts))
    row["wanted"], row["rss"] = sum(counts.values()), servers.rss_mib(process)
    for what, values in taken.items():
        row["attacked"][what] += values


def run(names: list[str], counts: dict, args) -> dict:
    """Start every server on one database, take turns, stop them; returns each server's row."""
    workdir = Path(tempfile.mkdtemp(prefix="server_load_"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    codes = prepare_database(url)
    scan = ({"Content-Type": "application/json", "Authorization": f"Token {codes['token']}"},
            json.dumps({"barcode": codes["internal"]}).encode())
    running: dict = {}
    results = {name: {"idle": {"healthz": [], "scan": []}, "attacked": {"healthz": [], "scan": []}, "load": []}
               for name in names}
    try:
        for name in names:
            port = free_port()
            running[name] = (servers.start(name, url, port, args.workers, workdir), port)
        for round_number in range(args.rounds):
            for name in names:
                print(f"round {round_number + 1}: {name}", flush=True)
                one_turn(*running[name], results[name], scan, counts, args, workdir)
    finally:
        for process, _port in running.values():
            servers.stop(process)
    shutil.rmtree(workdir, ignore_errors=True)
    return results


def main() -> None:
    """Parse the options, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", default=DEFAULT_SERVERS,
                        help=f"comma-separated, last is the baseline; 'all' = {','.join(servers.NAMES)}")
    parser.add_argument("--workers", type=int, help="worker processes of every server (default: each "
                        "server's own, as make run would start it)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--idle-seconds", type=float, default=6, help="sampling without slow clients, per round")
    parser.add_argument("--attack-seconds", type=float, default=15,
                        help="sampling with slow clients, per round (longer than the header timeout)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of throughput per round")
    parser.add_argument("--fresh", action="store_true",
                        help="throughput on a new connection per request (Connection: close), as gunicorn sync serves")
    parser.add_argument("--half-open", type=int, default=200)
    parser.add_argument("--trickle-headers", type=int, default=25)
    parser.add_argument("--trickle-bodies", type=int, default=25)
    parser.add_argument("--idle", type=int, default=100, help="idle keep-alive connections")
    args = parser.parse_args()
    names = list(servers.NAMES) if args.servers == "all" else args.servers.split(",")
    unknown = [name for name in names if name not in servers.NAMES]
    if unknown or min(args.rounds, args.duration) < 1:
        parser.error(f"servers are {', '.join(servers.NAMES)}; --rounds and --duration at least 1")
    counts = {"half_open": args.half_open, "trickle_headers": args.trickle_headers,
              "trickle_bodies": args.trickle_bodies, "idle": args.idle}
    load_before = os.getloadavg()
    results = run(names, counts, args)
    processes = ", ".join(f"{name} {servers.worker_processes(name, args.workers)}" for name in names)
    print(f"\nworker processes: {processes}; threaded ones {servers.THREADS} threads each; SQLite, "
          f"{os.cpu_count()} CPUs; attacked = {args.half_open} half-open + {args.trickle_headers} trickling "
          f"headers + {args.trickle_bodies} trickling bodies + {args.idle} idle keep-alive connections")
    print(f"load average before {' '.join(f'{x:.2f}' for x in load_before)}, "
          f"after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report_latency(names, results)
    report_throughput(names, results, args)
    report_slow(names, results)


if __name__ == "__main__":
    main()
