"""`flask barcode ...`: resolve, parse, decode, render and generate barcodes from the command line."""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

barcode_cli = AppGroup("barcode", help="Resolve, parse, decode, render and generate barcodes.")


def _read_data(data: str) -> str | bytes:
    """The DATA argument; `-` reads raw bytes from standard input."""
    if data == "-":
        return sys.stdin.buffer.read()
    return data


def _echo_json(value) -> None:
    click.echo(json.dumps(value, indent=2, default=str))


def scan_json(scan) -> dict:
    """A Scan as JSON: canonical text, AIM id, symbology and the raw bytes in hex."""
    return {"text": scan.text, "aim_id": scan.aim_id, "symbology": scan.symbology, "raw_hex": scan.raw.hex()}


def result_json(result) -> dict:
    """A ScanResult as JSON."""
    return {
        "status": result.status, "message": result.message, "plugin": result.plugin, "format": result.format,
        "fields": result.fields, "matches": [dataclasses.asdict(m) for m in result.matches],
        "barcode_hash": result.barcode_hash, "scan": scan_json(result.scan),
    }


@barcode_cli.command("resolve")
@click.argument("data")
def resolve_command(data: str) -> None:
    """Resolve DATA (or `-` for stdin) to the objects it names; prints JSON."""
    from services.barcode_engine import resolve_scan

    result = resolve_scan(_read_data(data), source="cli")
    _echo_json(result_json(result))
    if result.status == "error":
        raise click.ClickException(result.message)


@barcode_cli.command("parse")
@click.argument("data")
def parse_command(data: str) -> None:
    """Parse DATA (or `-`) as a supplier or GS1 code without looking anything up; prints JSON."""
    from barcodes.normalize import ScanInputError, normalize
    from barcodes.parsers import parse
    from services.barcode_engine import scan_options

    try:
        scan = normalize(_read_data(data), scan_options().gs_substitute)
    except ScanInputError as exc:
        raise click.ClickException(str(exc)) from None
    parsed = parse(scan.text, scan.aim_id)
    _echo_json({"format": parsed.format if parsed else None, "fields": parsed.fields if parsed else {},
                "scan": scan_json(scan)})


@barcode_cli.command("decode")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def decode_command(files: tuple[Path, ...]) -> None:
    """Find the barcodes in image FILES (as photos, within the photo budget); prints JSON, one entry per file."""
    from barcodes.decode import DecodeTimeout, ImageError
    from barcodes.decode_pool import DecodeBusy
    from services.barcode_engine import decode_image
    from services.scanning import BUSY_MESSAGE, TIMEOUT_MESSAGE

    report, failed = [], 0
    for path in files:
        entry: dict = {"file": str(path)}
        try:
            data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
            entry["barcodes"] = [{"text": d.text, "symbology": d.symbology, "aim_id": d.aim_id}
                                 for d in decode_image(data, source="photo")]
        except (ImageError, DecodeTimeout, DecodeBusy, OSError) as exc:
            failed += 1
            messages = {DecodeTimeout: TIMEOUT_MESSAGE, DecodeBusy: BUSY_MESSAGE}
            entry["error"] = (f"cannot read the file: {exc.strerror}" if isinstance(exc, OSError)
                              else messages.get(type(exc), str(exc)))
        report.append(entry)
    _echo_json(report)
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} file(s) could not be decoded.")


@barcode_cli.command("render")
@click.argument("data")
@click.option("--symbology", "-s", default="qr", show_default=True,
              type=click.Choice(["qr", "datamatrix", "code128", "ean13"], case_sensitive=False))
@click.option("--format", "-f", "fmt", default="svg", show_default=True, type=click.Choice(["svg", "png"], case_sensitive=False))
@click.option("--size", type=int, help="Module size in pixels.")
@click.option("--text", help="Caption under linear codes ('' for none).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def render_command(data: str, symbology: str, fmt: str, size: int | None, text: str | None, output: Path | None) -> None:
    """Draw DATA (or `-`) as a barcode; separators may be written <GS>, {GS} or U+241D."""
    from barcodes.normalize import replace_separators
    from barcodes.render import RenderError, draw_barcode

    raw = _read_data(data)
    content = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    content = replace_separators(content.removesuffix("\n").removesuffix("\r"))
    try:
        image = draw_barcode(content, symbology, fmt, size=size, text=text)
    except RenderError as exc:
        raise click.ClickException(str(exc)) from None
    if output is not None:
        output.write_bytes(image)
        click.echo(f"Wrote {output} ({len(image)} bytes).", err=True)
    else:
        sys.stdout.buffer.write(image)
        sys.stdout.flush()


@barcode_cli.command("generate")
@click.argument("object_type", type=click.Choice(["part", "stockitem", "stocklocation", "supplierpart"]))
@click.argument("object_id", type=click.IntRange(min=1))
def generate_command(object_type: str, object_id: int) -> None:
    """Print the internal barcode of an existing object, e.g. `generate part 12`."""
    from barcodes.internal import internal_code
    from services.barcode_engine import scan_options
    from services.barcode_objects import get_object

    if get_object(object_type, object_id) is None:
        raise click.ClickException(f"There is no {object_type} with id {object_id}.")
    click.echo(internal_code(object_type, object_id, scan_options().prefix))


def register(app: Flask) -> None:
    """Attach the barcode command group."""
    app.cli.add_command(barcode_cli)
