"""Shelfscan on a phone (390x844, touch, device scale 3) in a real Chromium: one header row on every page,
touch targets, stacked lists, the scan dialog without a keyboard, the camera decoding on the device and
on the server, and a scan-in session worked with taps."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from extensions import db
from models import ScanLog, StockItem
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, launch, sign_in
from tests.e2e.fake_camera import camera_args, camera_video
from tests.e2e.test_scan_browser import DIGIKEY_FIELDS, KEY_RECORDER, lands_at_scanner_pace, objects  # noqa: F401
from tests.integration.test_stock_data import code, make_store
from tests.security.seed import seed_one_of_everything

HEADER_MAX_PX = 56
TOUCH_MIN_PX = 44
MAIN_PAGES = ["/", "/parts/", "/parts/1", "/locations/", "/locations/1", "/stock-items/", "/stock-items/1",
              "/companies/", "/companies/1", "/supplier-parts/", "/supplier-parts/1", "/labels/", "/scan",
              "/scan/check", "/admin/", "/admin/scans", "/admin/users", "/admin/settings"]
# Controls a finger must hit: what is smaller than TOUCH_MIN_PX in either direction, as "tag text (w x h)".
SMALL_TARGETS = """(min) => [...document.querySelectorAll(
    'button, a.button, select, summary, .select-hit, input:not([type=hidden]):not([type=checkbox]):not([type=radio])')]
  .filter((el) => el.checkVisibility() && !el.closest('dialog:not([open]), td.select'))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.width < min - 0.5 || box.height < min - 0.5)
  .map(([el, box]) => `${el.tagName} ${(el.textContent || el.name || '').trim().slice(0, 30)} ` +
                      `(${Math.round(box.width)}x${Math.round(box.height)})`)"""
# Records each vibration the page asks for in sessionStorage (it outlives the navigation that follows a
# match), then passes the call on to the browser.
VIBRATION_LOG = """const vibrate = navigator.vibrate.bind(navigator);
navigator.vibrate = (pattern) => { sessionStorage.setItem("vibrated", JSON.stringify(pattern)); return vibrate(pattern); };"""
# Keeps the camera's decoder choice in sessionStorage: a fast match leaves the page before a test could read it.
DECODER_LOG = """new MutationObserver((changes) => { for (const change of changes) {
  const where = change.target.dataset && change.target.dataset.decoding;
  if (where) sessionStorage.setItem("decoding", where);
} }).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-decoding"]});"""
# A long supplier label as the scan history shows it.
DIGIKEY_DATA = "[)>\x1e06\x1d" + "\x1d".join(DIGIKEY_FIELDS) + "\x1e\x04"


@pytest.fixture
def phone(browser, live_server, make_user):
    """A phone's tab, signed in as an admin, on one object of every kind (ids 1) and a long scan."""
    application, base_url = live_server
    make_user("thumb", "admin")
    with application.app_context():
        from models import User

        user = db.session.scalar(db.select(User).filter_by(username="thumb"))
        seed_one_of_everything(user)
        db.session.add(ScanLog(source="camera", user_id=user.id, raw=DIGIKEY_DATA.encode(), data=DIGIKEY_DATA,
                               result="no_match", response="{}"))
        db.session.commit()
    context = browser.new_context(**PHONE)
    tab = context.new_page()
    tab.script_errors = []  # uncaught exceptions and console errors, for the tests to check
    tab.on("pageerror", lambda error: tab.script_errors.append(f"pageerror: {error}"))
    tab.on("console", lambda message: tab.script_errors.append(message.text) if message.type == "error" else None)
    sign_in(tab, base_url, "thumb")
    yield tab
    context.close()


def _header_height(page) -> float:
    return page.locator("header.navbar").bounding_box()["height"]


def _check_layout(page, where: str) -> None:
    """One header row with the scan button, no sideways scroll, every control big enough for a finger."""
    assert _header_height(page) <= HEADER_MAX_PX, where
    scan = page.get_by_role("button", name="Scan barcode")
    expect(scan).to_be_visible()
    assert scan.bounding_box()["y"] + scan.bounding_box()["height"] <= HEADER_MAX_PX, where
    expect(page.locator("header > nav")).to_be_hidden()  # the sections are in the menu
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), f"{where} scrolls sideways"
    assert page.evaluate(SMALL_TARGETS, TOUCH_MIN_PX) == [], where


