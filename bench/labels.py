"""Time 1000 labels as one PDF (goal: under 5 s), per built-in template, on a throwaway database.

Run: .venv/bin/python bench/labels.py [count]
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(count: int = 1000) -> None:
    """Build a database with `count` stock items and print PDF and ZPL timings per template."""
    from flask_migrate import upgrade

    from app import create_app
    from extensions import db
    from models import Part, StockItem, StockLocation
    from services.labels import printing

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            shelf = StockLocation(name="Bench shelf", parent=StockLocation(name="Store"))
            part = Part(name="Resistor 10kΩ 0603 thick film 1%", ipn="R-10K-0603", units="pcs")
            db.session.add_all([shelf, part])
            db.session.add_all(StockItem(part=part, location=shelf, quantity=Decimal(i + 1), batch=f"L{i:05d}")
                               for i in range(count))
            db.session.commit()
            ids = list(db.session.execute(db.select(StockItem.id)).scalars())
            templates = printing.templates_for("stockitem")
            for template in templates:  # warm up: imports, font registration, compiled templates
                printing.build_pdf(template, printing.PrintOrder("stockitem", tuple(ids[:5])))
            print(f"{count} stock-item labels, one PDF each template (ReportLab, vector barcodes); "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:")
            for template in templates:
                started, cpu = time.perf_counter(), time.process_time()
                pdf = printing.build_pdf(template, printing.PrintOrder("stockitem", tuple(ids)))
                pdf_s, pdf_cpu = time.perf_counter() - started, time.process_time() - cpu
                started = time.perf_counter()
                zpl = printing.build_zpl(template, printing.PrintOrder("stockitem", tuple(ids)))
                zpl_s = time.perf_counter() - started
                print(f"  {template.name:40s} PDF {pdf_s:5.2f} s wall, {pdf_cpu:5.2f} s CPU "
                      f"({len(pdf) / 1024:5.0f} KiB)   "
                      f"ZPL {zpl_s:5.2f} s ({len(zpl) / 1024:5.0f} KiB)")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
