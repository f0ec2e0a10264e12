"""In Chromium: create a part through the form, then find it by typing in the list's search box."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from extensions import db
from models import Part, StockItem


def test_create_a_part_and_find_it_by_search_as_you_type(page, live_server):
    app, base_url = live_server
    with app.app_context():
        db.session.add_all([Part(name=f"Resistor {n}k", ipn=f"R-{n:03d}") for n in range(30)])
        db.session.commit()

    page.goto(f"{base_url}/parts/new")
    page.fill("input[name=name]", "Flow test op-amp")
    page.fill("input[name=ipn]", "E2E-358")
    page.fill("input[name=gtin]", "123")  # a bad GTIN first: the form comes back with a message
    page.click("form.crud-form button[type=submit]")
    expect(page.locator("#gtin-errors")).to_contain_text("Not a valid GTIN")
    page.fill("input[name=gtin]", "4006381333931")
    page.click("form.crud-form button[type=submit]")
    page.wait_for_url(re.compile(r"/parts/\d+$"))
    expect(page.locator("h1")).to_contain_text("Flow test op-amp")

    page.goto(f"{base_url}/parts/")
    expect(page.locator("#results")).to_contain_text("31 found")
    page.evaluate("window.__sameDocument = true")  # survives only if htmx swaps instead of loading a page
    page.locator("input[name=q]").press_sequentially("e2e-35", delay=40)
    results = page.locator("#results")
    expect(results).to_contain_text("1 found")
    expect(results).to_contain_text("Flow test op-amp")
    expect(results).not_to_contain_text("Resistor")
    assert page.evaluate("window.__sameDocument") is True
    expect(page).to_have_url(re.compile(r"/parts/\?q=e2e-35"))


def test_the_stock_form_suggests_parts_while_typing(page, live_server):
    app, base_url = live_server
    with app.app_context():
        part = Part(name="Flow test op-amp", ipn="E2E-358")
        db.session.add_all([part, Part(name="Resistor 1k", ipn="R-001")])
        db.session.commit()
        part_id = part.id
    page.goto(f"{base_url}/stock-items/new")
    box = page.locator("input[name=part_id]")
    box.press_sequentially("e2e", delay=40)
    options = page.locator("#part_id-options option")
    expect(options).to_have_count(1)
    picked = options.get_attribute("value")
    assert picked == "E2E-358 Flow test op-amp"
    box.fill(picked)  # what picking the suggestion does
    page.fill("input[name=quantity]", "12")
    page.click("form.crud-form button[type=submit]")
    page.wait_for_url(re.compile(r"/stock-items/\d+$"))
    expect(page.locator("table.history")).to_contain_text("created")
    with app.app_context():
        assert db.session.scalars(db.select(StockItem.part_id)).one() == part_id
    page.goto(page.url + "/edit")
    expect(page.locator("input[name=part_id]")).to_have_value("E2E-358 Flow test op-amp")


def test_the_part_can_be_typed_by_its_exact_name_or_ipn(page, live_server):
    app, base_url = live_server
    with app.app_context():
        db.session.add_all([Part(name="Flow test op-amp", ipn="E2E-358"), Part(name="Resistor 1k", ipn="R-001")])
        db.session.commit()
    for typed, name in (("Resistor 1k", "Resistor 1k"), ("E2E-358", "Flow test op-amp")):
        page.goto(f"{base_url}/stock-items/new")
        page.fill("input[name=part_id]", typed)
        page.fill("input[name=quantity]", "2")
        page.click("form.crud-form button[type=submit]")
        page.wait_for_url(re.compile(r"/stock-items/\d+$"))
        expect(page.locator("h1")).to_contain_text(name)