def test_every_main_page_has_one_header_row_with_the_scan_button_and_no_sideways_scroll(phone, live_server):
    _, base_url = live_server
    for path in MAIN_PAGES:
        phone.goto(base_url + path)
        _check_layout(phone, path)
    for session in ("Scan items in", "Count"):  # the sessions' pages, as a tap opens them
        phone.goto(base_url + "/locations/1")
        phone.get_by_role("button", name=session).tap()
        expect(phone.locator("[data-session-input]")).to_be_visible()
        _check_layout(phone, session)
        expect(phone.locator(".session-actions button.primary")).to_be_in_viewport()  # commit, or review first
    assert phone.script_errors == []


def test_the_scan_button_stays_in_view_down_a_long_page(phone, live_server):
    _, base_url = live_server
    phone.goto(base_url + "/admin/settings")
    phone.mouse.wheel(0, 3000)
    phone.wait_for_function("scrollY > 500")
    box = phone.get_by_role("button", name="Scan barcode").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= HEADER_MAX_PX


def test_the_menu_holds_the_sections_and_sign_out(phone, live_server):
    _, base_url = live_server
    phone.goto(base_url + "/")
    menu = phone.locator("details.nav-menu")
    expect(menu.get_by_role("link", name="Stock")).to_be_hidden()
    menu.locator("summary").tap()
    expect(menu.get_by_role("link", name="Stock")).to_be_visible()
    assert _header_height(phone) <= HEADER_MAX_PX  # the panel opens over the page, not in the header row
    menu.get_by_role("link", name="Stock").tap()
    expect(phone).to_have_url(base_url + "/stock-items/")
    phone.locator("details.nav-menu summary").tap()
    phone.locator("details.nav-menu").get_by_role("button", name="Sign out").tap()
    expect(phone).to_have_url(f"{base_url}/login")


def test_lists_are_stacked_cards_and_the_scan_history_reads_across(phone, live_server):
    _, base_url = live_server
    phone.goto(base_url + "/stock-items/")
    row = phone.locator("#results tbody tr").first
    expect(row).to_contain_text("Sample part")
    quantity = row.locator("td", has_text="3").last
    assert quantity.evaluate("td => getComputedStyle(td, '::before').content") == '"Quantity "'  # shown with it
    row.get_by_role("link", name="Sample part").tap()
    expect(phone).to_have_url(base_url + "/stock-items/1")
    phone.goto(base_url + "/admin/scans")
    data = phone.locator("table.scans code.scan-data", has_text="311-10.0KCRCT-ND")
    box = data.bounding_box()
    assert box["width"] > 300  # a full line, not a column one character wide
    assert box["height"] < 5 * box["width"] / 10


def test_the_scan_dialog_opens_without_the_keyboard_until_someone_types(phone, live_server, objects):  # noqa: F811
    _, base_url = live_server
    phone.goto(base_url + "/parts/")
    phone.get_by_role("button", name="Scan barcode").tap()
    dialog = phone.locator("#scan-dialog")
    expect(dialog).to_be_visible()
    field = dialog.locator("[data-scan-input]")
    expect(field).not_to_be_focused()
    expect(dialog.get_by_label("Take or upload a photo")).to_be_in_viewport()  # no keyboard covers it
    field.tap()
    field.fill(objects["part_code"])
    field.press("Enter")
    expect(phone).to_have_url(base_url + objects["part_url"])
    phone.get_by_role("button", name="Scan barcode").tap()
    expect(phone.locator("#scan-dialog [data-scan-input]")).to_be_focused()  # typing was the last way used


def test_a_bluetooth_scanner_scans_into_the_open_dialog_without_its_field_focused(phone, live_server, objects):  # noqa: F811
    _, base_url = live_server

    def scan():
        phone.goto(base_url + "/parts/")
        phone.get_by_role("button", name="Scan barcode").tap()
        expect(phone.locator("#scan-dialog [data-scan-input]")).not_to_be_focused()
        phone.evaluate(KEY_RECORDER)
        phone.keyboard.type(objects["part_code"], delay=5)
        phone.keyboard.press("Enter")

    lands_at_scanner_pace(phone, base_url + objects["part_url"], scan)


@pytest.fixture
def camera_phone(playwright_instance, live_server, make_user, tmp_path):
    """Open a phone tab, signed in as `role`, whose camera shows a label of `text`; returns (tab, requests)."""
    _, base_url = live_server
    browsers = []

    def open_phone(text: str, symbology: str, role: str = "viewer", *, device_decoder: bool = True):
        browser = launch(playwright_instance, camera_args(camera_video(tmp_path / "label.mjpeg", text, symbology)))
        browsers.append(browser)
        context = browser.new_context(**PHONE)
        if not device_decoder:  # a browser that cannot run the WebAssembly decoder
            context.route("**/zxing_reader.wasm", lambda route: route.abort())
        context.add_init_script(VIBRATION_LOG)
        context.add_init_script(DECODER_LOG)
        tab = context.new_page()
        posts: list[str] = []
        tab.on("request", lambda r: posts.append(r.url.removeprefix(base_url)) if r.method == "POST" else None)
        sign_in(tab, base_url, make_user(f"{role}-{len(browsers)}", role))
        return tab, posts

    yield open_phone
    for browser in browsers:
        browser.close()


