"""In Chromium with the fonts `make run` installs (DejaVu): separators in scanned text show as badges.

Their Control Pictures (␝ ␞ ␄) are in no installed font and were drawn as empty boxes on the receive
page, the scan history, /scan/check and an object's linked barcodes. Every page now shows scanned text
through one helper (blueprints/shared/display.py), which names them with ASCII letters.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest

from extensions import db
from models import User
from services import barcode_linking
from tests.e2e.conftest import sign_in
from tests.integration.test_stock_data import DIGIKEY, make_store

# The visible text of every element showing scanned data, and of the badges in them.
SHOWN = """() => [...document.querySelectorAll('.scan-data, [data-check-summary] dd')].map(e => ({
  text: e.innerText, badges: [...e.querySelectorAll('span.ctl')].map(b => [b.innerText, b.getBoundingClientRect().width])}))"""
LINKED = "[)>\x1e06\x1dPLINKED-1\x1d1PMPN-1\x1e\x04"


@pytest.fixture
def pages(browser, live_server, make_user):
    """A signed-in admin's tab, a stocked store, a barcode with separators linked to a part and a scan."""
    app, base_url = live_server
    make_user("sep-admin", "admin")
    with app.app_context():
        store = make_store(item_count=1)
        user_id = db.session.scalars(db.select(User.id).filter_by(username="sep-admin")).one()
        assert barcode_linking.link(LINKED, "part", store.resistor.id, user_id=user_id, source="dialog").error == ""
        part_id = store.resistor.id
    context = browser.new_context()
    tab = context.new_page()
    sign_in(tab, base_url, "sep-admin")
    yield tab, base_url, part_id
    context.close()


def _check_separators_shown(tab, where: str) -> None:
    shown = tab.evaluate(SHOWN)
    assert shown, f"{where}: no scanned data on the page"
    badges = [badge for element in shown for badge in element["badges"]]
    for element in shown:
        pictures = [ch for ch in element["text"] if 0x2400 <= ord(ch) <= 0x243F]
        assert pictures == [], f"{where}: {element['text']!r} shows Control Pictures"
    assert any(text.strip("<>") == "GS" for text, _ in badges), f"{where}: no GS badge in {shown}"
    for text, width in badges:
        assert text.isascii() and width > 8, f"{where}: badge {text!r} is {width}px wide"


def test_every_page_shows_separators_as_named_badges(pages):
    tab, base_url, part_id = pages
    for where, path in (("receive page", f"/stock/receive?barcode={quote(DIGIKEY)}"),
                        ("linked barcodes", f"/parts/{part_id}"),
                        ("scanner check", "/scan/check"),
                        ("scan history", "/admin/scans"),
                        ("scan history row", None)):
        if path is None:
            tab.goto(f"{base_url}/admin/scans")
            tab.locator("table.scans a[href*='/admin/scans/']").first.click()
            tab.wait_for_url(f"{base_url}/admin/scans/*")
        else:
            tab.goto(f"{base_url}{path}")
        _check_separators_shown(tab, where)
    # Copied, the badges read <GS>, which the scan dialog and the history search take for a GS.
    tab.goto(f"{base_url}/parts/{part_id}")
    copied = tab.evaluate("""() => { const range = document.createRange();
      range.selectNodeContents(document.querySelector('.linked-barcodes .scan-data'));
      getSelection().removeAllRanges(); getSelection().addRange(range); return getSelection().toString(); }""")
    assert copied == "[)><RS>06<GS>PLINKED-1<GS>1PMPN-1<RS>"  # the trailing EOT is not part of the data


def test_the_scan_dialogs_answer_and_the_key_by_key_check_show_badges(pages):
    tab, base_url, _ = pages
    tab.goto(f"{base_url}/scan/check")
    tab.evaluate("""() => {
      const keys = [{code: 'KeyA', typed: 'A', meant: 'A', gap: 0, at: 0}, {code: 'BracketRight', ctrl: true,
        typed: '\\x1d', meant: '\\x1d', gap: 5, at: 5}];
      document.dispatchEvent(new CustomEvent('shelfscan:scanned', {detail: {text: 'A\\x1dB', keys, maxGap: 5,
        suffix: 'Enter', gs: true, layout: 'us', mismatched: 0}}));
    }""")
    _check_separators_shown(tab, "scanner check, key by key")
    cells = tab.locator("[data-check-keys] tbody td").all_inner_texts()
    assert "<GS>" in cells and not any("\u241d" in cell for cell in cells)
    tab.goto(f"{base_url}/")
    tab.evaluate("document.querySelector('[data-scan-open]').click()")
    box = tab.locator("dialog[open] input[type=text]").first
    box.fill("NO-SUCH<GS>CODE")
    box.press("Enter")
    tab.locator("dialog[open] .scan-result").wait_for()
    _check_separators_shown(tab, "scan dialog")
