"""Memory: one worker process's resident memory after 1000 scans and after many more (default
100000), web scans (htmx, signed in) and API scans alternating. Goal: within 10% (no leak).

    .venv/bin/python bench/memory.py                  # SQLite, 100000 scans
    .venv/bin/python bench/memory.py --scans 20000 --db postgresql
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scan_load import DEFAULT_PG, PASSWORD, USER, api_scan, reset_database, scan_codes, web_scan  # noqa: E402
from bench.serving import Server, api_token, rss_kib, sign_in  # noqa: E402

BASELINE = 1000
CLIENTS = 4


async def scan_until(server: Server, makers: list, codes: list[str], total: int, done: list[int]) -> None:
    """Keep CLIENTS clients scanning until `total` scans have been answered in all."""
    from bench.scan_load import Stats

    while done[0] < total:
        stats = Stats()
        batch = min(total - done[0], 500)
        # Rounds of at most 500 scans, so the checkpoints land where they should.
        await asyncio.gather(*(_count(server.port, makers[i % len(makers)], codes, i, stats, max(1, batch // CLIENTS))
                               for i in range(CLIENTS)))
        done[0] += len(stats.seconds)
        if stats.errors:
            print(f"# {stats.errors} errors in this round: {dict(stats.statuses)} {dict(stats.failures)}", flush=True)


async def _count(port, make, codes, offset, stats, scans):
    """One client doing exactly `scans` scans."""
    for n in range(scans):
        await _one(port, make, codes[(offset * 101 + n) % len(codes)], stats)


async def _one(port, make, code, stats):
    from bench.serving import fetch

    method, path, headers, body = make(code)
    try:
        answer = await fetch(port, method, path, headers, body)
    except Exception as exc:  # counted, not fatal: the bench is about memory
        stats.failures[type(exc).__name__] += 1
        stats.seconds.append(0.0)
        return
    stats.statuses[answer.status] += 1
    stats.seconds.append(answer.seconds)


async def run(server: Server, codes: list[str], total: int, checkpoints: list[int]) -> None:
    """Scan up to each checkpoint and print the worker's RSS there."""
    jar, csrf = await sign_in(server.port, USER, PASSWORD)
    makers = [web_scan(jar, csrf), api_scan(await api_token(server.port, USER, PASSWORD))]
    worker = server.worker_pids()[0]
    done = [0]
    baseline = None
    started = time.monotonic()
    for target in checkpoints:
        await scan_until(server, makers, codes, target, done)
        rss = rss_kib(worker)
        baseline = baseline or rss
        print(f"after {done[0]:7} scans: worker RSS {rss / 1024:7.1f} MiB  ({100 * (rss - baseline) / baseline:+5.1f}% "
              f"vs {BASELINE})  {done[0] / (time.monotonic() - started):6.1f} scans/s", flush=True)
    if server.worker_pids() != [worker]:
        print("# the worker was replaced during the run; the figures are not comparable", flush=True)


def main() -> None:
    """Parse the flags and run the memory bench."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="an EMPTY database of your own (its schema is dropped)")
    args = parser.parse_args()
    checkpoints = sorted({BASELINE, *(p for p in (args.scans // 4, args.scans // 2) if p > BASELINE), args.scans})
    with tempfile.TemporaryDirectory(prefix="shelfscan-memory-") as tmp:
        url = reset_database("sqlite" if args.db == "sqlite" else args.pg_url, Path(tmp))
        codes = scan_codes(url)
        server = Server(url, workers=1, log_path=Path(tmp) / "server.log")
        server.start()
        try:
            asyncio.run(run(server, codes, args.scans, checkpoints))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
