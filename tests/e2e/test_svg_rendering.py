"""In Chromium: every SVG the app serves looks the same opened on its own as inside an <img>.

Opened directly, the SVG is a document under the app's Content-Security-Policy; inside an <img> it is
not. The Code 128 link on every object page showed a solid black square this way.
"""
from __future__ import annotations

import io

from PIL import Image, ImageChops

from tests.e2e.conftest import sign_in
from tests.integration.test_svg_responses import svg_urls

# Pixels allowed to differ: anti-aliasing of text may vary by a shade between the two ways of drawing.
TOLERANCE = 0.01


def _differing_share(first: bytes, second: bytes) -> float:
    """The share of pixels that differ clearly between two screenshots of the same size."""
    a, b = (Image.open(io.BytesIO(shot)).convert("L") for shot in (first, second))
    assert a.size == b.size
    diff = ImageChops.difference(a, b).point(lambda value: 255 if value > 64 else 0)
    return diff.histogram()[255] / (a.size[0] * a.size[1])


def test_svgs_look_the_same_opened_directly_and_in_an_img(browser, live_server, make_user):
    app, base_url = live_server
    with app.app_context():
        urls = svg_urls(app)
    make_user("svg-admin", "admin")
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    sign_in(page, base_url, "svg-admin")
    # A same-origin page of our own holding the image (so the session cookie goes with it), served
    # by the browser itself without the app's CSP: only the SVG response's own headers matter.
    frame_url = f"{base_url}/__svg-in-img"
    page.route(frame_url + "**", lambda route: route.fulfill(
        content_type="text/html", body=f'<body style="margin:0"><img id="svg" src="{route.request.url.split("?src=", 1)[1]}"></body>'))
    problems = []
    for url in urls:
        page.goto(f"{frame_url}?src={base_url}{url}")
        page.wait_for_function("document.getElementById('svg').complete && document.getElementById('svg').naturalWidth > 0")
        box = page.locator("#svg").bounding_box()
        clip = {"x": 0, "y": 0, "width": min(box["width"], 1200), "height": min(box["height"], 900)}
        in_img = page.screenshot(clip=clip)
        page.goto(f"{base_url}{url}")
        direct = page.screenshot(clip=clip)
        share = _differing_share(in_img, direct)
        if share > TOLERANCE:
            problems.append(f"{url}: {share:.0%} of pixels differ")
    context.close()
    assert problems == []
