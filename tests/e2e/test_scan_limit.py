"""In Chromium: past the lookup limit, the scan dialog says so in place (a 429 that htmx swaps in)."""
from __future__ import annotations

from playwright.sync_api import expect

from services import settings
from tests.e2e.conftest import sign_in


def test_the_scan_dialog_says_when_a_user_scans_too_fast(browser, live_server, make_user):
    application, base_url = live_server
    with application.app_context():
        settings.save({"BARCODE_SCAN_RATE_LIMIT": 2})
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, base_url, make_user("quick", "viewer"))
    page.get_by_role("button", name="Scan barcode").click()
    dialog = page.locator("#scan-dialog")
    for n in range(2):
        dialog.locator("[data-scan-input]").fill(f"NOT-KNOWN-{n}")
        dialog.locator("[data-scan-input]").press("Enter")
        expect(dialog.locator(".scan-result")).to_contain_text(f"NOT-KNOWN-{n}")
    dialog.locator("[data-scan-input]").fill("NOT-KNOWN-2")
    dialog.locator("[data-scan-input]").press("Enter")
    expect(dialog.get_by_role("alert")).to_contain_text("Too many scans: at most 2 a minute. Try again in")
    context.close()
