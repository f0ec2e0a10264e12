"""Rendering: every symbology in SVG and PNG decodes back exactly, GS characters included."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from PIL import Image, ImageDraw

from barcodes.decode import decode
from barcodes.render import RenderError, draw_barcode

SVG = "{http://www.w3.org/2000/svg}"
SUPPLIER = "[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dQ10\x1e\x04"
CASES = [
    ("qr", SUPPLIER), ("qr", "SSP12E"), ("qr", "Grüße \u241d ☃"), ("datamatrix", SUPPLIER),
    ("datamatrix", "0109501101530003\x1d10LOT"), ("code128", "P296-LM358\x1d1PLM358\x1dQ10"),
    ("code128", "SSL7345X"), ("ean13", "5901234123457"),
]


def rasterise(svg: bytes) -> Image.Image:
    """Draw the rects and axis-aligned path boxes of our SVGs (a test-only rasteriser)."""
    root = ET.fromstring(svg)
    scale = 10.0 if root.get("width", "").endswith("mm") else 2.0  # python-barcode draws in mm
    size = [int(float(re.sub("[a-z]", "", root.get(k))) * scale) + 1 for k in ("width", "height")]
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for rect in root.iter(f"{SVG}rect"):
        if "black" not in (rect.get("style", "") + rect.get("fill", "")):
            continue
        x, y, w, h = (float(re.sub("[a-z]", "", rect.get(k))) * scale for k in ("x", "y", "width", "height"))
        draw.rectangle([x, y, x + w - 1, y + h - 1], fill=0)
    for path in root.iter(f"{SVG}path"):
        for x, y, w, h in re.findall(r"M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-[\d.]+Z", path.get("d", "")):
            x, y, w, h = (float(v) * scale for v in (x, y, w, h))
            draw.rectangle([x, y, x + w - 1, y + h - 1], fill=0)
    return image


def _png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("symbology, data", CASES)
def test_png_round_trip(symbology, data):
    png = draw_barcode(data, symbology, "png")
    assert png.startswith(b"\x89PNG")
    assert [d.text for d in decode(png)] == [data]


@pytest.mark.parametrize("symbology, data", CASES)
def test_svg_round_trip(symbology, data):
    svg = draw_barcode(data, symbology, "svg")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert [d.text for d in decode(_png_bytes(rasterise(svg)))] == [data]


def test_linear_codes_carry_human_readable_text():
    svg = draw_barcode("SSP12E", "code128", "svg").decode()
    assert ">SSP12E</text>" in svg
    assert "</text>" not in draw_barcode("SSP12E", "code128", "svg", text="").decode()
    assert "␝" in draw_barcode("A\x1dB", "code128", "svg").decode()  # separators shown as pictures
    assert ">5901234123457</text>" in draw_barcode("590123412345", "ean13", "svg").decode().replace("\n", "")


def test_module_size_scales_the_png():
    small, large = (Image.open(io.BytesIO(draw_barcode("X", "qr", "png", size=s))) for s in (2, 8))
    assert large.size[0] == 4 * small.size[0]


@pytest.mark.parametrize("data, symbology, fmt, message", [
    ("5901234123458", "ean13", "svg", "check digit"), ("12AB", "ean13", "png", "12 or 13 digits"),
    ("x", "aztec-ish", "svg", "Unknown symbology"), ("x", "qr", "pdf", "Unknown format"), ("", "qr", "svg", "nothing"),
    ("Grüße", "code128", "png", "ASCII"), ("x" * 5000, "qr", "svg", "Too much"),
])
def test_bad_requests_raise_a_readable_render_error(data, symbology, fmt, message):
    with pytest.raises(RenderError, match=message):
        draw_barcode(data, symbology, fmt)


@pytest.mark.parametrize("data", ["99", "9912", "991234", "12\x1d99", "A99"])
def test_code128_keeps_a_leading_99(data):
    """python-barcode drops a leading "99" pair in set C (it mistakes it for a set switch)."""
    assert [d.text for d in decode(draw_barcode(data, "code128", "png"))] == [data]


@hsettings(max_examples=60, deadline=None)
@given(st.sampled_from(["qr", "datamatrix", "code128"]),
       st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126) | st.sampled_from("\x1d\x1e"),
               min_size=1, max_size=60))
def test_any_ascii_with_separators_round_trips(symbology, data):
    assert [d.text for d in decode(draw_barcode(data, symbology, "png"))] == [data]


@hsettings(max_examples=60, deadline=None)
@given(st.sampled_from(["qr", "datamatrix"]),
       st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\x1d\x1e"),
               min_size=1, max_size=40))
def test_any_unicode_text_round_trips_in_2d_codes(symbology, data):
    assert [d.text for d in decode(draw_barcode(data, symbology, "png"))] == [data]
