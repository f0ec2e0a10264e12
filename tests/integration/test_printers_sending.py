"""Printing straight to printers, through real loopback sockets: a fake Zebra and a fake Brother QL
capture what they are sent; the ZPL is read back label by label, the Brother raster turned back into
images by brother_ql and every barcode decoded; printers that are off fail in bounded time."""
from __future__ import annotations

import datetime as dt
import io
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from brother_ql.reader import BrotherQLReader

from barcodes.decode import decode
from barcodes.internal import internal_code
from extensions import db
from models import Part, PrintJob, StockItem, StockLocation, utcnow
from services.labels.printing import PrintOrder, templates_for
from services.printers import jobs, registry
from tests.fake_printers import FakePrinter, closed_port, wait_for_job


def wait_for(job_id: int) -> dict:
    """The job once it is printed or failed (within a minute)."""
    return wait_for_job(job_id, 60)


@pytest.fixture
def parts(app):
    """Three parts on a shelf, and a stock item."""
    shelf = StockLocation(name="Shelf 1")
    made = [Part(name=f"Resistor {ohms} ohm", ipn=f"R-{ohms}", units="pcs") for ohms in (100, 220, 470)]
    item = StockItem(part=made[0], location=shelf, quantity=Decimal(5))
    db.session.add_all([shelf, *made, item])
    db.session.commit()
    return made


def add_printer(name: str, kind: str, address: str, width=62, height=29, dpi=None, **extra):
    values = {"name": name, "kind": kind, "address": address, "media_width_mm": width, "media_height_mm": height,
              "dpi": dpi or (203 if kind == "zpl" else 300), **extra}
    return registry.save(None, values)


def zpl_labels(data: bytes) -> list[str]:
    return re.findall(r"\^XA.*?\^XZ", data.decode("utf-8"), flags=re.S)


def test_zpl_printer_gets_one_label_block_per_object_with_its_fields(app, parts):
    printer_at = FakePrinter("zpl")
    zebra = next(t for t in templates_for("part") if t.name.startswith("Zebra 102"))
    printer = add_printer("Zebra", "zpl", printer_at.address, width=102, height=51, default_templates={"part": zebra.id})
    job = jobs.submit(None, printer.id, PrintOrder("part", tuple(p.id for p in parts), copies=2))
    done = wait_for(job.id)
    assert done["state"] == "printed", done["message"]
    assert "ready" in done["message"]
    sent = b"".join(printer_at.jobs)
    labels = zpl_labels(sent)
    assert len(labels) == 3 and sent.decode().count("^XA") == 3
    for part, label in zip(parts, labels):
        assert f"^FDMA,{internal_code('part', part.id)}^FS" in label
        assert part.ipn in label and "^PQ2" in label and "^PW816" in label  # 102 mm at 8 dots/mm


def read_back(raster: bytes, folder: Path) -> list[Path]:
    """The pages of a Brother QL raster job, as brother_ql's own reader draws them."""
    reader = BrotherQLReader(io.BufferedReader(io.BytesIO(raster)))
    reader.filename_fmt = str(folder / "page{counter:04d}.png")
    reader.analyse()
    return sorted(folder.glob("page*.png"))


@pytest.mark.parametrize("media", [(62, 29), (62, None)], ids=["die-cut-62x29", "endless-62"])
def test_brother_ql_raster_reads_back_and_every_barcode_decodes(app, parts, tmp_path, media):
    printer_at = FakePrinter("brother", media=(media[0], media[1] or 0))
    printer = add_printer("Brother", "brother_ql", printer_at.address, width=media[0], height=media[1])
    job = jobs.submit(None, printer.id, PrintOrder("part", tuple(p.id for p in parts)))
    done = wait_for(job.id)
    assert done["state"] == "printed", done["message"]
    assert "printed 3 labels" in done["message"]
    pages = read_back(b"".join(printer_at.jobs), tmp_path)
    assert len(pages) == 3
    for part, page in zip(parts, pages):
        texts = {found.text for found in decode(page.read_bytes())}
        assert internal_code("part", part.id) in texts


def test_brother_media_must_fit_the_template(app, parts):
    printer = add_printer("Brother 29", "brother_ql", "127.0.0.1:9100", width=29, height=90)
    with pytest.raises(jobs.JobRefused, match="29 x 90 mm labels"):
        jobs.submit(None, printer.id, PrintOrder("part", (parts[0].id,)), template_id=None)


def test_closed_port_fails_fast_and_a_retry_prints_once(app, parts):
    port = closed_port()
    printer = add_printer("Zebra", "zpl", f"127.0.0.1:{port}", width=102, height=51)
    started = time.monotonic()
    job = jobs.submit(None, printer.id, PrintOrder("part", (parts[0].id,)))
    failed = wait_for(job.id)
    assert failed["state"] == "failed" and "refused the connection" in failed["message"]
    assert time.monotonic() - started < 10
    printer_at = FakePrinter("zpl", port=port)  # switched on again
    jobs.retry(jobs.get(job.id, 0, True))
    printed = wait_for(job.id)
    assert printed["state"] == "printed" and printed["attempts"] == 2
    assert len(zpl_labels(b"".join(printer_at.jobs))) == 1