@pytest.mark.parametrize("where", ["device", "server"])
@pytest.mark.parametrize("label", ["internal qr", "digikey datamatrix"])
def test_the_camera_opens_by_itself_and_lands_on_the_object(camera_phone, live_server, objects, label, where):  # noqa: F811
    """The DigiKey label carries RS and GS between its fields: it only finds its supplier part if they
    survive the decoder, on the device as on the server."""
    _, base_url = live_server
    text, target = {"internal qr": (objects["part_code"], objects["part_url"]),
                    "digikey datamatrix": (objects["digikey_label"], objects["supplier_part_url"])}[label]
    page, posts = camera_phone(text, label.split()[1], device_decoder=where == "device")
    page.get_by_role("button", name="Scan barcode").tap()
    page.wait_for_url(base_url + target, timeout=20_000)
    assert page.evaluate("sessionStorage.getItem('decoding')") == where
    assert ("/scan" in posts) == (where == "device")  # the device sends text only, the server gets frames
    assert ("/scan/image" in posts) == (where == "server")
    assert page.evaluate("sessionStorage.getItem('vibrated')") == "[40]"  # the match was felt


@pytest.mark.parametrize("where", ["device", "server"])
def test_a_scan_in_session_with_taps_only(camera_phone, live_server, where):
    application, base_url = live_server
    with application.app_context():
        store = make_store(item_count=2)
        item, item_code, shelf = store.items[0].id, code(store.items[0]), store.shelf_b.id
    page, _ = camera_phone(item_code, "qr", "operator", device_decoder=where == "device")
    page.goto(f"{base_url}/locations/{shelf}")
    page.get_by_role("button", name="Scan items in").tap()
    expect(page.locator("[data-session-input]")).not_to_be_focused()
    page.get_by_role("button", name="Camera").tap()
    expect(page.locator("[data-scan-camera]").first).to_have_attribute("data-decoding", where)
    page.wait_for_selector("#scan-feed li[data-kind=accepted]", timeout=20_000)
    page.wait_for_selector("body[data-last-beep=accepted][data-last-vibrate=accepted]")  # heard and felt
    page.wait_for_timeout(1500)  # the label stays in view: staged once
    assert page.locator("#scan-feed li").count() == 1
    page.get_by_role("button", name="Camera").tap()
    commit = page.get_by_role("button", name="Move 1 item here")
    expect(commit).to_be_in_viewport()  # within the thumb's reach without scrolling
    commit.tap()
    page.wait_for_selector("[data-session-status=committed]")
    with application.app_context():
        assert db.session.get(StockItem, item).location_id == shelf


CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""


def _until(page, script: str, timeout_ms: int = 10_000):
    """Evaluate `script` until it gives something truthy (wait_for_function would be eval: the CSP says no)."""
    for _ in range(timeout_ms // 100):
        value = page.evaluate(script)
        if value:
            return value
        page.wait_for_timeout(100)
    pytest.fail(f"never true: {script}")


def test_installable_and_the_worker_keeps_static_files_only_until_sign_out(playwright_instance, live_server,
                                                                           make_user, tmp_path):
    _, base_url = live_server
    make_user("installer", "operator")
    # A profile on disk: Chromium offers no installing from an incognito-like one.
    context = playwright_instance.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, **PHONE)
    try:
        page = context.new_page()
        sign_in(page, base_url, "installer")
        active = "navigator.serviceWorker.getRegistration().then((r) => r && r.active && r.active.scriptURL)"
        assert _until(page, active) == base_url + "/sw.js"
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getAppManifest")["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        for path in ["/parts/", "/parts/1", "/stock-items/", "/"]:  # pages with data, under the worker
            page.goto(base_url + path)
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        cached = page.evaluate(CACHED_URLS)
        assert "/static/css/app.css" in cached
        assert all(url.startswith("/static/") for url in cached), cached
        page.locator("details.nav-menu summary").tap()
        page.locator("details.nav-menu").get_by_role("button", name="Sign out").tap()
        expect(page).to_have_url(f"{base_url}/login")
        _until(page, "navigator.serviceWorker.getRegistrations().then((r) => r.length === 0)")
        _until(page, f"({CACHED_URLS})().then((urls) => urls.length === 0)")
    finally:
        context.close()
