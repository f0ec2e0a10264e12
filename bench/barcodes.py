"""Barcode engine numbers: resolve per plugin path at 1000 and 1000000 linked barcodes, decode on the
corpus's 1280x720 frames, render per symbology. Prints; asserts nothing.

Run: .venv/bin/python bench/barcodes.py [--links 1000,1000000] [--skip-decode] [--skip-resolve] [--repeat 300]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "decode"
OBJECTS = 1000


def _median_ms(func, repeat: int) -> float:
    func()  # warm caches and lazy imports
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _seed(db) -> dict:
    """Parts with GTINs, DigiKey supplier parts, locations and stock items."""
    from barcodes.parsers.gs1 import gs1_check_ok
    from models import Company, Part, StockItem, StockLocation, SupplierPart

    digikey = Company(name="DigiKey")
    db.session.add(digikey)
    shelf = StockLocation(name="Shelf")
    db.session.add(shelf)
    parts = []
    for i in range(OBJECTS):
        body = f"590{i:09d}"
        gtin = next(body + str(d) for d in range(10) if gs1_check_ok(body + str(d)))
        parts.append(Part(name=f"Part {i}", gtin=gtin))
    db.session.add_all(parts)
    db.session.flush()
    db.session.add_all(SupplierPart(part=p, supplier=digikey, sku=f"296-P{p.id}-ND", mpn=f"MPN{p.id}") for p in parts)
    db.session.add_all(StockItem(part=p, location=shelf) for p in parts)
    db.session.commit()
    return {"part": parts[OBJECTS // 2], "shelf": shelf}


def _add_links(db_path: str, count: int) -> None:
    """Bulk-insert `count` linked barcodes with the engine's hash key, in hash order (sequential
    index appends), through a raw connection with syncing off: a throwaway database."""
    import sqlite3

    from barcodes.links import barcode_hash
    from barcodes.result import Scan

    rows = sorted((barcode_hash(Scan(raw=b"", text=f"EXT-{i:08d}")), f"EXT-{i:08d}", i % OBJECTS + 1)
                  for i in range(count))
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA synchronous=OFF")
    with connection:
        connection.executemany("INSERT INTO barcode (data_hash, data, object_type, object_id, created_at) "
                               "VALUES (?, ?, 'part', ?, CURRENT_TIMESTAMP)", rows)
    connection.execute("ANALYZE")
    connection.close()


def _paths(things: dict, links: int) -> dict[str, str]:
    from barcodes.internal import internal_code

    part_id, gtin = things["part_id"], things["gtin"]
    return {
        "internal": internal_code("part", part_id, "SS"),
        "inventree": json.dumps({"stocklocation": things["shelf_id"]}),
        "linked": f"EXT-{links // 2:08d}",
        "supplier": f"[)>\x1e06\x1dP296-P{part_id}-ND\x1d1PMPN{part_id}\x1dQ5\x1e\x04",
        "gs1": "\x1d01" + gtin.zfill(14) + "10LOT1",
        "no match": "SOMETHING-NOBODY-LINKED",
    }


def _build(tmp: str, count: int):
    """A migrated, seeded database with `count` linked barcodes, and its app."""
    from flask_migrate import upgrade

    from app import create_app
    from extensions import db

    path = f"{tmp}/bench-{count}.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        seeded = _seed(db)
        things = {"part_id": seeded["part"].id, "gtin": seeded["part"].gtin, "shelf_id": seeded["shelf"].id}
        db.engine.dispose()
    started = time.perf_counter()
    _add_links(path, count)
    print(f"  {count} linked barcodes inserted in {time.perf_counter() - started:.1f} s")
    return app, things


def _time_batch(app, data: str, batch: int) -> tuple[list[float], list[float]]:
    """Wall and CPU ms of `batch` scans, each in its own request context as a request makes it."""
    from extensions import db
    from services.barcode_engine import resolve_scan

    walls, cpus = [], []
    with app.app_context():
        for _ in range(batch):
            wall, cpu = time.perf_counter(), time.process_time()
            with app.test_request_context():
                resolve_scan(data, source="dialog")
                db.session.rollback()
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def bench_resolve(link_counts: list[int], repeat: int) -> None:
    """Resolve time per plugin path for each count of linked barcodes, measured interleaved."""
    from extensions import db
    from services.barcode_engine import resolve_scan

    print("resolve: median ms per scan, wall / CPU (every enabled plugin is asked; batches of the "
          "databases interleaved so machine load hits them alike)")
    with tempfile.TemporaryDirectory() as tmp:
        built = {count: _build(tmp, count) for count in sorted(link_counts)}
        for count, (app, things) in built.items():
            with app.app_context():
                for name, data in _paths(things, count).items():
                    assert (resolve_scan(data, source="dialog").status == "match") == (name != "no match"), name
                if count == max(built):
                    plan = db.session.connection().exec_driver_sql(
                        "EXPLAIN QUERY PLAN SELECT * FROM barcode WHERE data_hash = ?", ("x",)).fetchall()
                    print(f"  linked lookup plan: {plan[0][-1]}")
        samples = {count: {} for count in built}
        names = list(_paths(next(iter(built.values()))[1], 2))
        for _round in range(max(1, repeat // 20)):
            for name in names:
                for count, (app, things) in built.items():
                    walls, cpus = _time_batch(app, _paths(things, count)[name], 20)
                    entry = samples[count].setdefault(name, ([], []))
                    entry[0].extend(walls)
                    entry[1].extend(cpus)
    counts = sorted(built)
    print("  path        " + "".join(f"{c:>18}" for c in counts) + "   ratio (wall, CPU)")
    for name in names:
        cells, ratios = "", []
        for count in counts:
            wall, cpu = (statistics.median(v) for v in samples[count][name])
            cells += f"{wall:>10.2f} /{cpu:>6.2f}"
            ratios.append((wall, cpu))
        first, last = ratios[0], ratios[-1]
        print(f"  {name:<12}{cells}   {last[0] / first[0]:.2f}x, {last[1] / first[1]:.2f}x")


def bench_decode() -> None:
    """Median decode time on the 1280x720 frames (wall and CPU) and success counts."""
    from barcodes.decode import decode

    manifest = CORPUS / "manifest.json"
    if not manifest.exists():
        print(f"decode: corpus not found at {CORPUS}")
        return
    entries = json.loads(manifest.read_text())
    walls, cpus, frames_ok, frames, total_ok = [], [], 0, 0, 0
    for entry in entries:
        data = (CORPUS / entry["file"]).read_bytes()
        wall, cpu = time.perf_counter(), time.process_time()
        texts = [d.text for d in decode(data)]
        wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
        hit = entry["expected"] in texts
        total_ok += hit
        if (entry["w"], entry["h"]) == (1280, 720):
            frames += 1
            frames_ok += hit
            walls.append(wall)
            cpus.append(cpu)
    print(f"decode: corpus {total_ok}/{len(entries)} decoded to the expected text")
    print(f"  1280x720 frames: {frames_ok}/{frames} decoded; median {statistics.median(walls):.1f} ms wall, "
          f"{statistics.median(cpus):.1f} ms CPU (wall includes waiting for a shared CPU)")


def bench_render(repeat: int) -> None:
    """Median render time per symbology and format, and segno for comparison."""
    import io

    import segno

    from barcodes.render import draw_barcode

    print("render: median ms")
    samples = {"qr": "SSP12345X", "datamatrix": "SSP12345X", "code128": "SSP12345X", "ean13": "5901234123457"}
    for symbology, data in samples.items():
        line = [f"{fmt} {_median_ms(lambda f=fmt: draw_barcode(data, symbology, f), repeat):.2f}" for fmt in ("svg", "png")]
        print(f"  {symbology:<11} " + "   ".join(line))

    def segno_svg() -> None:
        segno.make("SSP12345X", micro=False).save(io.BytesIO(), kind="svg", scale=4)
    print(f"  (segno QR svg for comparison: {_median_ms(segno_svg, repeat):.2f})")


def main() -> None:
    """Parse options and run the three benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--links", default="1000,1000000", help="comma-separated linked-barcode counts")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--skip-decode", action="store_true")
    parser.add_argument("--skip-resolve", action="store_true")
    args = parser.parse_args()
    if not args.skip_resolve:
        bench_resolve([int(c) for c in args.links.split(",")], args.repeat)
    if not args.skip_decode:
        bench_decode()
    bench_render(min(args.repeat, 200))


if __name__ == "__main__":
    main()
