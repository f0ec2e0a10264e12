"""Label printers in Chromium, at desktop and phone size: an admin sets up a Zebra (a fake one on
loopback) under Labels -> Printers and test-prints it; then prints a part's label from its page and
watches the job's status change to printed, and a job to a printer that is off shows why, with Retry."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from extensions import db
from models import Part
from tests.e2e.conftest import SIZES, sign_in
from tests.fake_printers import FakePrinter
from tests.integration.test_printers_sending import zpl_labels


@pytest.fixture
def part_id(live_server):
    application, _ = live_server
    with application.app_context():
        part = Part(name="Hex bolt M6 x 20", ipn="HB-M6-20")
        db.session.add(part)
        db.session.commit()
        return part.id


def _fits_the_width(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, "the page scrolls sideways"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_admin_sets_up_a_zebra_tests_it_and_prints_from_a_part_page(browser, live_server, make_user, part_id, size, tmp_path):
    _, base_url = live_server
    zebra = FakePrinter("zpl")
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, base_url, make_user(f"admin-{size}", "admin"))

    page.goto(f"{base_url}/labels/")
    page.get_by_role("link", name="Printers").click()
    page.get_by_role("link", name="New printer").click()
    page.get_by_label("Name").fill("Dispatch Zebra")
    page.get_by_label("Kind").select_option("zpl")
    page.get_by_label("Address").fill("http://127.0.0.1:9100")
    page.get_by_label("Media width (mm)").fill("62")
    page.get_by_label("Label height (mm)").fill("29")
    page.get_by_label("Default printer").check()
    _fits_the_width(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#printer-form")).to_contain_text("no http://")  # refused in place, nothing saved
    page.get_by_label("Address").fill(zebra.address)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Printers")
    expect(page.locator(".printers")).to_contain_text("Dispatch Zebra")

    page.get_by_role("button", name="Test print").click()
    expect(page.locator(".printers [data-print-job]")).to_have_attribute("data-print-job", "printed", timeout=30000)
    expect(page.locator(".printers")).to_contain_text("The printer reports: ready.")
    assert len(zpl_labels(b"".join(zebra.jobs))) == 1
    _fits_the_width(page)

    page.goto(f"{base_url}/parts/{part_id}")
    page.get_by_role("button", name="Print on Dispatch Zebra").click()
    status = page.locator("#object-barcode [data-print-job]")
    expect(status).to_have_attribute("data-print-job", "printed", timeout=30000)
    expect(status).to_contain_text("Printed: 1 label on Dispatch Zebra")
    assert len(zpl_labels(b"".join(zebra.jobs))) == 2
    _fits_the_width(page)
    page.screenshot(path=str(tmp_path / f"printed-{size}.png"), full_page=True)

    zebra.close()  # switched off: the next print says why, and Retry prints once it is back
    port = zebra.port
    page.reload()
    page.get_by_role("button", name="Print on Dispatch Zebra").click()
    expect(status).to_have_attribute("data-print-job", "failed", timeout=30000)
    expect(status).to_contain_text("refused the connection")
    back = FakePrinter("zpl", port=port)
    status.get_by_role("button", name="Retry").click()
    expect(page.locator("#object-barcode [data-print-job]")).to_have_attribute("data-print-job", "printed", timeout=30000)
    assert len(zpl_labels(b"".join(back.jobs))) == 1
    assert errors == []
    back.close()
    context.close()
