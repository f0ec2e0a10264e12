"""Stock work by scanning: scan an item into a location, scan-in and count sessions, receive packages."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, request, url_for
from flask_login import current_user

from barcodes.objects import web_url
from blueprints.shared.access import requires
from blueprints.shared.args import arg_id
from blueprints.shared.rendering import redirect_to, render
from blueprints.shared.text_input import scanned_fields
from extensions import db, htmx
from models import ScanSession, StockItem, StockLocation
from services import settings
from services.stock import StockError, count, count_commit, move, sessions, undo
from services.printers import jobs as print_jobs
from services.stock import receive as receiving
from services.stock.common import location_name

bp = Blueprint("stock_actions", __name__, url_prefix="/stock")
MAX_SCAN = 4096
SESSION_PAGE = "stock_actions/session.html"
RECEIVE_PAGE = "stock_actions/receive.html"


@bp.app_template_global()
def visible_controls(text: str) -> str:
    """Scanned text for a hidden form field, its control characters as Control Pictures (␝ ␞ ␄), which
    barcodes.normalize reads back; pages show scanned text with the `visible_controls` filter."""
    return "".join(chr(0x2400 + ord(ch)) if ord(ch) < 0x20 else ch for ch in text or "")


def _scan_text(name: str = "barcode") -> str:
    """The scanned text from the form, length-capped (the engine refuses longer input clearly)."""
    return (request.form.get(name) or "")[:MAX_SCAN + 1]


def _uid() -> int:
    return current_user.id


# --- one item into a location -------------------------------------------------------------------

@bp.route("/items/<id:item_id>/move", methods=["GET", "POST"])
@requires("operator")
@scanned_fields("barcode")
def move_item(item_id: int):
    """Scan a location's label and the stock item moves there."""
    item = db.get_or_404(StockItem, item_id)
    level, message, status = None, "", 200
    if request.method == "POST":
        try:
            moved = move.scan_into_location(item.id, _scan_text(), user_id=_uid())
            level, message = ("warning" if moved.from_path == moved.to.path else "accepted"), moved.message
        except StockError as error:
            level, message, status = "error", str(error), 422
    return render("stock_actions/move_item.html", block="move_result", status=status, item=item,
                  level=level, message=message, item_url=web_url("stockitem", item.id))


# --- sessions ------------------------------------------------------------------------------------

@bp.route("/locations/<id:location_id>/sessions", methods=["POST"])
def start_session(location_id: int):
    """Open (or reopen) this user's scan-in or count session on a location."""
    db.get_or_404(StockLocation, location_id)
    kind = request.form.get("kind", "move")
    try:
        scan_session = sessions.start(location_id, kind, user_id=_uid())
    except StockError as error:
        abort(400, description=str(error))
    return redirect_to(url_for(".session_page", session_id=scan_session.id))


def _session(session_id: int) -> ScanSession:
    scan_session = db.get_or_404(ScanSession, session_id)
    if scan_session.user_id != current_user.id and not current_user.has_role("admin"):
        abort(403, description="This scan session belongs to another user.")
    return scan_session


def _session_page(scan_session: ScanSession, *, block: str | None = None, status: int = 200, outcome=None, error=None,
                  review: count_commit.Review | None = None):
    """Render the session page (or one of its blocks) with everything it shows; `review` lists what
    committing a count would write, for the user to confirm."""
    sessions.preload(scan_session)
    rows = count.report(scan_session) if scan_session.kind == "count" else []
    last = undo.last_committed(scan_session.location_id, scan_session.user_id) if scan_session.kind == "move" else None
    return render(SESSION_PAGE, block=block, status=status, scan_session=scan_session, outcome=outcome, error=error,
                  counting=scan_session.kind == "count", webcam=settings.get("BARCODE_WEBCAM_SUPPORT"),
                  rows=rows, summary=count.summary(rows), fmt=count.fmt_quantity, web_url=web_url,
                  undoable=last is not None and last.id == scan_session.id, location_name=location_name,
                  oob=bool(htmx) and block == "scan_result", review=review)


@bp.route("/sessions/<id:session_id>")
@requires("operator")
def session_page(session_id: int):
    """A session: the scan input, what this page scanned, and the staged list (htmx: the list alone)."""
    return _session_page(_session(session_id), block="staged")


@bp.route("/sessions/<id:session_id>/scan", methods=["POST"])
@scanned_fields("barcode")
def session_scan(session_id: int):
    """Stage one scan (or, counting, a typed quantity) and answer with its row."""
    scan_session = _session(session_id)
    try:
        outcome = sessions.stage_scan(scan_session, _scan_text(), user_id=_uid(), last_line=arg_id("last_line", where="values"))
    except StockError as error:
        outcome = sessions.Outcome("error", "refused", str(error))
    status = 422 if outcome.level == "error" else 200
    return _session_page(scan_session, block="scan_result", status=status, outcome=outcome)


