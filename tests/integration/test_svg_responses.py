"""Every SVG the app serves draws without inline styles, which the site's own CSP blocks.

Opened on its own (a link to it), an SVG is a document under the Content-Security-Policy the app
sends, which has no 'unsafe-inline': style="" attributes and <style> elements are dropped there, while
inside an <img> they apply. The browser comparison is tests/e2e/test_svg_rendering.py.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from extensions import db
from models import Part, ScanLog
from services.labels.printing import templates_for

SVG = "{http://www.w3.org/2000/svg}"


def svg_urls(app) -> list[str]:
    """One URL per SVG route and symbology, so a new SVG route must be added here (see the test below)."""
    part = Part(name="Hex nut M4")
    db.session.add_all([part, ScanLog(source="dialog", raw=b"x", result="match")])
    db.session.commit()
    template_ids = [t.id for t in templates_for()]
    urls = [f"/barcodes/part/{part.id}.svg?symbology={s}" for s in ("qr", "datamatrix", "code128")]
    urls += [f"/barcodes/render.svg?data=4006381333931&symbology={s}" for s in ("qr", "datamatrix", "code128", "ean13")]
    urls += [f"/labels/templates/{template_id}/sample.svg" for template_id in template_ids]
    urls += ["/admin/scans/chart.svg"] + [f"/scan/check/code/{index}.svg" for index in range(3)]
    return urls


def test_every_svg_route_is_checked(app):
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".svg")}
    assert rules == {"/barcodes/<object_type>/<id:object_id>.svg", "/barcodes/render.svg",
                     "/labels/templates/<id:template_id>/sample.svg", "/admin/scans/chart.svg",
                     "/scan/check/code/<int:index>.svg"}


def test_no_svg_carries_inline_styles(app, admin_client):
    for url in svg_urls(app):
        response = admin_client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml", url
        assert "style-src 'self'" in response.headers["Content-Security-Policy"]
        root = ET.fromstring(response.data)
        assert root.tag == f"{SVG}svg", url
        styled = [element.tag for element in root.iter() if "style" in element.attrib or element.tag == f"{SVG}style"]
        assert styled == [], f"{url}: {styled[:3]}"


@pytest.mark.parametrize("symbology", ["code128", "ean13"])
def test_linear_codes_colour_their_bars_with_attributes(admin_client, symbology):
    root = ET.fromstring(admin_client.get(f"/barcodes/render.svg?data=4006381333931&symbology={symbology}").data)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "black"]
    assert len(bars) > 20
    assert [t.get("font-size") for t in root.iter(f"{SVG}text")][:1] == ["10pt"]
