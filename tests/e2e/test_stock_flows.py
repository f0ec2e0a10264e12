"""Everyday stock flows in a real browser, at desktop and phone size: counting writes nothing the user
did not see, receiving from a location keeps it, a session page reads right after its commit."""
from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from extensions import db
from models import StockItem
from tests.e2e.conftest import sign_in
from tests.e2e.test_stock_scanning import _db, _wedge, shop  # noqa: F401 (shop is a fixture)
from tests.integration.test_stock_data import DIGIKEY

SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(params=sorted(SIZES))
def sized_page(request, browser, live_server, make_user):
    """An operator's page at desktop and at phone size."""
    _, base_url = live_server
    context = browser.new_context(**SIZES[request.param])
    tab = context.new_page()
    sign_in(tab, base_url, make_user(f"op-{request.param}", "operator"))
    yield tab
    context.close()


def _ready_to_scan(page) -> None:
    """The session's scan field takes the scanner's keys: focused by the page at a desk; on a phone the
    page leaves it alone (no keyboard over the page), so the user taps it first, as with a Bluetooth scanner."""
    if page.viewport_size["width"] < 600:
        page.locator("[data-session-input]").tap()
    page.wait_for_selector("[data-session-input]:focus")


def _item(application, item_id) -> StockItem:
    return _db(application, lambda: db.session.get(StockItem, item_id))


def test_count_keeps_the_quantity_of_an_item_only_scanned_and_shows_every_change_first(sized_page, live_server, shop):
    application, data = shop
    _, base_url = live_server
    page = sized_page
    stray_id, stray_code = data["items"][-1], data["item_codes"][-1]  # 5 LM358 booked on Shelf B, found on Shelf A
    page.goto(f"{base_url}/locations/{data['shelf_a']}")
    page.get_by_role("button", name="Count").click()
    _ready_to_scan(page)
    _wedge(page, stray_code)
    page.wait_for_selector("#scan-feed li[data-kind=unexpected]")
    assert "moves it here with 5" in page.inner_text("#scan-feed")
    page.get_by_role("button", name="Review and commit").click()
    change = page.locator(f".count-changes li[data-item='{stray_id}']")
    expect(change).to_contain_text("quantity 5 kept")
    expect(change).to_contain_text("moves here from Store / Shelf B")
    assert _item(application, stray_id).location_id == data["shelf_b"]  # nothing written by reviewing
    page.get_by_role("button", name="Commit count").click()
    page.wait_for_selector("[data-session-status=committed]")
    item = _item(application, stray_id)
    assert (item.location_id, item.quantity) == (data["shelf_a"], Decimal(5))


def test_scan_in_commit_heading_buttons_and_a_feed_that_folds_whole_rows(sized_page, live_server, shop):
    application, data = shop
    _, base_url = live_server
    page = sized_page
    page.goto(f"{base_url}/locations/{data['shelf_b']}")
    page.get_by_role("button", name="Scan items in").click()
    _ready_to_scan(page)
    for number, scanned in enumerate(data["item_codes"][:7], start=1):
        _wedge(page, scanned)
        page.wait_for_selector(f"#scan-feed li:nth-child({number})", state="attached")
    rows = page.locator("#scan-feed > li")
    expect(rows.nth(4)).to_be_visible()
    expect(rows.nth(5)).to_be_hidden()
    toggle = page.get_by_role("button", name="Show 2 earlier scans")
    feed_box, last_box = page.locator("#scan-feed").bounding_box(), rows.nth(4).bounding_box()
    assert last_box["y"] + last_box["height"] <= feed_box["y"] + feed_box["height"] + 1  # no row cut off
    toggle.click()
    expect(rows.nth(6)).to_be_visible()
    page.get_by_role("button", name="Move 7 items here").click()
    page.wait_for_selector("[data-session-status=committed]")
    heading = page.locator("#staged h2").inner_text()
    assert heading == "Moved here: 7" and "Staged" not in page.inner_text("#staged")
    undo = page.get_by_role("button", name="Undo").bounding_box()
    back = page.get_by_role("link", name="Back to Shelf B").bounding_box()
    assert abs(undo["height"] - back["height"]) < 0.5


def test_receive_from_a_location_page_puts_the_package_there(sized_page, live_server, shop):
    application, data = shop
    _, base_url = live_server
    page = sized_page
    page.goto(f"{base_url}/locations/{data['shelf_a']}")
    page.get_by_role("link", name="Receive a package").click()
    page.wait_for_selector("#receive-barcode:focus")
    expect(page.locator("[data-preset-location]")).to_contain_text("Store / Shelf A")
    page.keyboard.type(DIGIKEY, delay=5)
    page.keyboard.press("Enter")
    page.wait_for_selector("#location:focus")
    expect(page.locator("label[for=location]")).to_contain_text("Store / Shelf A")  # not the part's default, Shelf B
    page.keyboard.press("Enter")  # no other location scanned
    page.wait_for_selector("[data-received]")
    located = _db(application, lambda: db.session.execute(
        db.select(StockItem.location_id).where(StockItem.supplier_part_id.is_not(None))).scalar_one())
    assert located == data["shelf_a"]
    expect(page.locator("[data-preset-location]")).to_contain_text("Store / Shelf A")  # the next package too


def test_stock_item_page_adds_removes_and_moves_some_with_errors_in_place(sized_page, live_server, shop):
    application, data = shop
    _, base_url = live_server
    page = sized_page
    item_id = data["items"][0]  # 100 resistors on Shelf A
    page.goto(f"{base_url}/stock-items/{item_id}")
    page.get_by_role("link", name="Remove", exact=True).click()
    page.wait_for_selector("#item-change[data-action=remove] input[name=quantity]")
    page.fill("#item-change input[name=quantity]", "300")
    page.get_by_role("button", name="Remove", exact=True).click()
    expect(page.locator("#item-change [role=alert]")).to_contain_text("Only 100 are in stock; 300 cannot be taken.")
    page.fill("#item-change input[name=quantity]", "30")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Removed: Resistor 10k 100 → 70.")
    page.get_by_role("link", name="Move some…").click()
    page.wait_for_selector("#item-change[data-action=transfer]")
    page.fill("#item-change input[name=quantity]", "40")
    page.click("#item-change input[name=location_code]")
    _wedge(page, data["shelf_b_code"])  # a scanner types the location's label and Enter
    expect(page.locator(".flash")).to_contain_text("Moved 40 to Store / Shelf B as stock item")
    expect(page.locator(".flash")).to_contain_text("30 stay here.")
    assert _item(application, item_id).quantity == Decimal(30)
    moved = _db(application, lambda: db.session.execute(
        db.select(StockItem).where(StockItem.location_id == data["shelf_b"], StockItem.part_id != None,  # noqa: E711
                                   StockItem.quantity == 40)).scalar_one())
    assert moved.batch == "B0"


def test_unlink_asks_before_it_unlinks(page, live_server, shop):
    application, data = shop
    _, base_url = live_server
    item_id = data["items"][1]
    page.goto(f"{base_url}/stock-items/{item_id}")
    page.fill("#link-barcode-input", "ACME-BAG-1")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator(".linked-barcodes")).to_contain_text("ACME-BAG-1")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Unlink…").click()
    page.wait_for_timeout(500)
    assert asked == ["Unlink ACME-BAG-1? Scanning it will no longer find this stock item."]
    expect(page.locator(".linked-barcodes")).to_contain_text("ACME-BAG-1")  # kept
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Unlink…").click()
    expect(page.locator(".linked-barcodes")).to_have_count(0)
