"""ZPL output: field origins, the printer's own barcode commands and the field data."""
from __future__ import annotations

import re

from services.labels.layout import layout
from services.labels.render_process import render_body
from services.labels.zpl import field_data, label_zpl

BODY = """\
{{ barcode('qr', left=2, top=3, size=20) }}
{{ barcode('code128', left=25, top=3, width=70, height=10) }}
{{ barcode('datamatrix', left=2, top=26, size=12) }}
<div style="left:25mm; top:15mm; width:70mm; height:10mm; font-size:10pt; text-align:center">{{ name }}<br>Lot {{ lot }}</div>
"""
VALUES = {"code": "SSI42X", "name": "Resistor ^10k~ 1%", "lot": "L_7"}


def zpl_for(body: str = BODY, dpi: int = 203) -> str:
    return label_zpl(layout(render_body(body, VALUES), 102, 51), 102, 51, dpi)


def test_label_is_framed_and_sized_in_dots():
    zpl = zpl_for()
    assert zpl.startswith("^XA\n^CI28\n") and zpl.rstrip().endswith("^XZ")
    assert "^PW816" in zpl and "^LL408" in zpl  # 102 x 51 mm at 8 dots/mm


def test_qr_field_has_origin_command_and_data():
    qr = re.search(r"\^FO(\d+),(\d+)\^BQN,2,(\d+)\^FH_\^FDMA,([^^]*)\^FS", zpl_for())
    assert qr, zpl_for()
    x, y, magnification, data = int(qr[1]), int(qr[2]), int(qr[3]), qr[4]
    assert data == "SSI42X"
    # Inside the 20 mm box that starts at (2 mm, 3 mm) = (16, 24) dots, quiet zone included.
    assert 16 <= x <= 16 + 160 and 24 <= y <= 24 + 160
    assert 21 * magnification <= 160


def test_code128_and_datamatrix_commands():
    zpl = zpl_for()
    code128 = re.search(r"\^FO(\d+),24\^BY(\d+)\^BCN,80,N,N,N,A\^FH_\^FD([^^]*)\^FS", zpl)
    assert code128 and code128[3] == "SSI42X"
    assert int(code128[1]) >= 25 * 8  # after the box's left edge, past the quiet zone
    assert re.search(r"\^FO\d+,\d+\^BXN,\d+,200\^FH_\^FDSSI42X\^FS", zpl)


def test_text_is_a_field_block_with_escaped_data():
    zpl = zpl_for()
    text = re.search(r"\^FO200,120\^A0N,(\d+),\1\^FB560,(\d+),\d+,C,0\^FH_\^FD([^^]*)\^FS", zpl)
    assert text, zpl
    assert text[3] == "Resistor _5E10k_7E 1%\\&Lot L_5F7"  # ^ ~ _ escaped; \& breaks the line
    assert int(text[1]) == round(10 * 25.4 / 72 * 8)


def test_resolution_changes_dots():
    assert "^PW1224" in zpl_for(dpi=300)


def test_field_data_escapes_control_characters():
    assert field_data("A\x1dB") == "A_1DB"
