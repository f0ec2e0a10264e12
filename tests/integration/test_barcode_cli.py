"""`flask barcode ...` as admins and scripts use it: JSON out, readable errors, stdin as raw bytes."""
from __future__ import annotations

import json

from barcodes.internal import internal_code
from barcodes.render import draw_barcode
from extensions import db
from models import Part

DIGIKEY = "[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dQ10\x1e\x04"


def _part() -> Part:
    part = Part(name="LM358", gtin="5901234123457")
    db.session.add(part)
    db.session.commit()
    return part


def test_resolve_prints_json_for_an_internal_code(runner):
    part = _part()
    result = runner.invoke(args=["barcode", "resolve", internal_code("part", part.id)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == "match" and data["matches"][0]["url"] == f"/parts/{part.id}"


def test_resolve_reads_raw_bytes_from_stdin(runner):
    part = _part()
    result = runner.invoke(args=["barcode", "resolve", "-"], input=b"]E05901234123457\r\n")
    data = json.loads(result.output)
    assert data["matches"][0]["object_id"] == part.id
    assert data["scan"]["aim_id"] == "]E0" and data["scan"]["raw_hex"].endswith("0d0a")


def test_resolve_of_empty_input_is_a_readable_error(runner):
    result = runner.invoke(args=["barcode", "resolve", "-"], input=b"  \n")
    assert result.exit_code == 1
    assert "Error: The scan is empty." in result.output and "Traceback" not in result.output


def test_parse_prints_fields(runner):
    result = runner.invoke(args=["barcode", "parse", "-"], input=DIGIKEY.encode())
    data = json.loads(result.output)
    assert data["format"] == "ecia" and data["fields"]["sku"] == "296-LM358BIDDFRCT-ND"
    assert json.loads(runner.invoke(args=["barcode", "parse", "hello"]).output)["format"] is None


def test_decode_files_and_report_unreadable_ones(runner, tmp_path):
    good, bad = tmp_path / "good.png", tmp_path / "bad.png"
    good.write_bytes(draw_barcode("A\x1dB", "datamatrix", "png"))
    bad.write_bytes(b"not an image")
    result = runner.invoke(args=["barcode", "decode", str(good), str(bad), str(tmp_path / "missing.png")])
    assert result.exit_code == 1
    report = json.loads(result.output[: result.output.rindex("]") + 1])
    assert report[0]["barcodes"] == [{"text": "A\x1dB", "symbology": "datamatrix", "aim_id": "]d1"}]
    assert "not an image" in report[1]["error"] and "No such file" in report[2]["error"]
    assert "2 of 3 file(s) could not be decoded" in result.output


def test_render_writes_svg_to_stdout_and_png_to_a_file(runner, tmp_path):
    svg = runner.invoke(args=["barcode", "render", "SSP1E", "--symbology", "qr", "--format", "svg"])
    assert svg.exit_code == 0 and "<svg" in svg.output
    target = tmp_path / "label.png"
    png = runner.invoke(args=["barcode", "render", "P1<GS>Q2", "-s", "code128", "-f", "png", "-o", str(target)])
    assert png.exit_code == 0
    from barcodes.decode import decode

    assert decode(target.read_bytes())[0].text == "P1\x1dQ2"
    bad = runner.invoke(args=["barcode", "render", "12", "-s", "ean13"])
    assert bad.exit_code == 1 and "EAN-13 needs 12 or 13 digits" in bad.output


def test_generate_prints_the_internal_code_of_an_existing_object(runner):
    part = _part()
    result = runner.invoke(args=["barcode", "generate", "part", str(part.id)])
    assert result.output.strip() == internal_code("part", part.id)
    missing = runner.invoke(args=["barcode", "generate", "part", "999"])
    assert missing.exit_code == 1 and "There is no part with id 999" in missing.output
