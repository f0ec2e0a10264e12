"""Browser fixtures: Playwright driving Debian's Chromium against the live server (tests/conftest.py)."""
from __future__ import annotations

import os
import shutil

import pytest

from extensions import db
from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Flags that keep Chromium off the network it cannot reach here.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
# A phone: the viewport of a common 6.1" one, touch, its pixel density; `browser.new_context(**PHONE)`.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}


def pytest_collection_modifyitems(items):
    """Mark everything here as e2e."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def playwright_instance():
    """The Playwright driver, per module: its sync API keeps an event loop running in this thread,
    which would break later tests that call asyncio.run()."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


def launch(playwright_instance, extra_args=()):
    """Launch Debian's Chromium headless with the offline flags."""
    return playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + list(extra_args))


@pytest.fixture
def browser(playwright_instance):
    """A headless Chromium."""
    instance = launch(playwright_instance)
    yield instance
    instance.close()


@pytest.fixture
def make_user(live_server):
    """Create a user in the live server's database."""
    application, _ = live_server

    def make(username: str, role: str):
        from models import User

        with application.app_context():
            user = User(username=username, role=role)
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
        return username

    return make


def sign_in(page, base_url: str, username: str) -> None:
    """Log in through the login page."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def page(browser, live_server, make_user):
    """A page signed in as an operator on the live server."""
    _, base_url = live_server
    make_user("op", "operator")
    context = browser.new_context()
    tab = context.new_page()
    sign_in(tab, base_url, "op")
    yield tab
    context.close()