@bp.route("/sessions/<id:session_id>/scan-image", methods=["POST"])
def session_scan_image(session_id: int):
    """Stage the barcode in a camera frame; 204 when the frame shows nothing new."""
    scan_session = _session(session_id)
    upload = request.files.get("image")
    try:
        text, outcome = sessions.stage_image(scan_session, upload.read() if upload else b"", user_id=_uid(),
                                             last_line=arg_id("last_line", where="values"), recent=request.form.get("recent", ""))
    except StockError as error:
        text, outcome = "", sessions.Outcome("error", "refused", str(error))
    if outcome is None:
        response = Response(status=204)
    else:
        status = 422 if outcome.level == "error" else 200
        response = _session_page(scan_session, block="scan_result", status=status, outcome=outcome)
    response.headers["X-Scan-Text"] = quote(text, safe="")
    return response


@bp.route("/sessions/<id:session_id>/stage", methods=["POST"])
def session_stage(session_id: int):
    """Stage an offered stock item or a confirmed sub-location."""
    scan_session = _session(session_id)
    try:
        location_id = arg_id("location", where="values")
        if location_id:
            outcome = sessions.stage_location(scan_session, location_id, user_id=_uid())
        else:
            outcome = sessions.stage_offered(scan_session, arg_id("item", where="values") or 0, user_id=_uid())
    except StockError as error:
        outcome = sessions.Outcome("error", "refused", str(error))
    status = 422 if outcome.level == "error" else 200
    return _session_page(scan_session, block="scan_result", status=status, outcome=outcome)


@bp.route("/sessions/<id:session_id>/lines/<id:line_id>/remove", methods=["POST"])
def remove_line(session_id: int, line_id: int):
    """Take one line off the staged list."""
    scan_session = _session(session_id)
    try:
        sessions.remove_line(scan_session, line_id)
    except StockError as error:
        return _session_page(scan_session, block="staged", status=422, error=str(error))
    return _session_page(scan_session, block="staged")


@bp.route("/sessions/<id:session_id>/lines/<id:line_id>/count", methods=["POST"])
def count_line(session_id: int, line_id: int):
    """Set the counted quantity of one line."""
    scan_session = _session(session_id)
    try:
        count.set_count(scan_session, line_id, request.form.get("counted", ""))
    except StockError as error:
        return _session_page(scan_session, block="staged", status=422, error=str(error))
    return _session_page(scan_session, block="staged")


def _count(session_id: int, refusal: str):
    """The session if it is a count (its owner's or an admin's); 404 saying `refusal` otherwise."""
    scan_session = _session(session_id)
    if scan_session.kind != "count":
        abort(404, description=refusal)
    return scan_session


@bp.route("/sessions/<id:session_id>/review")
@requires("operator")
def review_count(session_id: int):
    """Every change committing the count would write, to confirm before anything is written."""
    scan_session = _count(session_id, "Only a count is reviewed before its commit.")
    if scan_session.status != "open":
        return redirect_to(url_for(".session_page", session_id=scan_session.id))
    return _session_page(scan_session, block="staged", review=count_commit.review(scan_session))


@bp.route("/sessions/<id:session_id>/commit", methods=["POST"], defaults={"verb": "commit"})
@bp.route("/sessions/<id:session_id>/undo", methods=["POST"], defaults={"verb": "undo"})
@bp.route("/sessions/<id:session_id>/cancel", methods=["POST"], defaults={"verb": "cancel"})
def finish_session(session_id: int, verb: str):
    """Commit, undo or cancel a session in one transaction; a clear message when refused. A count
    commits only the changes the user reviewed (field `reviewed`); without them it shows the review."""
    scan_session = _session(session_id)
    reviewed = request.form.get("reviewed", "")[:64]
    try:
        if verb == "commit":
            sessions.commit(scan_session, user_id=_uid(), reviewed=reviewed)
        elif verb == "undo":
            undo.undo(scan_session, user_id=_uid())
        else:
            sessions.cancel(scan_session)
    except count_commit.ReviewOutdated as outdated:  # show what would be written now
        return _session_page(scan_session, block="staged", status=422 if reviewed else 200,
                             error=str(outdated) if reviewed else None, review=count_commit.review(scan_session))
    except StockError as error:  # the service rolled back: the session shows as it is stored
        return _session_page(scan_session, block="staged", status=422, error=str(error))
    if verb == "cancel":
        return redirect_to(web_url("stocklocation", scan_session.location_id))
    return redirect_to(url_for(".session_page", session_id=scan_session.id))


