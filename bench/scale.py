"""Scale: a scan, an object page, the history page and the list pages (first page, a search, search as
you type), and the InvenTree app's main API requests (a location's stock with its sub-locations', the
top-level locations, a part's and a stock item's screen), on 1,000,000 parts, stock items, linked
barcodes and scan-log rows, against the same on the demo data. Prints the median wall and CPU times and the ratios (goal: within 1.2x). The broad search
("part") matches nothing in the demo data and a million rows in the big one: its ratio compares an
empty page with a full one, so read its absolute time.

    .venv/bin/python bench/scale.py                 # SQLite, 1,000,000 rows of each
    .venv/bin/python bench/scale.py --rows 100000 --db postgresql --pg-url postgresql+psycopg://.../own_db

The bulk rows are made by the database itself (a recursive CTE on SQLite, generate_series on
PostgreSQL), then ANALYZEd. Timings go through the real app (Flask test client, signed in, CSRF off)
so they measure the app and the database, not the network.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Keep all the bulk scan-log rows: the bench measures a big log, not the pruning of one.
os.environ["SHELFSCAN_BARCODE_RESULTS_MAX_NUM"] = "100000000"
os.environ["SHELFSCAN_BARCODE_RESULTS_MAX_DAYS"] = "36500"
os.environ["SHELFSCAN_BARCODE_SCAN_RATE_LIMIT"] = "1000000"  # one user scans for the whole bench

from sqlalchemy import create_engine, func, text  # noqa: E402

from bench.scan_load import DEFAULT_PG  # noqa: E402
from bench.serving import flask  # noqa: E402

PASSWORD = "bench-password-123"


def series(dialect: str, rows: int) -> str:
    """A FROM clause giving i = 1..rows."""
    if dialect == "sqlite":
        return f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {rows}) SELECT i FROM s) AS n"
    return f"generate_series(1, {rows}) AS n(i)"


def bulk_statements(dialect: str, rows: int) -> list[str]:
    """INSERT ... SELECT statements adding `rows` parts, stock items, linked barcodes and log rows."""
    s = series(dialect, rows)
    now = "CURRENT_TIMESTAMP"
    ago = ("datetime('now', '-' || (n.i % 300) || ' days', '-' || (n.i % 86400) || ' seconds')" if dialect == "sqlite"
           else "now() - make_interval(days => n.i % 300, secs => n.i % 86400)")
    blob = "CAST('BULK-SCAN-' || n.i AS BLOB)" if dialect == "sqlite" else "convert_to('BULK-SCAN-' || n.i, 'UTF8')"
    true = "1" if dialect == "sqlite" else "true"
    return [
        # name_key as models.natural_key spells it: a number is its length, then its digits.
        f"INSERT INTO part (name, name_key, ipn, description, units, active, created_at, updated_at) "
        f"SELECT 'Bulk part ' || n.i, 'bulk part ' || length(CAST(n.i AS TEXT)) || n.i, 'BULK-' || n.i, "
        f"'generated for the scale bench', '', {true}, {now}, {now} FROM {s}",
        # One stock item per bulk part, spread over the existing locations.
        f"INSERT INTO stock_item (part_id, location_id, quantity, batch, status, notes, created_at, updated_at) "
        f"SELECT p.id, (SELECT min(id) FROM stock_location), 1 + p.id % 50, '', 'ok', '', {now}, {now} "
        f"FROM part p WHERE p.ipn LIKE 'BULK-%'",
        f"INSERT INTO barcode (data_hash, data, object_type, object_id, created_at) "
        f"SELECT 'bulk-' || si.id, 'BULK-BC-' || si.id, 'stockitem', si.id, {now} "
        f"FROM stock_item si JOIN part p ON p.id = si.part_id WHERE p.ipn LIKE 'BULK-%'",
        f"INSERT INTO scan_log (created_at, source, raw, data, symbology, aim_id, plugin, result, object_type, "
        f"object_id, action, parsed, response, duration_ms) "
        f"SELECT {ago}, 'dialog', {blob}, 'BULK-SCAN-' || n.i, '', '', 'barcode_link', "
        f"CASE WHEN n.i % 5 = 0 THEN 'no_match' ELSE 'match' END, 'stockitem', n.i, '', '', '', 1.0 FROM {s}",
    ]


def prepare(url: str, rows: int) -> None:
    """Migrate, seed the demo data and an admin, then (rows > 0) add the bulk rows."""
    flask(url, "db", "upgrade")
    flask(url, "seed-demo")
    flask(url, "create-user", "bench-admin", "--role", "admin", "--password", PASSWORD)
    engine = create_engine(url)
    with engine.begin() as conn:
        # One linked barcode on a stock item in both databases, so both scans take the same path.
        conn.execute(text("INSERT INTO barcode (data_hash, data, object_type, object_id, created_at) "
                          "SELECT 'bench-probe', 'BENCH-PROBE-CODE', 'stockitem', min(id), CURRENT_TIMESTAMP FROM stock_item"))
    if rows:
        for statement in bulk_statements(engine.dialect.name, rows):
            started = time.perf_counter()
            with engine.begin() as conn:
                conn.execute(text(statement))
            print(f"#   {statement.split('(')[0].strip()[:30]:30} {time.perf_counter() - started:6.1f} s", flush=True)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    if engine.dialect.name == "sqlite":
        # Fold the bulk load's WAL into the database first, as a long-running database would be;
        # otherwise the first measured commits pay for checkpointing a million rows.
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def probes_for(url: str):
    """A signed-in client on one database and the requests to time against it, by name."""
    from app import create_app
    from extensions import db
    from models import Part, StockItem, StockLocation, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench"})
    client = app.test_client()
    answer = client.post("/login", data={"username": "bench-admin", "password": PASSWORD})
    assert answer.status_code in (302, 303), answer.status_code
    with app.app_context():
        part_id = db.session.scalar(db.select(Part.id).order_by(Part.id.desc()).limit(1))
        item_id = db.session.scalar(db.select(StockItem.id).order_by(StockItem.id.desc()).limit(1))
        user_id = db.session.scalar(db.select(User.id).where(User.username == "bench-admin"))
        # The location every bulk stock item is in, from its top-level location down.
        root_id = db.session.scalar(db.select(StockLocation.id).where(StockLocation.parent_id.is_(None))
                                    .order_by(StockLocation.id).limit(1))
        location_id = db.session.scalar(db.select(func.min(StockLocation.id)))  # where the bulk items are
        db.engine.dispose()
    details = "part_detail=true&location_detail=true&supplier_detail=true&supplier_part_detail=true"
    hx = {"HX-Request": "true"}
    return app, {
        "scan (linked barcode)": lambda: client.post("/scan", data={"barcode": "BENCH-PROBE-CODE"}, headers=hx),
        "scan (unknown code)": lambda: client.post("/scan", data={"barcode": "NOT-A-KNOWN-CODE"}, headers=hx),
        "part page": lambda: client.get(f"/parts/{part_id}"),
        "stock item page": lambda: client.get(f"/stock-items/{item_id}"),
        "history page": lambda: client.get("/admin/scans"),
        "history, filtered": lambda: client.get("/admin/scans?result=no_match"),
        "parts list": lambda: client.get("/parts/"),
        "parts search": lambda: client.get("/parts/?q=resistor"),
        "parts search (broad)": lambda: client.get("/parts/?q=part"),
        "stock search": lambda: client.get("/stock-items/?q=resistor"),
        "part as you type": lambda: client.get("/parts/options?q=resis"),
        "history, by user": lambda: client.get(f"/admin/scans?user_id={user_id}"),
        "start page": lambda: client.get("/"),
        "search everything": lambda: client.get("/search?q=resistor"),
        "parts search, 2 chars": lambda: client.get("/parts/?q=77"),
        "parts search, 1 char": lambda: client.get("/parts/?q=7"),
        "locations search, 2 chars": lambda: client.get("/locations/?q=L1"),
        "parts list, 100 a page": lambda: client.get("/parts/?per_page=100&page=3"),
        "location tree": lambda: client.get("/locations/tree"),
        "location, with sub-locations": lambda: client.get(f"/locations/{root_id}?sub=1"),
        # The InvenTree app's requests, as it sends them (tests/integration/test_inventree_app_*.py)
        "app: location's stock": lambda: client.get(
            f"/api/stock/?{details}&cascade=true&location={location_id}&ordering=+part__name&in_stock=true"
            "&active=true&limit=25&offset=0"),
        "app: top locations": lambda: client.get("/api/stock/location/?ordering=+pathstring&cascade=true"
                                                 "&limit=25&offset=0"),
        "app: part screen": lambda: client.get(f"/api/part/{part_id}/?category_detail=true"),
        "app: stock item screen": lambda: client.get(f"/api/stock/{item_id}/?{details}&cascade=false"),
    }


def _timed(name: str, probe) -> tuple[float, float]:
    started, cpu_started = time.perf_counter(), time.process_time()
    response = probe()
    elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu_started
    assert response.status_code == 200 or (name.startswith("scan") and response.headers.get("HX-Redirect")), \
        (name, response.status_code)
    return elapsed, cpu_used


def measure(urls: dict[str, str], repeats: int) -> dict[str, dict[str, tuple[float, float]]]:
    """Median (wall, CPU) ms of each request on each database, the databases taking turns request by
    request, so that drift on a shared machine (other work, caches, frequency) lands on both sides."""
    clients = {label: probes_for(url) for label, url in urls.items()}
    samples = {label: {} for label in urls}
    for name in next(iter(clients.values()))[1]:
        for n in range(repeats + 3):
            for label, (_app, probes) in clients.items():
                wall, cpu = _timed(name, probes[name])
                if n >= 3:  # the first calls warm caches and compile queries
                    samples[label].setdefault(name, []).append((wall, cpu))
    for app, _probes in clients.values():
        with app.app_context():
            from extensions import db

            db.engine.dispose()
    return {label: {name: (1000 * statistics.median(w for w, _ in times), 1000 * statistics.median(c for _, c in times))
                    for name, times in by_name.items()} for label, by_name in samples.items()}


def reset_pg(url: str) -> None:
    """Empty a PostgreSQL database of one's own."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    """Build the demo and the big database, measure both, print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="a database of your own (its schema is dropped)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shelfscan-scale-") as tmp:
        results = {}
        if args.db == "sqlite":  # both databases side by side, measured taking turns
            urls = {label: f"sqlite:///{Path(tmp) / f'{label}.db'}" for label in ("demo", "big")}
            for label, rows in (("demo", 0), ("big", args.rows)):
                print(f"# building the {label} database ({rows} bulk rows of each kind) on sqlite", flush=True)
                prepare(urls[label], rows)
            results = measure(urls, args.repeats)
        else:  # one database of one's own: demo first, then the big one
            for label, rows in (("demo", 0), ("big", args.rows)):
                reset_pg(args.pg_url)
                print(f"# building the {label} database ({rows} bulk rows of each kind) on postgresql", flush=True)
                prepare(args.pg_url, rows)
                results[label] = measure({label: args.pg_url}, args.repeats)[label]
        # On a shared machine wall time includes waiting for a CPU; the process's CPU time (which
        # on SQLite includes the database work) is the steadier figure.
        print(f"\n{'median per request':24} {'demo wall':>10} {'big wall':>10} {'ratio':>6}   "
              f"{'demo CPU':>9} {'big CPU':>9} {'ratio':>6}   (ms; big = {args.rows} rows of each)")
        for name, (demo_wall, demo_cpu) in results["demo"].items():
            big_wall, big_cpu = results["big"][name]
            print(f"{name:24} {demo_wall:10.2f} {big_wall:10.2f} {big_wall / demo_wall:6.2f}   "
                  f"{demo_cpu:9.2f} {big_cpu:9.2f} {big_cpu / max(demo_cpu, 1e-6):6.2f}")


if __name__ == "__main__":
    main()
