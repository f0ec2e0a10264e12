"""An object's barcodes on its page: the internal code, linked barcodes, and (for operators)
linking a scanned or typed barcode and unlinking one. Answers htmx with the block re-rendered."""
from __future__ import annotations

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user

from barcodes import objects
from barcodes.internal import internal_code
from blueprints.shared.access import requires
from blueprints.shared.rendering import redirect_to, render
from blueprints.shared.text_input import scanned_fields
from extensions import htmx
from services import barcode_linking, settings
from services.barcode_engine import scan_options
from services.barcode_objects import get_object

bp = Blueprint("barcode_links", __name__, url_prefix="/barcodes")
TEMPLATE = "barcodes/_object_barcode.html"
MAX_LENGTH = 4096


@bp.app_context_processor
def object_barcode_helper():
    """`object_barcode(object_type, obj)` for the detail pages' barcode block."""
    return {"object_barcode": object_barcode}


def object_barcode(object_type: str, obj) -> dict:
    """What the barcode block shows: the internal code, whether to print it as text, linked barcodes."""
    return {"code": internal_code(object_type, obj.id, scan_options().prefix),
            "show_text": settings.get("BARCODE_SHOW_TEXT"), "linked": barcode_linking.linked(object_type, obj.id),
            "kind_name": objects.kind(object_type).label.lower()}


def _source() -> str:
    """Where the barcode was typed or scanned: the object's page, or the scan dialog's no-match offer."""
    return "dialog" if request.form.get("source") == "dialog" else "page"


def _object_or_404(object_type: str, object_id: int):
    obj = get_object(object_type, object_id)
    if obj is None:
        abort(404, description=f"No {object_type} with id {object_id}.")
    return obj


def _answer(object_type: str, obj, status: int = 200, error: str = "", typed: str = ""):
    """The block for htmx; a redirect to the object's page (with a flash) for plain forms."""
    if not htmx:
        flash(error or "Saved.", "error" if error else "info")
        return redirect_to(objects.web_url(object_type, obj.id))
    return render(TEMPLATE, block="object_barcode", status=status, object_type=object_type, obj=obj,
                  link_error=error, typed=typed)


@bp.route("/<object_type>/<id:object_id>/link", methods=["POST"])
@scanned_fields("barcode")
def link(object_type: str, object_id: int):
    """Link a scanned or typed barcode (field `barcode`) to the object; 422 with the reason if not."""
    obj = _object_or_404(object_type, object_id)
    raw = request.form.get("barcode", "")
    if not raw.strip():
        return _answer(object_type, obj, 422, "Scan or type a barcode first.", raw)
    if len(raw) > MAX_LENGTH:
        return _answer(object_type, obj, 422, f"A barcode has at most {MAX_LENGTH} characters.", raw[:100])
    source = _source()
    outcome = barcode_linking.link(raw, object_type, object_id, user_id=current_user.id, source=source)
    if source == "dialog":
        return _dialog_answer(object_type, obj, outcome.error, raw)
    if outcome.error:
        return _answer(object_type, obj, 422, outcome.error, raw)
    return _answer(object_type, obj)


def _dialog_answer(object_type: str, obj, error: str, raw: str):
    """A link made from a no-match scan: go to the object, which the barcode now opens; or say why not."""
    if not error:
        flash(f"Linked. Scanning {raw[:60]} now opens this {objects.kind(object_type).label.lower()}.", "info")
        return redirect_to(objects.web_url(object_type, obj.id))
    if htmx:
        return render("scan/find.html", block="link_error", status=422, link_error=error)
    flash(error, "error")
    return redirect_to(url_for("scan.find", barcode=raw))


def _link_of(object_type: str, obj, barcode_id: int):
    """The linked barcode `barcode_id` of this object, or 404."""
    row = barcode_linking.get_link(barcode_id)
    if row is None or (row.object_type, row.object_id) != (object_type, obj.id):
        abort(404, description="This barcode is not linked to this object.")
    return row


@bp.route("/<object_type>/<id:object_id>/unlink/<id:barcode_id>", methods=["GET", "POST"])
@requires("operator")
def unlink(object_type: str, object_id: int, barcode_id: int):
    """GET asks before unlinking (the page a plain form opens; htmx asks in the browser instead);
    POST removes the linked barcode from the object."""
    obj = _object_or_404(object_type, object_id)
    row = _link_of(object_type, obj, barcode_id)
    if request.method == "GET":
        return render("barcodes/unlink.html", object_type=object_type, obj=obj, row=row,
                      kind_name=objects.kind(object_type).label.lower(), object_url=objects.web_url(object_type, obj.id))
    barcode_linking.unlink(object_type, object_id, row.data, user_id=current_user.id, source="page")
    return _answer(object_type, obj)