@bp.route("/sessions/<id:session_id>/report.csv")
@requires("operator")
def count_csv(session_id: int):
    """The count report as a CSV download (its owner's or an admin's, like the session page)."""
    scan_session = _count(session_id, "Only counts have a report.")
    filename = f"count-{scan_session.location_id}-{scan_session.id}.csv"
    return Response(count.csv_report(scan_session), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- receiving -----------------------------------------------------------------------------------

def _receive_page(raw: str, *, status: int = 200, error: str = "", received=None, location_id: int | None = None,
                  supplier_part_id: int | None = None, labelled: bool = True, print_job: dict | None = None):
    """The receive page for a scanned label (or a supplier part's package without one): the form, an
    'already received' warning, or 'create it'; `location_id` is the location it was opened from,
    where the package goes unless another is scanned."""
    draft, already, unknown = None, None, None
    if (raw or supplier_part_id) and not received:
        try:
            draft = receiving.inspect(raw) if raw else receiving.draft_for(supplier_part_id)
        except receiving.AlreadyReceived as warning:
            already = warning
        except receiving.UnknownSupplierPart as missing:
            unknown = missing
        except StockError as problem:
            error, status = error or str(problem), 422 if status == 200 else status
    fields = draft.result.fields if draft and draft.result else ({} if not unknown else receiving.resolve(raw).fields)
    preset = db.session.get(StockLocation, location_id) if location_id else None
    return render(RECEIVE_PAGE, block="receive", status=status, raw=raw, draft=draft, already=already,
                  unknown=unknown, error=error, received=received, fields=fields, fmt=count.fmt_quantity,
                  web_url=web_url, form=request.form, preset=preset, labelled=labelled, print_job=print_job,
                  print_by_default=settings.get("PRINT_ON_RECEIVE"))


@bp.route("/receive")
@requires("operator")
@scanned_fields("barcode")
def receive():
    """Receive a supplier package: scan its label (or arrive here from the scan dialog's offer, from a
    location's page with ?location=ID, which is then where it goes, or from a supplier part's page with
    ?supplier_part=ID for a package without a label)."""
    return _receive_page((request.args.get("barcode") or "")[:MAX_SCAN + 1], location_id=arg_id("location"),
                         supplier_part_id=arg_id("supplier_part"))


@bp.route("/receive", methods=["POST"])
@scanned_fields("barcode", "location")
def receive_post():
    """Make the stock item from the label (or for the supplier part), in the scanned, chosen or default location."""
    raw = _scan_text()
    location_id, supplier_part_id = arg_id("location_id", where="form"), arg_id("supplier_part_id", where="form")
    given = {"user_id": _uid(), "location_code": _scan_text("location"), "location_id": location_id,
             "quantity": request.form.get("quantity"), "lot": request.form.get("lot"),
             "date_code": request.form.get("date_code")}
    try:
        if raw or not supplier_part_id:
            item = receiving.receive(raw, **given)
        else:
            item = receiving.receive_unlabelled(supplier_part_id, **given)
    except receiving.AlreadyReceived:
        return _receive_page(raw, status=422, location_id=location_id)
    except StockError as error:
        return _receive_page(raw, status=422, error=str(error), location_id=location_id,
                             supplier_part_id=supplier_part_id)
    print_job = _print_received(item.id) if request.form.get("print_label") else None
    return _receive_page("", received=item, location_id=location_id, labelled=bool(raw), print_job=print_job)


def _print_received(item_id: int) -> dict:
    """Send the new item's label to the chosen (or default) printer; the job, or why not, for the page."""
    try:
        return print_jobs.describe(print_jobs.print_received(item_id, _uid(), arg_id("printer", where="form")))
    except print_jobs.JobRefused as refused:
        return {"state": "refused", "message": f"The label was not printed: {refused}"}


@bp.route("/receive/supplier-part", methods=["POST"])
@scanned_fields("barcode")
def create_supplier_part():
    """Create the unknown supplier part (and part) from the label, then continue receiving."""
    raw = _scan_text()
    location_id = arg_id("location_id", where="form")
    try:
        receiving.create_supplier_part(raw, supplier_name=request.form.get("supplier", ""),
                                       part_name=request.form.get("part_name", ""), user_id=_uid())
    except StockError as error:
        return _receive_page(raw, status=422, error=str(error), location_id=location_id)
    return redirect_to(url_for(".receive", barcode=raw, location=location_id))
