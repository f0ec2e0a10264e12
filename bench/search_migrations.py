"""The price of the short-search index and the natural sort key: the two migrations on a big database,
the space the new index takes, and the cost of writing a part before and after them.

    .venv/bin/python bench/search_migrations.py                  # SQLite, 1,000,000 parts and stock items
    .venv/bin/python bench/search_migrations.py --rows 200000 --db postgresql --pg-url postgresql+psycopg://.../own_db

The database is migrated to the revision before them (83304dd5c03d), filled by the database itself
(as bench/scale.py does), then upgraded one revision at a time. Prints wall and CPU seconds; on
SQLite the work is in this process, so its CPU time is the migration's; on PostgreSQL the server's
work is not in it, so read the wall time there.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.scale import reset_pg, series  # noqa: E402
from bench.scan_load import DEFAULT_PG  # noqa: E402

BEFORE = "83304dd5c03d"
STEPS = (("a7d3c1e9f2b4", "short-search index"), ("b8e4d2f0a3c5", "natural sort keys"))
WRITES = 300


def fill(url: str, rows: int) -> None:
    """`rows` parts and one stock item each, made by the database (the columns of revision BEFORE)."""
    engine = create_engine(url)
    dialect = engine.dialect.name
    s, true, now = series(dialect, rows), "1" if dialect == "sqlite" else "true", "CURRENT_TIMESTAMP"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO stock_location (name, description, created_at, updated_at) "
                          f"VALUES ('Store', '', {now}, {now})"))
        conn.execute(text(f"INSERT INTO part (name, ipn, description, units, active, created_at, updated_at) "
                          f"SELECT 'Bulk part ' || n.i, 'BULK-' || n.i, '', '', {true}, {now}, {now} FROM {s}"))
        conn.execute(text(f"INSERT INTO stock_item (part_id, location_id, quantity, batch, status, notes, created_at, "
                          f"updated_at) SELECT p.id, (SELECT min(id) FROM stock_location), 1, 'LOT-' || p.id, 'ok', '', "
                          f"{now}, {now} FROM part p"))
    engine.dispose()


def timed(what) -> tuple[float, float]:
    """(wall, CPU) seconds of calling `what`."""
    started, cpu = time.perf_counter(), time.process_time()
    what()
    return time.perf_counter() - started, time.process_time() - cpu


def write_cost(url: str) -> float:
    """Milliseconds (CPU on SQLite, wall on PostgreSQL) per part inserted, renamed and deleted, one commit
    each: what the search triggers and indexes add to a write (plain SQL, as the columns differ by revision)."""
    engine = create_engine(url)
    clock = time.process_time if engine.dialect.name == "sqlite" else time.perf_counter
    started = clock()
    for n in range(WRITES):
        with engine.begin() as conn:
            part_id = conn.execute(text("INSERT INTO part (name, ipn, description, units, active, created_at, updated_at) "
                                        "VALUES (:name, :ipn, '', '', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"),
                                   {"name": f"Probe {n}", "ipn": f"PROBE-{n}"}).scalar()
        with engine.begin() as conn:
            conn.execute(text("UPDATE part SET name = :name WHERE id = :id"), {"name": f"Probe {n} renamed", "id": part_id})
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM part WHERE id = :id"), {"id": part_id})
    used = clock() - started
    engine.dispose()
    return 1000 * used / WRITES


def sizes(url: str) -> str:
    """The space the short-search index and the sort keys take (SQLite: pages; PostgreSQL: relations)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            try:
                rows = conn.execute(text("SELECT sum(pgsize) FROM dbstat WHERE name LIKE '%search_short%'")).scalar()
                keys = conn.execute(text("SELECT sum(pgsize) FROM dbstat WHERE name LIKE '%name_key%'")).scalar()
                total = conn.execute(text("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")).scalar()
                return (f"short-search index {(rows or 0) / 2**20:.1f} MiB, name_key indexes {(keys or 0) / 2**20:.1f} MiB, "
                        f"database {total / 2**20:.1f} MiB")
            except Exception as error:  # dbstat is an optional part of SQLite
                return f"(no dbstat: {error})"
        short = conn.execute(text("SELECT sum(pg_relation_size(indexrelid)) FROM pg_index i JOIN pg_class c "
                                  "ON c.oid = i.indexrelid WHERE c.relname LIKE '%short_search'")).scalar()
        return f"short-search indexes {(short or 0) / 2**20:.1f} MiB"


def main() -> None:
    """Build, migrate step by step, print the times, sizes and write costs."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="a database of your own (its schema is dropped)")
    args = parser.parse_args()
    from flask_migrate import upgrade

    from app import create_app
    from extensions import db

    with tempfile.TemporaryDirectory(prefix="shelfscan-migrations-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'big.db'}" if args.db == "sqlite" else args.pg_url
        if args.db == "postgresql":
            reset_pg(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
        with app.app_context():
            upgrade(revision=BEFORE)
            db.engine.dispose()
        print(f"# load {os.getloadavg()}; {args.rows} parts and stock items on {args.db}", flush=True)
        wall, _ = timed(lambda: fill(url, args.rows))
        print(f"filled in {wall:.1f} s")
        print(f"write cost before: {write_cost(url):.2f} ms per part inserted, renamed and deleted")
        for revision, name in STEPS:
            with app.app_context():
                wall, cpu = timed(lambda: upgrade(revision=revision))
                db.engine.dispose()
            print(f"migration {revision} ({name}): {wall:.1f} s wall, {cpu:.1f} s CPU")
        print(f"write cost after:  {write_cost(url):.2f} ms per part inserted, renamed and deleted")
        print(sizes(url))
        print(f"# load {os.getloadavg()}; peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