def test_printer_that_never_reads_fails_in_bounded_time_and_gets_no_labels(app, parts):
    hole = FakePrinter("blackhole")
    printer = add_printer("Zebra", "zpl", hole.address, width=102, height=51)
    started = time.monotonic()
    job = jobs.submit(None, printer.id, PrintOrder("part", tuple(p.id for p in parts)))
    failed = wait_for(job.id)
    assert failed["state"] == "failed" and "did not answer" in failed["message"]
    assert "nothing was sent to print" in failed["message"]  # not "the labels may not have printed"
    assert time.monotonic() - started < 15
    port = hole.port
    hole.close()
    printer_at = FakePrinter("zpl", port=port)
    jobs.retry(jobs.get(job.id, 0, True))
    assert wait_for(job.id)["state"] == "printed"
    assert len(zpl_labels(b"".join(printer_at.jobs))) == 3  # once: the first try sent no labels


def test_printer_out_of_paper_gets_nothing_and_says_so(app, parts):
    printer_at = FakePrinter("zpl", paper_out=True)
    printer = add_printer("Zebra", "zpl", printer_at.address, width=102, height=51)
    failed = wait_for(jobs.submit(None, printer.id, PrintOrder("part", (parts[0].id,))).id)
    assert failed["state"] == "failed" and "paper out" in failed["message"]
    assert printer_at.jobs == []


def _states(job_ids: list[int]) -> list[str]:
    states = [jobs.describe(jobs.get(job_id, 0, True))["state"] for job_id in job_ids]
    db.session.rollback()  # the test's own session gives its connection back too
    return states


def _wait_until(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_jobs_waiting_for_a_busy_printer_hold_no_database_connection(app, parts, admin_client):
    """Twelve jobs for a printer that does not answer: one sends, eleven wait, and none of them keeps
    a pooled connection (a PostgreSQL pool has ten), so pages and other jobs still get one."""
    hole = FakePrinter("blackhole")
    printer = add_printer("Zebra", "zpl", hole.address, width=102, height=51)
    queued = [jobs.submit(None, printer.id, PrintOrder("part", (parts[0].id,))).id for _ in range(12)]
    assert _wait_until(lambda: _states(queued)[0] == "sending")
    assert _wait_until(lambda: db.engine.pool.checkedout() == 0, 3), f"{db.engine.pool.checkedout()} connections held"
    assert _states(queued)[1:] == ["queued"] * 11  # still waiting for the printer: the pool was not freed by finishing
    page = admin_client.get("/labels/printers")
    assert page.status_code == 200 and page.get_data(as_text=True).count("queued") >= 11
    hole.close()  # switched off: the rest fail fast
    assert {wait_for(job_id)["state"] for job_id in queued} == {"failed"}


def test_a_busy_printer_does_not_hold_up_another_printer(app, parts):
    """Five jobs wait for a Zebra that does not answer; a job for an idle Zebra prints at once, while
    the first is still sending, instead of waiting for a sending slot held by the queue."""
    hole = FakePrinter("blackhole")
    busy = add_printer("Zebra 1", "zpl", hole.address, width=102, height=51)
    idle_at = FakePrinter("zpl")
    idle = add_printer("Zebra 2", "zpl", idle_at.address, width=102, height=51)
    waiting = [jobs.submit(None, busy.id, PrintOrder("part", (parts[0].id,))).id for _ in range(5)]
    assert _wait_until(lambda: _states(waiting)[0] == "sending")
    printed = wait_for(jobs.submit(None, idle.id, PrintOrder("part", (parts[1].id,))).id)
    assert printed["state"] == "printed" and len(zpl_labels(b"".join(idle_at.jobs))) == 1
    assert _states(waiting)[0] == "sending"  # the busy printer's first job has not given up yet
    hole.close()
    assert {wait_for(job_id)["state"] for job_id in waiting} == {"failed"}


def test_a_printers_jobs_print_in_the_order_they_were_queued(app, parts):
    """Eight jobs queued at once for one Zebra come out in the order they were asked for."""
    printer_at = FakePrinter("zpl")
    printer = add_printer("Zebra", "zpl", printer_at.address, width=102, height=51)
    order = [parts[n % 3] for n in range(8)]
    queued = [jobs.submit(None, printer.id, PrintOrder("part", (part.id,))).id for part in order]
    assert {wait_for(job_id)["state"] for job_id in queued} == {"printed"}
    printed = [label for job in printer_at.jobs for label in zpl_labels(job)]
    assert [next(p.ipn for p in parts if p.ipn in label) for label in printed] == [p.ipn for p in order]


def test_a_long_queue_is_not_taken_for_an_interrupted_one(app, parts):
    """Jobs that have waited past the stale limit behind a slow printer are kept fresh by their sender:
    they stay queued (an interrupted one could be retried, and would print twice)."""
    hole = FakePrinter("blackhole")
    printer = add_printer("Zebra", "zpl", hole.address, width=102, height=51)
    queued = [jobs.submit(None, printer.id, PrintOrder("part", (parts[0].id,))).id for _ in range(3)]
    assert _wait_until(lambda: _states(queued)[0] == "sending")
    long_ago = utcnow() - dt.timedelta(minutes=jobs.STALE_MINUTES + 5)  # as if the first took that long
    db.session.execute(db.update(PrintJob).where(PrintJob.id.in_(queued[1:])).values(updated_at=long_ago))
    db.session.commit()
    assert _wait_until(lambda: _states(queued)[1] == "sending", 30)  # the first gave up; the next goes
    assert _states(queued)[2] == "queued"
    hole.close()
    assert {wait_for(job_id)["state"] for job_id in queued} == {"failed"}
