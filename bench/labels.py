"""Time 1000 labels as one PDF (goal: under 5 s), per built-in template, on a throwaway database.

Templates render in a budgeted child process (services/labels/render_process.py); CPU times here are
this process's plus that child's. The last lines compare rendering alone in this process with the
child, to show what the budget costs.

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


def child_cpu() -> float:
    """CPU seconds (user + system) the render process has used so far (0 before it starts)."""
    from services.labels import render_process

    child = render_process._state["child"]
    if child is None:
        return 0.0
    fields = Path(f"/proc/{child.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu() -> float:
    """CPU seconds of this process and the render child."""
    return time.process_time() + child_cpu()


def compare_rendering(body: str, contexts: list[dict]) -> None:
    """Render the same labels in this process and through the child; print both."""
    from services.labels.render_process import render_many
    from services.labels.sandbox import render_here

    started, used = time.perf_counter(), time.process_time()
    for values in contexts:
        render_here(body, values)
    here = (time.perf_counter() - started, time.process_time() - used)
    started, used = time.perf_counter(), cpu()
    list(render_many(body, contexts))
    child = (time.perf_counter() - started, cpu() - used)
    print(f"  rendering {len(contexts)} labels alone: in this process {here[0]:.3f} s wall, {here[1]:.3f} s CPU; "
          f"in the budgeted child {child[0]:.3f} s wall, {child[1]:.3f} s CPU (both processes)")


def seed_stock_items(count: int) -> list[int]:
    """Migrate the app's (throwaway) database and add `count` stock items of one part on one shelf; their ids."""
    from flask_migrate import upgrade

    from extensions import db
    from models import Part, StockItem, StockLocation

    upgrade()
    shelf = StockLocation(name="Bench shelf", parent=StockLocation(name="Store"))
    part = Part(name="Resistor 10kΩ 0603 thick film 1%", ipn="R-10K-0603", units="pcs")
    db.session.add_all([shelf, part])
    db.session.add_all(StockItem(part=part, location=shelf, quantity=Decimal(i + 1), batch=f"L{i:05d}")
                       for i in range(count))
    db.session.commit()
    return list(db.session.execute(db.select(StockItem.id)).scalars())


def main(count: int = 1000) -> None:
    """Build a database with `count` stock items and print PDF and ZPL timings per template."""
    from app import create_app
    from extensions import db
    from services.labels import printing

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            ids = seed_stock_items(count)
            templates = printing.templates_for("stockitem")
            for template in templates:  # warm up: imports, font registration, compiled templates
                printing.build_pdf(template, printing.PrintOrder("stockitem", tuple(ids[:5])))
            print(f"{count} stock-item labels, one PDF each template (ReportLab, vector barcodes); "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:")
            for template in templates:
                started, used = time.perf_counter(), cpu()
                pdf = printing.build_pdf(template, printing.PrintOrder("stockitem", tuple(ids)))
                pdf_s, pdf_cpu = time.perf_counter() - started, cpu() - used
                started = time.perf_counter()
                zpl = printing.build_zpl(template, printing.PrintOrder("stockitem", tuple(ids)))
                zpl_s = time.perf_counter() - started
                print(f"  {template.name:40s} PDF {pdf_s:5.2f} s wall, {pdf_cpu:5.2f} s CPU "
                      f"({len(pdf) / 1024:5.0f} KiB)   "
                      f"ZPL {zpl_s:5.2f} s ({len(zpl) / 1024:5.0f} KiB)")
            from services.labels.context import label_context, load_objects

            items = load_objects("stockitem", ids)
            compare_rendering(templates[0].body, [{**label_context("stockitem", item, "SS"), "show_text": True}
                                                  for item in items])
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
