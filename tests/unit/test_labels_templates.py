"""Label templates: the sandbox, the markup rules and the messages a template author sees."""
from __future__ import annotations

import pytest

from services.labels.fonts import fit_lines
from services.labels.layout import layout
from services.labels.render_process import render_body
from services.labels.sandbox import LabelTemplateError
from services.labels.svg import label_svg

VALUES = {"code": "SSP12K", "name": "Widget", "title": "Widget"}


def boxes(body: str, values=VALUES, size=(62, 29)):
    return layout(render_body(body, values), *size)


def test_text_box_position_size_and_style():
    (box,) = boxes('<div style="left:2mm; top:3mm; width:30mm; height:8mm; font-size:9pt; '
                   'font-weight:bold; text-align:right">{{ name }}</div>')
    assert (box.left, box.top, box.width, box.height) == (2, 3, 30, 8)
    assert box.bold and box.align == "right" and box.font_size == pytest.approx(9)
    assert box.text == "Widget"


def test_barcode_helper_defaults_to_the_object_code():
    (box,) = boxes("{{ barcode('datamatrix', left=1, top=1, size=20) }}")
    assert (box.kind, box.symbology, box.data, box.width) == ("barcode", "datamatrix", "SSP12K", 20)
    (other,) = boxes("{{ barcode('qr', data='https://example.test/x', size=20) }}")
    assert other.data == "https://example.test/x"


def test_values_are_escaped_not_markup():
    (box,) = boxes('<div style="left:0mm">{{ name }}</div>', {**VALUES, "name": "<b>x</b> & y"})
    assert box.text == "<b>x</b> & y"
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in label_svg([box], 62, 29)


def test_br_breaks_lines_and_whitespace_collapses():
    (box,) = boxes('<div style="left:0mm; top:0mm; width:60mm; height:20mm">\n  one\n  two<br>three</div>')
    assert fit_lines(box) == ["one two", "three"]


def test_lines_that_do_not_fit_the_height_are_dropped():
    (box,) = boxes('<div style="left:0mm; top:0mm; width:10mm; height:4mm; font-size:8pt">'
                   'many words that wrap over several lines</div>')
    assert len(fit_lines(box)) == 1


@pytest.mark.parametrize("body, message", [
    ("{{ name", "line 1"),
    ("{{ nmae }}", "nmae"),
    ("{{ name.__class__.__mro__ }}", "unsafe"),
    ("{{ ''.__class__ }}", "unsafe"),
    ('<div style="left:2mm; color:red">x</div>', "unsupported style"),
    ('<div style="left:99mm">x</div>', "does not lie on"),
    ('<div style="left:2mm">x<table></table></div>', "<table>"),
    ("<script>alert(1)</script>", "<script>"),
    ('<img src="x.png">', "images other than barcode"),
    ("loose text", "inside a positioned"),
    ("{{ barcode('pdf417', size=10) }}", "unknown symbology"),
    ("{{ barcode('qr') }}", "size="),
    ('<div style="left:1mm">open', "not closed"),
])
def test_broken_templates_raise_a_readable_error(body, message):
    with pytest.raises(LabelTemplateError) as caught:
        boxes(body)
    assert message in str(caught.value)


def test_sandbox_cannot_reach_python_internals():
    with pytest.raises(LabelTemplateError):
        render_body("{{ barcode.__globals__ }}", VALUES)
    with pytest.raises(LabelTemplateError):
        render_body("{% for i in range(10**7) %}{% endfor %}", VALUES)
