"""Printing to a CUPS queue: a private cupsd with Debian's cups-pdf virtual printer takes the PDF we
make through `lp`, and the PDF it writes is rasterised and every barcode decoded to its object."""
from __future__ import annotations

import os
import subprocess
import time

import pytest

from barcodes.decode import decode
from barcodes.internal import internal_code
from services.labels.printing import PrintOrder
from services.printers import jobs, registry
from tests.fake_printers import CupsServer, cups_available
from tests.integration.test_printers_sending import parts, wait_for  # noqa: F401 (fixture)


@pytest.fixture(scope="module")
def cups():
    """A running private CUPS server with a cups-pdf queue (CI installs and starts it; never skipped there)."""
    missing = cups_available()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    server = CupsServer()
    yield server
    server.stop()


def printed_pdfs(folder, count: int, seconds: float = 60) -> list:
    deadline, sizes = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        found = sorted(folder.glob("*.pdf"))
        now = [path.stat().st_size for path in found]
        if len(found) >= count and all(now) and now == sizes and all(b"%%EOF" in p.read_bytes()[-64:] for p in found):
            return found  # ghostscript has finished writing
        sizes = now
        time.sleep(0.5)
    raise AssertionError(f"cups-pdf wrote {len(list(folder.glob('*.pdf')))} PDFs in {seconds} s, not {count}")


def test_cups_queue_prints_the_pdf_and_its_barcodes_decode(app, parts, cups, tmp_path):  # noqa: F811
    printer = registry.save(None, {"name": "Office PDF", "kind": "cups", "address": cups.address,
                                   "media_width_mm": 62, "media_height_mm": 29, "dpi": 300})
    job = jobs.submit(None, printer.id, PrintOrder("part", tuple(p.id for p in parts)))
    done = wait_for(job.id)
    assert done["state"] == "printed", done["message"]
    assert f"request id is {cups.queue}-" in done["message"]
    (pdf,) = printed_pdfs(cups.out, 1)
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 3
    for part, page in zip(parts, pages):
        assert internal_code("part", part.id) in {found.text for found in decode(page.read_bytes())}


def test_cups_queue_that_does_not_exist_fails_with_cups_answer(app, parts, cups):  # noqa: F811
    printer = registry.save(None, {"name": "Nowhere", "kind": "cups", "address": f"no_such_queue@127.0.0.1:{cups.port}",
                                   "media_width_mm": 62, "media_height_mm": 29, "dpi": 300})
    failed = wait_for(jobs.submit(None, printer.id, PrintOrder("part", (parts[0].id,))).id)
    assert failed["state"] == "failed" and "CUPS refused the job" in failed["message"]
