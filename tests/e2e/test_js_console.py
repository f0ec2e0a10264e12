"""Our scripts in a real browser: every page that loads one shows no script error, and the pieces
htmx puts back from its history cache are wired again."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from extensions import db
from models import Part
from tests.e2e.conftest import sign_in
from tests.integration.test_stock_data import code, make_store


@pytest.fixture
def admin_page(browser, live_server, make_user):
    """A page signed in as an admin, with the errors it reports: uncaught exceptions and console errors."""
    _, base_url = live_server
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    tab.on("console", lambda message: errors.append(f"console.{message.type}: {message.text}")
           if message.type == "error" else None)
    sign_in(tab, base_url, make_user("boss", "admin"))
    yield tab, errors
    context.close()


@pytest.fixture
def store(live_server):
    """The stock test store in the live server's database, as ids and codes."""
    application, _ = live_server
    with application.app_context():
        made = make_store(item_count=2)
        return {"part": made.resistor.id, "item": made.items[0].id, "shelf_b": made.shelf_b.id,
                "bin_1_code": code(made.bin_1), "item_code": code(made.items[0])}


def test_the_pages_with_scripts_raise_no_errors(admin_page, live_server, store):
    page, errors = admin_page
    _, base_url = live_server

    page.goto(f"{base_url}/")  # scanner.js, camera.js
    page.get_by_role("button", name="Scan barcode").click()
    dialog = page.locator("#scan-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-scan-input]")).to_be_focused()
    page.keyboard.type("NO-SUCH-CODE")
    page.keyboard.press("Enter")
    expect(dialog.locator(".scan-result")).to_contain_text("No match found")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.goto(f"{base_url}/parts/{store['part']}")
    expect(page.locator("h1")).to_contain_text("Resistor 10k")
    page.goto(f"{base_url}/scan")  # the scan page's own input and camera
    expect(page.locator("main [data-scan-input]")).to_be_visible()
    page.goto(f"{base_url}/scan/check")  # scan-check.js
    # The dialog's lookup above shows here if its keys came at scanner pace, else "Nothing scanned yet".
    expect(page.locator("[data-check-empty]:visible, [data-check-summary]:visible")).to_have_count(1)

    page.goto(f"{base_url}/locations/{store['shelf_b']}")  # a scan session: scan-session.js
    page.get_by_role("button", name="Scan items in").click()
    page.wait_for_selector("[data-session-input]:focus")
    page.keyboard.type(store["item_code"])
    page.keyboard.press("Enter")
    page.wait_for_selector("#scan-feed li[data-scan-ms]")
    page.goto(f"{base_url}/stock/items/{store['item']}/move")
    page.wait_for_selector("[data-session-input]:focus")
    page.goto(f"{base_url}/stock/receive")
    page.wait_for_selector("#receive-barcode:focus")

    page.goto(f"{base_url}/search?q=res")  # the search over everything, the tree opened through htmx
    page.goto(f"{base_url}/locations/tree")
    page.locator(".location-tree details summary").first.click(position={"x": 4, "y": 10})
    page.wait_for_selector(".tree-children li")
    page.goto(f"{base_url}/admin/settings")
    page.goto(f"{base_url}/labels/")
    page.goto(f"{base_url}/labels/reports/stock/{store['shelf_b']}")  # print-button.js
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.goto(f"{base_url}/labels/reports/picklist?id={store['item']}")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.wait_for_timeout(200)  # an error thrown after the last page's load still counts
    assert errors == []


def test_the_scan_dialog_opens_after_htmx_restores_a_page_from_history(admin_page, live_server):
    page, errors = admin_page
    application, base_url = live_server
    with application.app_context():
        db.session.add_all([Part(name=f"Resistor {n}k", ipn=f"R-{n:03d}") for n in range(3)])
        db.session.commit()
    page.goto(f"{base_url}/parts/")
    page.locator("input[name=q]").press_sequentially("r-00", delay=40)
    page.wait_for_url("**/parts/?q=r-00*")
    page.go_back()  # htmx swaps its snapshot of the list back in: new elements, to be wired again
    expect(page).to_have_url(f"{base_url}/parts/")
    page.get_by_role("button", name="Scan barcode").click()
    expect(page.locator("#scan-dialog")).to_be_visible()
    assert page.url == f"{base_url}/parts/"  # not the scan page the button opens without JavaScript
    assert errors == []
