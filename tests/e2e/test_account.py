"""In Chromium, at desktop and phone size: from the navbar to one's own account page, change the
password, make an API token (shown once) and revoke it, then sign in with the new password."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

NEW = "a brand new password"
SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True},
}


@pytest.mark.parametrize("size", list(SIZES))
def test_change_password_and_manage_tokens_from_the_account_page(browser, live_server, make_user, size):
    _, base_url = live_server
    make_user("dana", "viewer")
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", "dana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")

    menu = ".nav-menu" if size == "phone" else ".user-menu"  # the phone's menu button holds the user's links
    page.click(f".navbar {menu} > summary")
    page.click(f".navbar {menu} >> text=Your account")
    page.wait_for_url(f"{base_url}/account")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["viewport"]["width"]

    page.fill("input[name=name]", "stock room phone")
    page.fill("form:has(input[name=name]) input[name=password]", PASSWORD)
    page.click("text=Create token")
    expect(page.locator("#new-token")).to_have_text(re.compile(r"^sst-[\w-]{20,}$"))
    expect(page.locator("table.tokens")).to_contain_text("stock room phone")
    page.click("table.tokens button:has-text('Revoke')")
    expect(page.locator("table.tokens")).to_contain_text("revoked")
    expect(page.locator("#new-token")).to_have_count(0)  # shown once only

    page.fill("input[name=current]", PASSWORD)
    page.fill("input[name=new]", NEW)
    page.fill("input[name=confirm]", NEW)
    page.click("text=Change password")
    expect(page.locator(".flash")).to_contain_text("Your password is changed")
    if size == "phone":
        page.click(".navbar .nav-menu > summary")
    page.click(f"{'.nav-menu' if size == 'phone' else '.nav-right'} button:has-text('Sign out')")
    page.fill("input[name=username]", "dana")
    page.fill("input[name=password]", NEW)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    context.close()
