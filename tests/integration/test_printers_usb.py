"""A Brother QL on the server's USB (a pseudo-terminal stands in for /dev/usb/lp0: same bytes both
ways), and a QL's own media report checked before printing, over USB and the network."""
from __future__ import annotations

import time

import pytest

from barcodes.decode import decode
from barcodes.internal import internal_code
from extensions import db
from models import Printer
from services.errors import FieldErrors
from services.labels.printing import PrintOrder
from services.printers import jobs
from tests.fake_printers import FakePrinter, FakeUsbPrinter
from tests.integration.test_printers_web import new_printer
from tests.integration.test_printers_sending import add_printer, parts, read_back, wait_for  # noqa: F401 (fixture)


@pytest.fixture
def usb(app):
    """A pseudo-terminal Brother QL, with /dev/pts/ allowed as a device folder for this test only."""
    app.config["PRINTER_DEVICE_TEST_DIRS"] = ("/dev/pts/",)
    made = []

    def plug(**options) -> FakeUsbPrinter:
        made.append(FakeUsbPrinter(**options))
        return made[-1]

    yield plug
    for printer in made:
        printer.close()


@pytest.mark.parametrize("media", [(62, 29), (62, None)], ids=["die-cut-62x29", "endless-62"])
def test_usb_brother_ql_prints_raster_that_reads_back_and_decodes(app, parts, usb, tmp_path, media):
    printer_at = usb(media=(media[0], media[1] or 0))
    printer = add_printer("Brother USB", "brother_ql", printer_at.path, width=media[0], height=media[1])
    assert printer.address == printer_at.path
    done = wait_for(jobs.submit(None, printer.id, PrintOrder("part", tuple(p.id for p in parts))).id)
    assert done["state"] == "printed", done["message"]
    assert "printed 3 labels" in done["message"]
    pages = read_back(b"".join(printer_at.jobs), tmp_path)
    assert len(pages) == 3
    for part, page in zip(parts, pages):
        assert internal_code("part", part.id) in {found.text for found in decode(page.read_bytes())}


def test_usb_printer_that_never_answers_fails_in_bounded_time(app, parts, usb):
    printer_at = usb(answering=False)
    printer = add_printer("Brother USB", "brother_ql", printer_at.path, width=62, height=None)
    started = time.monotonic()
    failed = wait_for(jobs.submit(None, printer.id, PrintOrder("part", (parts[0].id,))).id)
    assert failed["state"] == "failed" and "did not answer within" in failed["message"]
    assert "nothing was sent to print" in failed["message"] and printer_at.jobs == []
    assert time.monotonic() - started < 20


def test_device_is_checked_again_when_the_job_opens_it(app, parts, usb):
    printer_at = usb()
    printer = add_printer("Brother USB", "brother_ql", printer_at.path, width=62, height=None)
    app.config["PRINTER_DEVICE_TEST_DIRS"] = ()  # as in production: /dev/pts/ is not a printer folder
    failed = wait_for(jobs.submit(None, printer.id, PrintOrder("part", (parts[0].id,))).id)
    assert failed["state"] == "failed" and "Only printer devices under /dev/usb/" in failed["message"]
    assert printer_at.jobs == [] and printer_at.last_byte_at == 0.0  # not a byte written


@pytest.mark.parametrize("loaded, set_up, says", [
    ((29, 0), (62, None), "The printer holds 29 mm tape; Shelfscan has it set up for 62 mm tape"),
    ((62, 0), (62, 29), "The printer holds 62 mm tape; Shelfscan has it set up for 62 x 29 mm labels"),
    ((62, 100), (62, 29), "The printer holds 62 x 100 mm labels; Shelfscan has it set up for 62 x 29 mm labels"),
])
def test_network_ql_holding_other_media_fails_the_job_and_prints_nothing(app, parts, loaded, set_up, says):
    printer_at = FakePrinter("brother", media=loaded)
    printer = add_printer("Brother", "brother_ql", printer_at.address, width=set_up[0], height=set_up[1])
    failed = wait_for(jobs.submit(None, printer.id, PrintOrder("part", (parts[0].id,))).id)
    assert failed["state"] == "failed" and says in failed["message"], failed["message"]
    assert printer_at.jobs == []


def test_usb_ql_holding_other_media_fails_the_job_and_prints_nothing(app, parts, usb):
    printer_at = usb(media=(29, 0))
    printer = add_printer("Brother USB", "brother_ql", printer_at.path, width=62, height=None)
    failed = wait_for(jobs.submit(None, printer.id, PrintOrder("part", (parts[0].id,))).id)
    assert failed["state"] == "failed"
    assert "The printer holds 29 mm tape; Shelfscan has it set up for 62 mm tape" in failed["message"]
    assert printer_at.jobs == []


def test_pseudo_terminals_are_not_printers_without_the_test_setting(app, usb):
    printer_at = usb()
    app.config["PRINTER_DEVICE_TEST_DIRS"] = ()
    with pytest.raises(FieldErrors) as refused:
        add_printer("Brother USB", "brother_ql", printer_at.path, width=62, height=None)
    assert "Only printer devices under /dev/usb/" in refused.value.errors["address"]
    app.config["PRINTER_DEVICE_TEST_DIRS"], app.testing = ("/dev/pts/",), False  # a deploy never honours it
    try:
        with pytest.raises(FieldErrors):
            add_printer("Brother USB", "brother_ql", printer_at.path, width=62, height=None)
    finally:
        app.testing = True
    assert db.session.execute(db.select(Printer)).first() is None


def test_printer_form_explains_usb_addresses_and_refuses_other_paths(admin_client):
    form = admin_client.get("/labels/printers/new").get_data(as_text=True)
    assert "/dev/usb/lp0" in form and "reports the media it holds" in form
    for path, says in (("/etc/passwd", "Only printer devices under /dev/usb/"), ("/dev/usb/lp9", "does not exist")):
        answer = new_printer(admin_client, kind="brother_ql", model="QL-820NWB", address=path, media_height_mm="", dpi="300")
        assert answer.status_code == 422 and says in answer.get_data(as_text=True)
    assert db.session.execute(db.select(Printer)).first() is None
