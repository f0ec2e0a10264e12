"""Scans per minute in a scan-in session: key press to staged row, in a real browser.

    .venv/bin/python bench/stock_scans.py [--scans 40] [--delay 5]

Builds a throwaway SQLite database by running the migrations, serves the app on a free localhost
port in a thread, signs in with Debian's Chromium (Playwright), opens "Scan items in" on a location
and types each stock item's label into the session input as a keyboard-wedge scanner does (`delay`
ms between keys, then Enter). Prints p50/p90 from the first key press to the staged row (measured
in the page) and from Enter to the row (server + swap), and what that means in scans per minute.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench password 1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


def _app(path: Path):
    """A migrated app on a fresh SQLite file."""
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        upgrade()
    return app


def _setup(app, scans: int) -> tuple[int, list[str]]:
    """An operator, two locations and `scans` stock items; returns the target location and the labels."""
    from decimal import Decimal

    from barcodes.internal import internal_code
    from extensions import db
    from models import Part, StockItem, StockLocation, User

    with app.app_context():
        user = User(username="bench", role="operator")
        user.set_password(PASSWORD)
        here, there = StockLocation(name="Target"), StockLocation(name="Source")
        part = Part(name="Bench part")
        items = [StockItem(part=part, location=there, quantity=Decimal(n + 1)) for n in range(scans)]
        db.session.add_all([user, here, there, part, *items])
        db.session.commit()
        return here.id, [internal_code("stockitem", item.id) for item in items]


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"p50 {statistics.median(ordered):6.0f} ms   p90 {p90:6.0f} ms   (n={len(ordered)})"


def main() -> None:
    """Run the session and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=40)
    parser.add_argument("--delay", type=int, default=5, help="ms between the scanner's keys")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp) / "bench.db")
        location_id, labels = _setup(app, args.scans)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=username]", "bench")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            page.goto(f"{base}/locations/{location_id}")
            page.get_by_role("button", name="Scan items in").click()
            page.wait_for_selector("[data-session-input]:focus")
            after_enter = []
            for number, label in enumerate(labels, start=1):
                page.keyboard.type(label, delay=args.delay)
                pressed = time.perf_counter()
                page.keyboard.press("Enter")
                page.wait_for_selector(f"#scan-feed li:nth-child({number})", state="attached")  # older rows fold away
                after_enter.append((time.perf_counter() - pressed) * 1000)
            page.wait_for_function(f"document.querySelectorAll('#scan-feed li[data-scan-ms]').length === {len(labels)}")
            in_page = [float(v) for v in page.eval_on_selector_all("#scan-feed li", "r => r.map(e => e.dataset.scanMs)")]
            browser.close()
        server.shutdown()
    typing = len(labels[0]) * args.delay
    print(f"label {len(labels[0])} characters at {args.delay} ms a key (~{typing} ms of typing per scan)")
    print(f"first key to staged row:  {_percentiles(in_page)}")
    print(f"Enter to staged row:      {_percentiles(after_enter)}")
    print(f"scans per minute the page keeps up with: {60000 / statistics.median(in_page):.0f}")


if __name__ == "__main__":
    main()
