"""In Chromium, at desktop and phone size: the start page's search, a list's page size, the location tree.

Each works in place (htmx swaps, no page load) and stays usable on a 390 px wide phone.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from extensions import db
from models import Part, StockItem, StockLocation
from tests.e2e.conftest import SIZES, sign_in



@pytest.fixture(params=sorted(SIZES))
def tab(request, browser, live_server, make_user):
    """A viewer's tab at each size, on a store with a small tree and 60 parts."""
    app, base_url = live_server
    with app.app_context():
        building = StockLocation(name="Building A")
        room = StockLocation(name="Lab", parent=building)
        shelf = StockLocation(name="Shelf L1", parent=room)
        db.session.add_all([building, StockLocation(name="Annex")])
        db.session.add_all([Part(name=f"Resistor {n}R") for n in range(1, 61)])
        db.session.add(StockItem(part=Part(name="Relay Q7"), location=shelf, quantity=Decimal(3)))
        db.session.commit()
    make_user("browser", "viewer")
    context = browser.new_context(**SIZES[request.param])
    page = context.new_page()
    sign_in(page, base_url, "browser")
    page.evaluate("window.__samePage = true")
    yield page, base_url
    context.close()


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_start_page_searches_everything_as_you_type(tab):
    page, base_url = tab
    expect(page.locator(".counters a[href='/parts/']")).to_contain_text("61")
    page.locator(".global-search input[name=q]").press_sequentially("q7", delay=40)
    results = page.locator("#search-results")
    expect(results.locator("#found-part")).to_contain_text("Relay Q7")
    expect(results.locator("#found-stock_item")).to_contain_text("Relay Q7 x 3")
    assert page.evaluate("window.__samePage") is True  # swapped in, not a new page
    _no_sideways_scroll(page)
    results.locator("#found-part a", has_text="Relay Q7").click()
    page.wait_for_url(f"{base_url}/parts/*")


def test_a_list_page_size_applies_in_place(tab):
    page, base_url = tab
    page.goto(f"{base_url}/parts/")
    page.evaluate("window.__samePage = true")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(25)
    page.select_option("select[name=per_page]", "50")
    expect(rows).to_have_count(50)
    expect(page).to_have_url(re.compile(r"/parts/\?.*per_page=50"))
    # Natural order: 2R after 1R, 10R after 9R.
    names = page.locator("#results tbody td:nth-child(2) a").all_inner_texts()
    assert names[:3] == ["Relay Q7", "Resistor 1R", "Resistor 2R"] and names.index("Resistor 10R") == 10
    page.locator("a[rel=next]").first.click()
    expect(page.locator("#results")).to_contain_text("51–61")
    assert page.evaluate("window.__samePage") is True
    _no_sideways_scroll(page)


def test_the_location_tree_opens_level_by_level(tab):
    page, base_url = tab
    page.goto(f"{base_url}/locations/")
    page.locator(".view-switch a", has_text="Tree").click()
    page.wait_for_url(f"{base_url}/locations/tree")
    building = page.locator("details", has=page.locator("summary a", has_text="Building A")).first
    expect(building.locator("summary")).to_contain_text("1 item in all · 0 right here")
    building.locator("summary").click(position={"x": 4, "y": 10})
    lab = building.locator(".tree-children details").first
    expect(lab.locator("summary")).to_contain_text("Lab")
    lab.locator("summary").click(position={"x": 4, "y": 10})
    expect(lab.locator(".tree-leaf")).to_contain_text("Shelf L1")
    expect(lab.locator(".tree-leaf")).to_contain_text("1 item")
    _no_sideways_scroll(page)
