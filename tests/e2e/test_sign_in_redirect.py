"""In Chromium: the sign-in form (posted by htmx) follows `next=` only to a page of this site."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import PASSWORD


def _sign_in_with_next(browser, base_url: str, target: str):
    context = browser.new_context()
    page = context.new_page()
    leaving = []
    # Anything the page tries to load off this site is noted and blocked (there is no network here).
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
                  else (leaving.append(route.request.url), route.abort()))
    page.goto(f"{base_url}/login?next={quote(target, safe='')}")
    page.fill("input[name=username]", "desk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    return context, page, leaving


@pytest.mark.parametrize("target", ["/\\evil.example/", "/\\/evil.example/", "/\t/evil.example/", "//evil.example/"])
def test_a_next_off_the_site_lands_on_the_home_page(browser, live_server, make_user, target):
    _, base_url = live_server
    make_user("desk", "viewer")
    context, page, leaving = _sign_in_with_next(browser, base_url, target)
    page.wait_for_url(f"{base_url}/")
    assert leaving == [] and page.locator(".navbar .nav-right .user").inner_text() == "desk"
    context.close()


def test_a_next_on_the_site_is_followed(browser, live_server, make_user):
    _, base_url = live_server
    make_user("desk", "viewer")
    context, page, leaving = _sign_in_with_next(browser, base_url, "/parts/?q=Widerstände")
    page.wait_for_url(f"{base_url}/parts/?q=Widerst%C3%A4nde")
    assert leaving == []
    context.close()
