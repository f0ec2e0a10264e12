"""Scanning in the web UI: the resolver endpoint, image scans and the scanner check page.

Scanning to navigate is a read-only lookup, so a viewer may do it: the POSTs here are marked
`requires("viewer")`. Anything that changes data after a scan (link, move, receive) lives elsewhere
and stays operator-only.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, make_response, request
from flask_login import current_user

from barcodes.objects import kind, web_url
from blueprints import locations, parts, stock_items, supplier_parts
from blueprints.shared.access import requires
from blueprints.shared.listing import search_text, top
from blueprints.shared.rendering import redirect_to, render
from blueprints.shared.text_input import scanned_fields
from extensions import htmx
from models import Part, StockItem, StockLocation, SupplierPart
from services import scan_limit, scanlog, scanning, settings

bp = Blueprint("scan", __name__, url_prefix="/scan")

DISABLED_MESSAGE = "Barcode scanning is turned off on this server (setting BARCODE_ENABLE)."
# What "Search" after a no-match looks through: each kind's list search, a few of each.
FIND_KINDS = (
    ("part", parts.LISTING, (Part.name, Part.id)),
    ("stocklocation", locations.LISTING, (StockLocation.name, StockLocation.id)),
    ("stockitem", stock_items.LISTING, (Part.name, StockItem.id)),
    ("supplierpart", supplier_parts.LISTING, (SupplierPart.sku, SupplierPart.id)),
)
FIND_LIMIT = 5
MAX_LINK_DATA = 4096
# A few codes to scan while setting a scanner up: (symbology, title, data). The punctuation line
# shows a keyboard-layout mismatch at once; the ECIA one shows whether GS/RS/EOT arrive.
TEST_CODES = (
    ("code128", "Plain text", "SHELFSCAN-TEST-0123"),
    ("qr", "Every US key", "yzYZ -_=+[]{};:'\",.<>/?\\|`~!@#$%^&*()"),
    ("datamatrix", "Separators (GS, RS, EOT)", "[)>\x1e06\x1dPSHELF-TEST\x1d1PCHECK-1\x1dQ1\x1e\x04"),
)


@bp.before_request
def _scanning_enabled():
    """Answer every scan URL with a clear 404 while scanning is switched off."""
    if not settings.get("BARCODE_ENABLE"):
        if htmx:
            return make_response(f'<p class="scan-error" role="alert">{DISABLED_MESSAGE}</p>', 404)
        abort(404, description=DISABLED_MESSAGE)
    return None


@bp.app_context_processor
def scan_context():
    """Expose the scan settings the navbar button, the dialog and the scripts need."""

    def scan_ui() -> dict:
        return {
            "enabled": bool(settings.get("BARCODE_ENABLE")),
            "webcam": bool(settings.get("BARCODE_WEBCAM_SUPPORT")),
            "delay": settings.get("BARCODE_INPUT_DELAY"),
            "layout": settings.get("BARCODE_SCANNER_LAYOUT"),
            "gs_substitute": settings.get("BARCODE_GS_SUBSTITUTE"),
        }

    return {"scan_ui": scan_ui}


def _answer(outcome: scanning.ScanOutcome):
    """A redirect for one match, otherwise the result page or, for htmx, its result block."""
    if outcome.answer == "redirect":
        response = redirect_to(outcome.url)
    else:
        response = render("scan/result.html", block="result", status=outcome.status_code, outcome=outcome)
    if outcome.answer == "busy":
        response.headers["Retry-After"] = "1"
    response.headers["X-Scan-Result"] = outcome.answer
    return response


@bp.errorhandler(413)
def _too_large(error):
    """A scan or photo over the upload limit gets the same swappable error answer as bad input."""
    mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    return _answer(scanning.ScanOutcome("error", message=f"That is too much data for one scan (photos up to {mb} MB)."))


def _may_receive() -> bool:
    return current_user.has_role("operator")


def _over_rate_limit():
    """A 429 answer (the dialog shows its message) while this user is over the lookup limit, else None."""
    try:
        scan_limit.check(current_user.id)
    except scan_limit.ScanRateLimited as limited:
        response = render("scan/result.html", block="result", status=429,
                          outcome=scanning.ScanOutcome("error", message=str(limited)))
        response.headers["Retry-After"] = str(limited.retry_after)
        response.headers["X-Scan-Result"] = "limited"
        return response
    return None


@bp.get("")
def page():
    """The scan form as a page of its own (the navbar button without JavaScript)."""
    return render("scan/index.html")


@bp.post("")
@requires("viewer")
@scanned_fields("barcode")
def submit():
    """Resolve a scanned barcode (form field `barcode`, `source`) and go to what it names."""
    if (refused := _over_rate_limit()) is not None:
        return refused
    outcome = scanning.scan_text(request.form.get("barcode", ""), source=request.form.get("source", "dialog"),
                                 user_id=current_user.id, may_receive=_may_receive())
    return _answer(outcome)


@bp.post("/image")
@requires("viewer")
def submit_image():
    """Decode an uploaded image (field `image`) or camera frame and resolve what it shows."""
    if (refused := _over_rate_limit()) is not None:
        return refused
    upload = request.files.get("image")
    data = upload.read() if upload else b""
    if not data:
        outcome = scanning.ScanOutcome("error", message="Choose a photo of a barcode first.")
    else:
        outcome = scanning.scan_image(data, source=request.form.get("source", "photo"),
                                      user_id=current_user.id, may_receive=_may_receive())
    return _answer(outcome)


@bp.get("/find")
def find():
    """Parts, locations, stock items and supplier parts whose names or codes contain `q` (what a scan
    with no match offers); with `barcode`, operators may link that barcode to one of them."""
    q = search_text("q")
    barcode = (request.args.get("barcode") or "")[:MAX_LINK_DATA]
    found = [(kind(object_type).label, [(object_type, obj.id, str(obj), web_url(object_type, obj.id))
                                        for obj in top(spec, q, order, FIND_LIMIT)])
             for object_type, spec, order in FIND_KINDS] if q else []
    return render("scan/find.html", block="found", q=q, barcode=barcode, found=[kind for kind in found if kind[1]],
                  may_link=bool(barcode) and current_user.has_role("operator"))


@bp.get("/check")
def check():
    """Scanner setup help: the last scan key by key, and a test sheet to scan."""
    last = scanlog.latest_of(current_user.id)
    last_text = last.raw.decode("utf-8", "replace") if last else ""
    return render("scan/check.html", last=last, last_text=last_text,
                  test_codes=[(i, title, data) for i, (_, title, data) in enumerate(TEST_CODES)])


@bp.get("/check/code/<int:index>.svg")
def check_code(index: int):
    """One barcode of the test sheet, rendered by the engine as SVG."""
    from barcodes.render import draw_barcode

    if index >= len(TEST_CODES):
        abort(404, description="No such test code.")
    symbology, _, data = TEST_CODES[index]
    image = draw_barcode(data, symbology, "svg")
    body = image.encode() if isinstance(image, str) else image
    return Response(body, mimetype="image/svg+xml")
