"""One way to answer: a whole page, or for htmx just a block of the same template."""
from __future__ import annotations

import unicodedata

from flask import make_response, redirect, render_template
from jinja2_fragments.flask import render_block
from werkzeug.urls import iri_to_uri

from extensions import htmx


def render(template: str, block: str | None = None, status: int = 200, **context):
    """Render the page, or only `block` of it when htmx asks; adds Vary: HX-Request."""
    if htmx and block and not htmx.boosted:
        html = render_block(template, block, **context)
    else:
        html = render_template(template, **context)
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def same_site_path(target: str | None) -> str | None:
    """`target` as an ASCII path on this site, or None when a browser could take it anywhere else.

    Judged by the browser's own URL parser (WHATWG), which htmx's HX-Redirect goes through: it drops
    tabs and newlines and reads a backslash as a slash, so `/\\evil` and `/<TAB>/evil` are `//evil`,
    another host. Any control character or backslash is refused outright; then only a single leading
    slash (a path on this host) is accepted.
    """
    if not target or "\\" in target or any(unicodedata.category(ch) == "Cc" for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    return iri_to_uri(target)


def redirect_to(url: str):
    """Redirect after a POST: HX-Redirect for htmx, 303 See Other otherwise, both to the same URI."""
    url = iri_to_uri(url)  # what Werkzeug would put in Location; HX-Redirect must not differ from it
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
    else:
        response = redirect(url, 303)
    response.vary.add("HX-Request")
    return response
