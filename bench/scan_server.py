"""Server time of POST /scan and POST /scan/image (a 1280x720 camera frame), measured in-process.

    .venv/bin/python bench/scan_server.py [--rounds 50] [--database-url URL]

Builds a throwaway SQLite database by running the migrations (or uses --database-url, which it
fills with one part), signs in, and prints p50/p95 of the whole request as the WSGI app serves it,
and of the scan service alone (normalise + resolve + log + commit, as written to the scan log).
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

PASSWORD = "bench password 1"


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   (n={len(ordered)})"


def _frame(text: str) -> bytes:
    """A 1280x720 JPEG camera frame with the part's QR label in the middle."""
    from barcodes.render import draw_barcode

    label = Image.open(io.BytesIO(draw_barcode(text, "qr", "png"))).convert("RGB")
    scale = max(1, 300 // max(label.size))
    label = label.resize((label.width * scale, label.height * scale), Image.NEAREST)
    frame = Image.new("RGB", (1280, 720), (120, 114, 106))
    frame.paste(label, ((1280 - label.width) // 2, (720 - label.height) // 2))
    out = io.BytesIO()
    frame.save(out, "JPEG", quality=85)
    return out.getvalue()


def _setup(app):
    """One viewer and one part; returns the part's internal code."""
    from barcodes.internal import internal_code
    from extensions import db
    from models import Part, User

    user = User(username="bench", role="viewer")
    user.set_password(PASSWORD)
    part = Part(name="Bench part")
    db.session.add_all([user, part])
    db.session.commit()
    return internal_code("part", part.id)


def _time(client, rounds: int, **post) -> list[float]:
    timings = []
    for _ in range(rounds):
        if "data_factory" in post:
            kwargs = dict(post, data=post["data_factory"]())
            kwargs.pop("data_factory")
        else:
            kwargs = post
        started = time.perf_counter()
        response = client.post(**kwargs)
        timings.append((time.perf_counter() - started) * 1000)
        assert "HX-Redirect" in response.headers, response.get_data(as_text=True)[:300]
    return timings


def main() -> None:
    """Run the benchmark and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    os.environ["SHELFSCAN_BARCODE_SCAN_RATE_LIMIT"] = "1000000"  # one user scans every round: lift the limit

    from flask_migrate import upgrade

    from app import create_app
    from extensions import db
    from models import ScanLog

    workdir = tempfile.mkdtemp(prefix="shelfscan-bench-")
    url = args.database_url or f"sqlite:///{workdir}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        code = _setup(app)
        frame = _frame(code)
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": PASSWORD})
        client.environ_base["HTTP_HX_REQUEST"] = "true"
        _time(client, 3, path="/scan", data={"barcode": code, "source": "wedge"})  # warm up
        text_times = _time(client, args.rounds, path="/scan", data={"barcode": code, "source": "wedge"})
        image_times = _time(client, args.rounds, path="/scan/image", content_type="multipart/form-data",
                            data_factory=lambda: {"image": (io.BytesIO(frame), "frame.jpg"), "source": "camera"})
        logged = {source: [row.duration_ms for row in db.session.execute(
            db.select(ScanLog).filter_by(source=source).order_by(ScanLog.id.desc()).limit(args.rounds)).scalars()]
            for source in ("wedge", "camera")}
    print(f"database: {url.split('://')[0]}, frame: 1280x720 JPEG {len(frame) // 1024} KB")
    print(f"POST /scan         request  {_percentiles(text_times)}")
    print(f"                   service  {_percentiles(logged['wedge'])}")
    print(f"POST /scan/image   request  {_percentiles(image_times)}")
    print(f"                   service  {_percentiles(logged['camera'])}")


if __name__ == "__main__":
    main()
