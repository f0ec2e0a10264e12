"""After signing in, `next=` may only lead to a page of this site, by the browser's own URL rules:
htmx follows HX-Redirect with `location.href`, where a backslash is a slash and tabs and newlines
are dropped, so `/\\evil.example/` would leave the site. Location and HX-Redirect say the same."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from blueprints.shared.rendering import same_site_path
from tests.conftest import PASSWORD

# Each would leave the site in a browser (WHATWG URL parsing), is not a path at all, or would split a
# header (CR/LF).
REFUSED = ["/parts/\r\nSet-Cookie: planted=1", "/\\evil.example/", "/\\/evil.example/", "\\\\evil.example", "/\t/evil.example/", "/\n/evil.example",
           "//evil.example/", "https://evil.example/", " //evil.example", "/\r\n/evil.example", "javascript:alert(1)",
           "evil.example", "", "/\u3000\\evil.example"]
# Refused by the request's text check already (a 400, see test_text_input.py); refused here too.
CONTROLS = ["/\x00/evil.example", "\x01//evil.example", "/parts/\x7f", "/\x1b/evil.example", "/\x85/evil.example"]
# Same-site paths that must still work, percent-encoded the same way in both headers.
LOCAL = {"/parts/12": "/parts/12", "/parts/?q=a b": "/parts/?q=a%20b", "/parts/?q=Widerstände": "/parts/?q=Widerst%C3%A4nde",
         "/parts/%5C": "/parts/%5C", "/a:b": "/a:b"}


def _sign_in(client, target: str, htmx: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/login?next={quote(target, safe='')}", headers=headers,
                       data={"username": "viewer", "password": PASSWORD})


def _destination(response, htmx: bool) -> str:
    if htmx:
        assert response.status_code == 200 and "Location" not in response.headers
        return response.headers["HX-Redirect"]
    assert response.status_code == 303 and "HX-Redirect" not in response.headers
    return response.headers["Location"]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("target", REFUSED)
def test_a_next_that_leaves_the_site_goes_home(app, users, target, htmx):
    response = _sign_in(app.test_client(), target, htmx)
    assert _destination(response, htmx) == "/"


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("target", sorted(LOCAL))
def test_a_local_next_is_followed_with_the_same_value_in_both_headers(app, users, target, htmx):
    response = _sign_in(app.test_client(), target, htmx)
    assert _destination(response, htmx) == LOCAL[target]


def test_a_next_that_was_refused_still_signs_in(app, users):
    client = app.test_client()
    _sign_in(client, "/\\evil.example/", htmx=True)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("target", REFUSED + CONTROLS)
def test_same_site_path_refuses_what_a_browser_would_take_elsewhere(target):
    assert same_site_path(target) is None


def test_same_site_path_quotes_what_it_keeps():
    assert {target: same_site_path(target) for target in LOCAL} == LOCAL
