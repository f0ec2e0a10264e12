"""In Chromium, at desktop and phone size: the settings page reads as a finished page.

Human labels with the key in small print, each checkbox beside its label, defaults and messages in
words (not "True", not a regular expression).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from services.settings import SPECS
from tests.e2e.conftest import SIZES, sign_in



@pytest.fixture(params=sorted(SIZES))
def admin_page(request, browser, live_server, make_user):
    """The settings page, signed in as an admin, at each size."""
    _, base_url = live_server
    make_user("settings-admin", "admin")
    context = browser.new_context(**SIZES[request.param])
    page = context.new_page()
    sign_in(page, base_url, "settings-admin")
    page.goto(f"{base_url}/admin/settings")
    yield page
    context.close()


def test_settings_have_human_labels_with_the_key_in_small_print(admin_page):
    for key, spec in SPECS.items():
        row = admin_page.locator(f"#setting-{key}")
        name = row.locator(".setting-name label, .setting-name .label").first
        expect(name).to_have_text(spec.label)
        assert spec.label != key
        key_text = row.locator(".setting-key")
        expect(key_text).to_have_text(key)
        size = lambda element: float(element.evaluate("e => getComputedStyle(e).fontSize").rstrip("px"))  # noqa: E731
        assert size(key_text.locator("code")) < size(name), key


def test_each_checkbox_sits_beside_its_label(admin_page):
    boxes = admin_page.locator(".setting-check input[type=checkbox]")
    assert boxes.count() == sum(1 for spec in SPECS.values() if spec.type is bool)
    for index in range(boxes.count()):
        box = boxes.nth(index)
        label = admin_page.locator(f"label[for='{box.get_attribute('id')}']")
        b, l = box.bounding_box(), label.bounding_box()
        gap = l["x"] - (b["x"] + b["width"])
        assert 0 <= gap <= 16, (box.get_attribute("id"), gap)
        assert abs((b["y"] + b["height"] / 2) - (l["y"] + l["height"] / 2)) <= 8
    # A list of plugins is a row of labelled boxes too.
    plugin_box = admin_page.locator("input[name=BARCODE_PLUGINS_DISABLED][value=gs1]")
    b, l = plugin_box.bounding_box(), plugin_box.locator("xpath=..").bounding_box()
    assert l["x"] <= b["x"] and b["x"] + b["width"] <= l["x"] + l["width"]


def test_defaults_and_messages_read_in_words(admin_page):
    text = admin_page.locator("main").inner_text()
    assert "True" not in text and "False" not in text
    assert "Default: on." in text
    admin_page.fill("#f-BARCODE_PREFIX", "ss1")
    admin_page.click("#settings-form button[type=submit]")
    error = admin_page.locator("#e-BARCODE_PREFIX")
    expect(error).to_have_text("Use 1 to 4 capital letters, A to Z.")
    assert not any(mark in error.inner_text() for mark in "[]{}")
