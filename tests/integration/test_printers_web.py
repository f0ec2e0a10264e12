"""Printers on the web: admins set them up and test them; operators print from the print page and
object pages and see the job's status; a failed job is retried; viewers and operators are kept out
of what is not theirs."""
from __future__ import annotations

import re
import time

import pytest

from barcodes.internal import internal_code
from models import Printer, PrintJob
from extensions import db
from tests.fake_printers import FakePrinter, closed_port
from tests.integration.test_printers_sending import parts, zpl_labels  # noqa: F401 (fixture)


def new_printer(client, **values):
    data = {"name": "Dispatch Zebra", "kind": "zpl", "address": "127.0.0.1:9100", "media_width_mm": "62",
            "media_height_mm": "29", "dpi": "203", "model": "", **values}
    return client.post("/labels/printers/new", data=data)


def job_page(client, url: str, seconds: float = 60) -> str:
    """The job's page once it is printed or failed, as text."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = client.get(url).get_data(as_text=True)
        if 'data-print-job="printed"' in page or 'data-print-job="failed"' in page:
            return " ".join(re.sub(r"<[^>]+>", "", page).split())  # the words, as read
        time.sleep(0.1)
    raise AssertionError(f"{url} still running after {seconds} s")


def test_admin_sets_up_a_printer_and_test_print_reports_the_answer(admin_client):
    printer_at = FakePrinter("zpl")
    assert new_printer(admin_client, address=printer_at.address, is_default="y").status_code == 303
    printer = db.session.execute(db.select(Printer)).scalar_one()
    assert printer.is_default and printer.address == printer_at.address
    listing = admin_client.get("/labels/printers").get_data(as_text=True)
    assert "Dispatch Zebra" in listing and "Test print" in listing
    started = admin_client.post(f"/labels/printers/{printer.id}/test")
    assert started.status_code == 303
    page = job_page(admin_client, started.headers["Location"])
    assert "Printed: test label on Dispatch Zebra" in page and "The printer reports: ready." in page
    assert len(zpl_labels(b"".join(printer_at.jobs))) == 1
    assert "printed" in admin_client.get("/labels/printers").get_data(as_text=True)  # listed for admins


@pytest.mark.parametrize("address, message", [
    ("http://10.0.0.5:9100", "no http://"),
    ("10.0.0.5:9100/print", "no http://"),
    ("10.0.0.5:99999", "port is a number"),
    ("user@10.0.0.5", "no http://"),
    ("zebra local", "no http://"),
    ("", "This field is required"),
])
def test_printer_addresses_are_host_and_port_only(admin_client, address, message):
    answer = new_printer(admin_client, address=address)
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert db.session.execute(db.select(Printer)).first() is None


def test_cups_queue_names_are_checked(admin_client):
    answer = new_printer(admin_client, kind="cups", address="Office; rm -rf /", dpi="300")
    assert answer.status_code == 422 and "queue" in answer.get_data(as_text=True)
    assert new_printer(admin_client, kind="cups", address="Office_Laser@printserver:631", dpi="300").status_code == 303


def test_brother_media_must_be_a_brother_label(admin_client):
    answer = new_printer(admin_client, kind="brother_ql", model="QL-820NWB", media_width_mm="61", media_height_mm="", dpi="300")
    assert answer.status_code == 422 and "takes no 61 mm tape" in answer.get_data(as_text=True)


def test_operator_prints_from_the_print_page_and_the_object_page(admin_client, client_for, parts):
    printer_at = FakePrinter("zpl")
    new_printer(admin_client, address=printer_at.address, is_default="y")
    operator = client_for("operator")
    part = parts[0]
    detail = operator.get(f"/parts/{part.id}").get_data(as_text=True)
    assert "Print on Dispatch Zebra" in detail.replace("<bdi>", "").replace("</bdi>", "")
    preview = operator.get(f"/labels/print?type=part&id={part.id}").get_data(as_text=True)
    assert "Print on Dispatch Zebra" in preview.replace("<bdi>", "").replace("</bdi>", "") and 'action="/labels/print/printer"' in preview
    started = operator.post("/labels/print/printer", data={"type": "part", "id": [part.id, parts[1].id], "copies": 3})
    assert started.status_code == 303
    page = job_page(operator, started.headers["Location"])
    assert "Printed: 6 labels on Dispatch Zebra" in page  # 2 objects x 3 copies
    labels = zpl_labels(b"".join(printer_at.jobs))
    assert len(labels) == 2 and "^PQ3" in labels[0] and internal_code("part", part.id) in labels[0]


def test_htmx_print_answers_the_job_status_at_once_and_polls(admin_client, client_for, parts):
    printer_at = FakePrinter("zpl")
    new_printer(admin_client, address=printer_at.address)
    operator = client_for("operator", htmx=True)
    started = operator.post("/labels/print/printer", data={"type": "part", "id": parts[0].id})
    assert started.status_code == 202
    body = started.get_data(as_text=True)
    assert "<html" not in body and re.search(r'data-print-job="(queued|sending|printed)"', body)
    job_url = re.search(r'hx-get="(/labels/print-jobs/\d+)"', body)
    assert job_url or 'data-print-job="printed"' in body


def test_unreachable_printer_shows_the_reason_and_retry_prints(admin_client, client_for, parts):
    port = closed_port()
    new_printer(admin_client, address=f"127.0.0.1:{port}")
    operator = client_for("operator")
    started = operator.post("/labels/print/printer", data={"type": "part", "id": parts[0].id})
    page = job_page(operator, started.headers["Location"])
    assert "Not printed on Dispatch Zebra" in page and "refused the connection" in page and "Retry" in page
    printer_at = FakePrinter("zpl", port=port)
    job_id = int(started.headers["Location"].rsplit("/", 1)[1])
    assert operator.post(f"/labels/print-jobs/{job_id}/retry").status_code == 303
    assert "Printed: 1 label on" in job_page(operator, started.headers["Location"])
    assert len(zpl_labels(b"".join(printer_at.jobs))) == 1
    assert operator.post(f"/labels/print-jobs/{job_id}/retry").status_code == 409  # printed: nothing to retry


def test_print_without_printers_or_objects_is_refused_clearly(client_for, parts):
    operator = client_for("operator")
    refused = operator.post("/labels/print/printer", data={"type": "part", "id": parts[0].id})
    assert refused.status_code == 422 and "Choose a printer." in refused.get_data(as_text=True)
    assert operator.post("/labels/print/printer", data={"type": "part", "id": "x"}).status_code == 400


def test_roles_operators_print_admins_manage(admin_client, client_for, parts):
    printer_at = FakePrinter("zpl")
    new_printer(admin_client, address=printer_at.address)
    printer = db.session.execute(db.select(Printer)).scalar_one()
    viewer, operator = client_for("viewer"), client_for("operator")
    assert viewer.post("/labels/print/printer", data={"type": "part", "id": parts[0].id}).status_code == 403
    assert "Print on" not in viewer.get(f"/parts/{parts[0].id}").get_data(as_text=True)
    for path in ("/labels/printers", "/labels/printers/new", f"/labels/printers/{printer.id}/edit"):
        assert operator.get(path).status_code == 403
    for path in ("/labels/printers/new", f"/labels/printers/{printer.id}/test", f"/labels/printers/{printer.id}/delete"):
        assert operator.post(path).status_code == 403
    started = operator.post("/labels/print/printer", data={"type": "part", "id": parts[0].id})
    job_id = int(started.headers["Location"].rsplit("/", 1)[1])
    job_page(operator, started.headers["Location"])
    other = client_for("admin")
    assert other.get(f"/labels/print-jobs/{job_id}").status_code == 200  # admins see every job
    db.session.execute(db.update(PrintJob).values(user_id=None))
    db.session.commit()
    assert operator.get(f"/labels/print-jobs/{job_id}").status_code == 404  # not another's


def test_stock_report_and_pick_list_print_their_items_labels(admin_client, client_for, app):
    from tests.api_fixtures import make_inventory

    ids = make_inventory()
    printer_at = FakePrinter("zpl")
    new_printer(admin_client, address=printer_at.address)
    operator = client_for("operator")
    for page_url in (f"/labels/reports/stock/{ids['root']}", f"/labels/reports/picklist?id={ids['stockitem']}"):
        page = operator.get(page_url).get_data(as_text=True)
        assert "Print item labels" in page, page_url
    started = operator.post("/labels/print/printer", data={"type": "stockitem", "id": ids["stockitem"]})
    assert "Printed: 1 label" in job_page(operator, started.headers["Location"])
    assert internal_code("stockitem", ids["stockitem"]) in b"".join(printer_at.jobs).decode()
