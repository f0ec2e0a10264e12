"""Scan history at scale: fill 1,000,000 rows, time the scans page and the per-scan cost of logging.

Run: .venv/bin/python bench/history.py [--rows 1000000] [--keep DIR]
Prints numbers; asserts nothing. The database is a temporary SQLite file built by the migrations.
"""
from __future__ import annotations

import argparse
import os
import datetime as dt
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from extensions import db  # noqa: E402

PASSWORD = "bench password 123"
SOURCES = ("wedge", "dialog", "camera", "photo", "api", "action")
PLUGINS = ("internal", "inventree", "gs1", "ecia", "lcsc", "")


def build_app(path: Path):
    """An app on a fresh migrated SQLite database at `path`."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app


def fill(path: Path, rows: int, user_ids: list[int]) -> None:
    """Bulk insert `rows` scans spread over the last 365 days (plain sqlite3, one transaction)."""
    rng = random.Random(7)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    start = now - dt.timedelta(days=365)
    step = (now - start) / rows
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")

    def generate():
        for i in range(rows):
            result = rng.choices(("match", "no_match", "error"), (80, 17, 3))[0]
            data = f"SS-{rng.choice('PSLU')}-{rng.randrange(1, 50000)}" if rng.random() < 0.6 else \
                f"0104012345{rng.randrange(100000, 999999)}10LOT{i % 997}\x1d17261231"
            created = (start + step * i).isoformat(sep=" ", timespec="microseconds")
            obj = rng.randrange(1, 50000) if result == "match" else None
            yield (created, rng.choice(user_ids), rng.choice(SOURCES), data.encode(), data, "", "",
                   rng.choice(PLUGINS) if result == "match" else "", result, "part" if obj else "", obj,
                   "navigate", "", f'{{"answer": "{result}"}}', round(rng.uniform(1, 30), 2))

    con.executemany(
        "INSERT INTO scan_log (created_at, user_id, source, raw, data, symbology, aim_id, plugin, result, "
        "object_type, object_id, action, parsed, response, duration_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        generate())
    con.commit()
    con.execute("ANALYZE")
    con.close()


def timed(fn, repeat: int = 15) -> tuple[float, float]:
    """Median wall time and median CPU time of fn() in ms (after one warm-up).

    The CPU time is this process's own work, which other load on a shared machine inflates less.
    """
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def page_times(app, max_id: int) -> None:
    """Server time of the scans page: first, deep, filtered, dated, searched."""
    client = app.test_client()
    response = client.post("/login", data={"username": "bench-admin", "password": PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    urls = {
        "first page": "/admin/scans",
        "deep page (oldest rows)": f"/admin/scans?before={max(max_id // 1000, 30)}",
        "page in the middle": f"/admin/scans?before={max_id // 2}",
        "filtered (no_match, camera)": "/admin/scans?result=no_match&source=camera",
        "filtered deep (no_match, camera)": f"/admin/scans?result=no_match&source=camera&before={max_id // 10}",
        "date range (one day, 200 days ago)": "/admin/scans?since={0}&until={0}".format(
            (dt.date.today() - dt.timedelta(days=200)).isoformat()),
        "search 'LOT42' in the data": "/admin/scans?q=LOT42",
        "htmx results block": "/admin/scans?result=error",
        "chart (30 days, separate image)": "/admin/scans/chart.svg",
        "detail of one scan": f"/admin/scans/{max_id // 3}",
    }
    for label, url in urls.items():
        headers = {"HX-Request": "true"} if label.startswith("htmx") else {}
        status = client.get(url, headers=headers).status_code
        wall, cpu = timed(lambda: client.get(url, headers=headers), repeat=7 if "chart" in label else 15)
        print(f"  {label:38s} {wall:8.2f} ms wall {cpu:8.2f} ms CPU  (HTTP {status})")


def logging_cost(app, user_id: int, blocks: int = 20, block: int = 100) -> None:
    """Per-scan cost of record+commit, logging on vs off, in alternating blocks of scans.

    The log is held at capacity (MAX_NUM = the rows it has), so every 50th scan also prunes.
    Each scan gets its own request context, as in production (settings are read once per request).
    """
    from services import settings
    from barcodes.result import Match, Scan, ScanResult
    from models import ScanLog
    from services import scanlog

    result = ScanResult(scan=Scan(raw=b"]C1SS-P-123", text="SS-P-123", aim_id="]C1", symbology="Code 128"),
                        status="match", matches=[Match("part", 123, "LM358", "/parts/123")], plugin="internal")
    with app.app_context():
        newest = scanlog.newest_id()
        oldest = db.session.scalar(db.select(db.func.min(ScanLog.id)))
        settings.set_value("BARCODE_RESULTS_MAX_NUM", newest - oldest + 1)
        db.session.commit()
    samples: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for number in range(blocks * 2):
        on = number % 2 == 0
        with app.app_context():
            settings.set_value("BARCODE_STORE_RESULTS", on)
            db.session.commit()
        for _ in range(block):
            with app.test_request_context("/scan"):
                t0, c0 = time.perf_counter(), time.process_time()
                scanlog.record(source="wedge", user_id=user_id, raw=result.scan.raw, result=result,
                               action="navigate", response={"answer": "redirect", "url": "/parts/123"})
                db.session.commit()
                samples[on].append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
                db.session.remove()
    for on in (True, False):
        wall = sorted(w for w, _ in samples[on])
        cpu = [c for _, c in samples[on]]
        print(f"  logging {'on ' if on else 'off'}: mean {statistics.mean(wall):.3f} ms wall "
              f"(median {statistics.median(wall):.3f}, p99 {wall[int(len(wall) * .99)]:.3f}), "
              f"mean {statistics.mean(cpu):.3f} ms CPU per scan")
    extra_wall = statistics.mean(w for w, _ in samples[True]) - statistics.mean(w for w, _ in samples[False])
    extra_cpu = statistics.mean(c for _, c in samples[True]) - statistics.mean(c for _, c in samples[False])
    print(f"  => logging adds {extra_wall:.3f} ms wall, {extra_cpu:.3f} ms CPU per scan "
          f"({blocks * block} scans each way, alternating blocks of {block})")
    with app.test_request_context("/"):
        from sqlalchemy import text

        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(1000):
            db.session.execute(text("SELECT 1"))
        db.session.commit()
        print(f"  for scale, one trivial statement (SELECT 1 through the session): "
              f"{time.perf_counter() - t0:.3f} ms wall, {time.process_time() - c0:.3f} ms CPU")
    raw_sqlite_insert(app)
    with app.app_context():
        timings = []
        for _ in range(20):
            t0 = time.perf_counter()
            scanlog.prune(scanlog.PRUNE_BATCH)
            db.session.commit()
            timings.append((time.perf_counter() - t0) * 1000)
        print(f"  one prune call at capacity (what every 50th scan adds): median {statistics.median(timings):.2f} ms")


def raw_sqlite_insert(app, n: int = 500) -> None:
    """For scale: the same row inserted and committed with plain sqlite3 (no SQLAlchemy)."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=NORMAL")
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        con.execute("BEGIN")
        con.execute("INSERT INTO scan_log (created_at, source, raw, data, symbology, aim_id, plugin, result, "
                    "object_type, action, parsed, response, duration_ms) VALUES (datetime('now'), 'wedge', "
                    "x'5d4331', 'SS-P-123', '', '', 'internal', 'match', 'part', 'navigate', '', '{}', 1.0)")
        con.execute("COMMIT")
    print(f"  for scale, plain sqlite3 insert + commit of one row: {(time.perf_counter() - t0) / n * 1000:.3f} ms wall, "
          f"{(time.process_time() - c0) / n * 1000:.3f} ms CPU")
    con.close()


def main() -> None:
    """Fill, then print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", help="keep the database in this directory")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="shelfscan-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "history.db"
    path.unlink(missing_ok=True)
    app = build_app(path)
    with app.app_context():
        from models import User

        admin = User(username="bench-admin", role="admin")
        admin.set_password(PASSWORD)
        others = [User(username=f"op{i}", role="operator", password_hash="x") for i in range(5)]
        db.session.add_all([admin, *others])
        db.session.commit()
        user_ids = [u.id for u in others]
        db.engine.dispose()
    print(f"load average before the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores "
          "(wall times stretch with other load; CPU times much less)")
    t0 = time.perf_counter()
    fill(path, args.rows, user_ids)
    print(f"filled {args.rows:,} rows in {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 1e6:.0f} MB) at {path}")
    with app.app_context():
        from services import scanlog

        max_id = scanlog.newest_id()
        print(f"scans page, server time (median, SQLite, {args.rows:,} rows):")
        page_times(app, max_id)
        db.engine.dispose()
    print("per-scan cost of logging (SQLite file, WAL, synchronous=NORMAL):")
    logging_cost(app, user_ids[0])
    with app.app_context():
        db.engine.dispose()
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
