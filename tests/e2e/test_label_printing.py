"""Printing labels from a list in Chromium, at desktop and phone size: nothing ticked says so beside the
button; select-all and ticks kept across pages; the print page applies template, copies and start
position as they change; large selections travel in a POST body; and the same without JavaScript."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from extensions import db
from models import Part
from tests.e2e.conftest import sign_in

SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3},
}
SHEET = "A4 sheet of 24 (3 x 8, 63.5 x 33.9 mm)"


@pytest.fixture
def parts(live_server):
    """30 parts: two list pages of 25."""
    application, _ = live_server
    with application.app_context():
        made = [Part(name=f"Print part {n:02d}", ipn=f"PP-{n:02d}") for n in range(30)]
        db.session.add_all(made)
        db.session.commit()
        return [part.id for part in made]


def _viewer(browser, live_server, make_user, size: str, **options):
    _, base_url = live_server
    context = browser.new_context(**SIZES[size], **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, base_url, make_user(f"viewer-{size}", "viewer"))
    return context, page, errors


def _fits_the_width(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, "the page scrolls sideways"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_print_from_a_list_with_select_all_ticks_across_pages_copies_and_start(browser, live_server, make_user,
                                                                              parts, size, tmp_path):
    _, base_url = live_server
    context, page, errors = _viewer(browser, live_server, make_user, size)
    page.goto(f"{base_url}/parts/")
    bar = page.locator(".print-selection")
    expect(bar.get_by_role("button", name="Clear selection")).to_be_hidden()  # nothing to clear yet
    bar.get_by_role("button", name="Print labels").click()
    expect(bar.get_by_role("alert")).to_have_text("Tick the rows to print first.")
    expect(page).to_have_url(f"{base_url}/parts/")  # nothing was sent

    page.get_by_label("Select all on this page").check()
    expect(bar).to_contain_text("25 selected")
    expect(bar.locator("[data-selection-message]")).to_be_empty()
    page.get_by_role("link", name="Next ›").click()
    expect(page.locator("#results")).to_contain_text("26–30")
    page.get_by_label("Select Print part 29").check()
    expect(bar).to_contain_text("26 selected")
    page.get_by_role("link", name="‹ Previous").click()
    expect(page.get_by_label("Select Print part 00")).to_be_checked()
    expect(page.get_by_label("Select all on this page")).to_be_checked()
    page.get_by_label("Select Print part 03").uncheck()
    expect(bar).to_contain_text("25 selected")
    expect(page.get_by_label("Select all on this page")).not_to_be_checked()
    _fits_the_width(page)
    page.screenshot(path=str(tmp_path / f"list-{size}.png"), full_page=True)

    bar.get_by_role("button", name="Print labels").click()
    expect(page.locator("h1")).to_have_text("Print 25 part labels")
    expect(page).to_have_url(re.compile(r"/labels/print\?type=part&id="))  # a short selection is a link
    assert f"id={parts[29]}" in page.url and f"id={parts[3]}&" not in page.url

    page.get_by_label("Template").select_option(label=SHEET)  # no "Show" button to press
    start = page.get_by_label("Start at position")
    expect(start).to_be_visible()
    expect(page.locator(".sheet-map img")).to_be_visible()
    page.get_by_label("Copies of each").fill("2")
    page.get_by_label("Copies of each").press("Tab")
    expect(page.locator("h1")).to_have_text("Print 50 part labels")
    start.fill("5")
    start.press("Tab")
    expect(page.locator(".sheet-map img")).to_have_attribute("alt", re.compile("positions 1 to 4 used, labels from position 5"))
    expect(page.get_by_label("Template")).to_have_value(re.compile(r"\d+"))
    _fits_the_width(page)
    page.screenshot(path=str(tmp_path / f"print-{size}.png"), full_page=True)

    page.get_by_role("button", name="Make PDF").click()  # 50 labels or more: made in the background
    expect(page.locator("#label-job")).to_contain_text("50 labels ready", timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 3

    page.goto(f"{base_url}/parts/")
    expect(bar).to_contain_text("25 selected")  # kept until cleared
    bar.get_by_role("button", name="Clear selection").click()
    expect(page.locator("input[name=id]:checked")).to_have_count(0)
    expect(bar.locator("[data-selection-count]")).to_be_hidden()
    expect(bar.get_by_role("button", name="Clear selection")).to_be_hidden()
    assert errors == []
    context.close()


def test_a_large_selection_is_posted_not_put_in_the_url(browser, live_server, make_user):
    application, base_url = live_server
    with application.app_context():
        made = [Part(name=f"Bulk part {n:03d}") for n in range(700)]  # ~700 ids: a URL proxies refuse (414)
        db.session.add_all(made)
        db.session.commit()
        many = [str(part.id) for part in made]
    context, page, errors = _viewer(browser, live_server, make_user, "desktop")
    page.goto(f"{base_url}/parts/")
    page.evaluate("ids => sessionStorage.setItem('shelfscan.selection.part', JSON.stringify(ids))", many)
    page.reload()
    expect(page.locator(".print-selection")).to_contain_text("700 selected")
    page.locator(".print-selection").get_by_role("button", name="Print labels").click()
    expect(page.locator("h1")).to_have_text("Print 700 part labels")
    assert page.url == f"{base_url}/labels/print"
    page.get_by_label("Copies of each").fill("2")
    page.get_by_label("Copies of each").press("Tab")
    expect(page.locator("h1")).to_have_text("Print 1400 part labels")
    with page.expect_download() as download:
        page.get_by_role("button", name="ZPL (203 dpi Zebra)").click()
    zpl = download.value.path().read_text()
    assert zpl.count("^XA") == 700 and zpl.count("^PQ2") == 700
    assert errors == []
    context.close()


def test_without_javascript_the_server_says_tick_first_and_the_form_still_works(browser, live_server, make_user, parts):
    _, base_url = live_server
    context, page, _ = _viewer(browser, live_server, make_user, "phone", java_script_enabled=False)
    page.goto(f"{base_url}/parts/?q=Print")
    bar = page.locator(".print-selection")
    bar.get_by_role("button", name="Print labels").click()
    expect(page).to_have_url(f"{base_url}/parts/?q=Print")  # back to the same list, not a 400 page
    expect(bar.get_by_role("alert")).to_have_text("Tick the rows to print first.")
    expect(page.locator("main > .flash")).to_have_count(0)  # said beside the button, not at the top
    page.get_by_label("Select Print part 01").check()
    page.get_by_label("Select Print part 02").check()
    bar.get_by_role("button", name="Print labels").click()
    expect(page.locator("h1")).to_have_text("Print 2 part labels")
    page.get_by_label("Template").select_option(label=SHEET)
    page.get_by_role("button", name="Update preview").click()
    expect(page.get_by_label("Start at position")).to_be_visible()
    page.get_by_label("Start at position").fill("24")
    page.get_by_role("button", name="Update preview").click()
    expect(page.locator(".sheet-map img")).to_have_attribute("alt", re.compile("positions 1 to 23 used"))
    assert "start=24" in page.url
    context.close()
