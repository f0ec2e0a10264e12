"""Server time of the part page and the part list with 100000 parts (SQLite, test client).

Run: .venv/bin/python bench/pages.py [--parts N] [--runs N]
Makes a temporary database with the migrations, seeds it with `flask seed-demo --parts N`, then
times each URL through app.test_client(): a few warm-up requests, then the median of --runs.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from extensions import db  # noqa: E402
from models import Part, User  # noqa: E402

WARMUP = 3


def build_app(parts: int, directory: str):
    """A migrated, seeded app with a viewer account; returns (app, seconds the seeding took)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.db", "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        user = User(username="bench", role="viewer")
        user.set_password("bench-password")
        db.session.add(user)
        db.session.commit()
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--parts", str(parts)])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    return app, time.perf_counter() - started


def median_ms(client, url: str, runs: int, headers: dict | None = None) -> tuple[float, float]:
    """Median wall time and median CPU time of GET url in milliseconds, after warm-up.

    CPU time (this process) is printed too because on a busy shared machine the wall time mostly
    measures waiting for a core.
    """
    wall, cpu = [], []
    for n in range(WARMUP + runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers or {})
        elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if n >= WARMUP:
            wall.append(elapsed * 1000)
            cpu.append(elapsed_cpu * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    """Seed, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        app, seed_seconds = build_app(args.parts, directory)
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": "bench-password"})
        with app.app_context():
            part_id = db.session.scalar(db.select(Part.id).filter_by(ipn="IC-0001"))
            total = db.session.scalar(db.select(db.func.count()).select_from(Part))
        pages = -(-total // 25)
        cases = [
            ("part page (LM358, with stock and supplier parts)", f"/parts/{part_id}", None),
            ("part list, first page", "/parts/", None),
            ("part list, search 'lm358' (htmx fragment)", "/parts/?q=lm358", {"HX-Request": "true"}),
            ("part list, search 'resistor' (many matches)", "/parts/?q=resistor", {"HX-Request": "true"}),
            ("part list, search '0123' (IPN digits)", "/parts/?q=0123", {"HX-Request": "true"}),
            (f"part list, deep page {pages // 2}", f"/parts/?page={pages // 2}", None),
            (f"part list, last page {pages}, sorted by -ipn", f"/parts/?sort=-ipn&page={pages}", None),
        ]
        print(f"{total} parts; seed-demo took {seed_seconds:.1f} s; median of {args.runs} runs after {WARMUP} warm-up")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print("     wall       cpu")
        for label, url, headers in cases:
            wall, cpu = median_ms(client, url, args.runs, headers)
            print(f"  {wall:7.1f} ms {cpu:7.1f} ms  {label}  [{url}]")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
