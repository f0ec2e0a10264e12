"""Barcode images: an object's internal code, or any data, as SVG or PNG (with an ETag; no-store like
every signed-in answer, see blueprints/shared/security.py)."""
from __future__ import annotations

import hashlib

from flask import Blueprint, abort, make_response, request

from barcodes.internal import internal_code
from barcodes.render import RenderError, draw_barcode
from blueprints.shared.args import arg_number
from blueprints.shared.text_input import scanned_fields
from services import settings
from services.barcode_engine import scan_options
from services.barcode_objects import get_object

bp = Blueprint("barcode_images", __name__, url_prefix="/barcodes")

OBJECT_SYMBOLOGIES = ("qr", "datamatrix", "code128")
DATA_SYMBOLOGIES = OBJECT_SYMBOLOGIES + ("ean13",)
MIME = {"svg": "image/svg+xml", "png": "image/png"}


def _options(allowed: tuple[str, ...]) -> tuple[str, int | None]:
    """The symbology and module size from the query string; 400 for bad values."""
    symbology = request.args.get("symbology", "qr").lower()
    if symbology not in allowed:
        abort(400, description=f"Unknown symbology {symbology!r}; use one of {', '.join(allowed)}.")
    size = arg_number("size", 0, minimum=1, maximum=40) or None  # the module size in pixels
    return symbology, size


def _image(data: str, symbology: str, fmt: str, size: int | None):
    """Answer with the barcode image, or 304 when the browser's copy is current."""
    text = None if settings.get("BARCODE_SHOW_TEXT") else ""
    tag = hashlib.sha256(repr((data, symbology, fmt, size, text)).encode()).hexdigest()[:32]
    if request.if_none_match.contains(tag):
        response = make_response("", 304)
    else:
        try:
            body = draw_barcode(data, symbology, fmt, size=size, text=text)
        except RenderError as error:
            abort(400, description=str(error))
        response = make_response(body)
        response.mimetype = MIME[fmt]
    response.set_etag(tag)
    return response


@bp.route("/<object_type>/<id:object_id>.svg", defaults={"fmt": "svg"})
@bp.route("/<object_type>/<id:object_id>.png", defaults={"fmt": "png"})
def object_image(object_type: str, object_id: int, fmt: str):
    """The internal barcode of one object; 404 for unknown objects."""
    if get_object(object_type, object_id) is None:
        abort(404, description=f"No {object_type} with id {object_id}.")
    symbology, size = _options(OBJECT_SYMBOLOGIES)
    return _image(internal_code(object_type, object_id, scan_options().prefix), symbology, fmt, size)


@bp.route("/render.svg", defaults={"fmt": "svg"})
@bp.route("/render.png", defaults={"fmt": "png"})
@scanned_fields("data")
def render_data(fmt: str):
    """Any data as a barcode (linked barcodes are drawn this way); 400 for data that cannot be drawn."""
    data = request.args.get("data", "")
    if not data:
        abort(400, description="Give the data to draw: ?data=...")
    symbology, size = _options(DATA_SYMBOLOGIES)
    return _image(data, symbology, fmt, size)
