"""One way to answer: a whole page, or for htmx just a block of the same template."""
from __future__ import annotations

from flask import make_response, redirect, render_template
from jinja2_fragments.flask import render_block

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


def redirect_to(url: str):
    """Redirect after a POST: HX-Redirect for htmx, 303 See Other otherwise."""
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
    else:
        response = redirect(url, 303)
    response.vary.add("HX-Request")
    return response
