"""Time from Print to the last byte at the printer, for 1, 50 and 500 labels on each kind of printer
(goal: 500 ZPL labels within 5 s), on a throwaway database.

The printers are the tests' fakes on 127.0.0.1 (tests/fake_printers.py): a Zebra that answers ~HS
and a Brother QL that reports each printed page, each capturing what it is sent; and, when cups and
printer-driver-cups-pdf are installed and this runs as root, a private cupsd with a cups-pdf queue
(for CUPS the "last byte" is cups-pdf finishing the PDF). Each print is a real background job
(services/printers/jobs.py): labels rendered in the budgeted render process, made for the printer,
sent over the socket. CPU is this process's (the job's thread included) plus the render child's.

Run: .venv/bin/python bench/printers.py [--counts 1 50 500] [--kinds zpl brother cups]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.labels import cpu, seed_stock_items  # noqa: E402 (after the path)
from tests.fake_printers import wait_for_job  # noqa: E402


def last_pdf_written(folder: Path, before: set, seconds: float = 600) -> float:
    """perf_counter time when cups-pdf's new PDF stopped growing (polled every 20 ms)."""
    deadline, size, since = time.monotonic() + seconds, -1, 0.0
    while time.monotonic() < deadline:
        new = [p for p in folder.glob("*.pdf") if p.name not in before]
        if new:
            now = new[0].stat().st_size
            if now != size:
                size, since = now, time.perf_counter()
            elif now and b"%%EOF" in new[0].read_bytes()[-64:] and time.perf_counter() - since > 0.5:
                return since
        time.sleep(0.02)
    raise SystemExit("cups-pdf wrote no PDF")


def printers(kinds: list[str], registry, stack: list):
    """(kind, printer row, fake or CUPS server) for each kind that can run here."""
    from tests.fake_printers import CupsServer, FakePrinter, cups_available

    made = []
    for kind in kinds:
        if kind == "cups":
            why = cups_available()
            if why:
                print(f"  (CUPS skipped: {why})")
                continue
            target = CupsServer()
            stack.append(target.stop)
            address, printer_kind, dpi = target.address, "cups", 300
        else:
            target = FakePrinter(kind)
            stack.append(target.close)
            address, printer_kind, dpi = target.address, "zpl" if kind == "zpl" else "brother_ql", 203 if kind == "zpl" else 300
        row = registry.save(None, {"name": f"Bench {kind}", "kind": printer_kind, "address": address,
                                   "media_width_mm": 62, "media_height_mm": 29, "dpi": dpi})
        made.append((kind, row, target))
    return made


def main() -> None:
    """Build a database of stock items, then time prints of each size on each printer."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 50, 500])
    parser.add_argument("--kinds", nargs="+", default=["zpl", "brother", "cups"], choices=["zpl", "brother", "cups"])
    args = parser.parse_args()
    from app import create_app
    from extensions import db
    from services.labels.printing import PrintOrder
    from services.printers import jobs, registry

    stack: list = []
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            ids = tuple(seed_stock_items(max(args.counts)))
            print(f"Print to the last byte at the printer (stock-item labels, 62 x 29 mm); "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:")
            try:
                for kind, printer, target in printers(args.kinds, registry, stack):
                    wait_for_job(jobs.submit(None, printer.id, PrintOrder("stockitem", ids[:2])).id)  # warm up
                    for count in args.counts:
                        before = {p.name for p in target.out.glob("*.pdf")} if kind == "cups" else set()
                        started, used = time.perf_counter(), cpu()
                        job = wait_for_job(jobs.submit(None, printer.id, PrintOrder("stockitem", ids[:count])).id)
                        done, job_cpu = time.perf_counter(), cpu() - used
                        if job["state"] != "printed":
                            raise SystemExit(f"{kind}: {job['message']}")
                        last = last_pdf_written(target.out, before) if kind == "cups" else target.last_byte_at
                        sent = "     PDF"
                        if kind != "cups":
                            sent = f"{sum(map(len, target.jobs)) / 1024:6.0f} KiB"
                            target.jobs.clear()
                        print(f"  {kind:8s} {count:4d} labels: last byte after {last - started:6.2f} s, job done after "
                              f"{done - started:6.2f} s, {job_cpu:5.2f} s CPU, {sent}")
            finally:
                for stop in stack:
                    stop()
            print(f"load average afterwards {os.getloadavg()[0]:.1f}")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
