"""Printing labels: the preview page, PDF, ZPL, and background jobs with progress for long batches.

What to print comes from the query string (links such as an object page's "Print label") or, for
selections too long for a URL, from a POST body with the CSRF token: the list pages' selection form
and the print page for 50 labels or more post. Viewers print: the POSTs here only read data.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import abort, current_app, flash, make_response, request, send_file, url_for
from flask_login import current_user

from blueprints.labels import bp
from blueprints.labels.editor import data_uri
from blueprints.shared.access import requires
from blueprints.shared.args import arg_id, arg_ids, arg_number
from blueprints.shared.rendering import redirect_to, render
from extensions import htmx
from models import OBJECT_TYPES, LabelTemplate
from services.labels import jobs
from services.labels.context import TYPE_LABELS
from services.labels.printing import (
    MAX_LABELS,
    PrintError,
    PrintOrder,
    build_pdf,
    build_zpl,
    choose_template,
    page_setup,
    preview_svgs,
    sheet_preview,
    templates_for,
)
from services.labels.sandbox import LabelTemplateError

PROGRESS_FROM = 50  # batches at least this long are generated in the background with a progress bar
PREVIEW_LIMIT = 24
TICK_FIRST = "Tick the rows to print first."
# Where each type's "Print labels" button is, to go back to when nothing was ticked.
LIST_PAGES = {"part": "parts.index", "stockitem": "stock_items.index", "stocklocation": "locations.index",
              "supplierpart": "supplier_parts.index"}


def selection_source() -> str:
    """Where this request's selection is: the form of a POST, else the query string."""
    return "form" if request.method == "POST" else "args"


def back_to_list(object_type: str, message: str):
    """Redirect to the list the selection came from (its search and page kept), with `message` shown
    beside its Print button. The path is always our own list: only the list's arguments come from the form."""
    flash(message, "selection")
    kept = {name: value for name, value in parse_qsl(request.values.get("back", ""))[:10]
            if name in ("q", "sort", "page", "per_page") and len(value) <= 200}
    return redirect_to(url_for(LIST_PAGES.get(object_type, "labels.index"), **kept))


def requested_order() -> tuple[LabelTemplate, PrintOrder]:
    """The template and order of this request; 400 when malformed, back to the list when empty."""
    where = selection_source()
    object_type = request.values.get("type", "")
    if object_type not in OBJECT_TYPES:
        abort(400, description=f"Choose what to print: type is one of {', '.join(OBJECT_TYPES)}.")
    ids = arg_ids("id", where=where)
    if not ids:
        abort(back_to_list(object_type, TICK_FIRST))
    copies = arg_number("copies", 1, minimum=1, maximum=MAX_LABELS, where=where)
    start = arg_number("start", 1, minimum=1, maximum=MAX_LABELS, where=where)
    try:
        template = choose_template(object_type, arg_id("template", where=where))
    except PrintError as error:
        abort(400, description=str(error))
    return template, PrintOrder(object_type, tuple(ids), copies, start)


def _order_query(template: LabelTemplate, order: PrintOrder) -> dict:
    """The query string of an order (for GET links), leaving out defaults."""
    query = {"type": order.object_type, "id": list(order.ids), "template": template.id}
    if order.copies > 1:
        query["copies"] = order.copies
    if order.start > 1:
        query["start"] = order.start
    return query


@bp.route("/print", methods=["GET", "POST"])
@requires("viewer")
def preview():
    """Print preview: the first labels as they will print, with template, copies and start position."""
    template, order = requested_order()
    if request.method == "POST" and not htmx and order.count < PROGRESS_FROM:
        return redirect_to(url_for("labels.preview", **_order_query(template, order)))  # a link to keep
    error, images, sheet_map = "", [], None
    try:
        order.check(template)
        images = [data_uri(svg) for svg in preview_svgs(template, order, PREVIEW_LIMIT)]
        sheet_map = sheet_preview(template, order)
    except (PrintError, LabelTemplateError) as problem:  # shown in the form, where it can be changed
        error = str(problem)
    return render("labels/print.html", block="print_page", status=422 if error else 200, label_template=template,
                  templates=templates_for(order.object_type), order=order, images=images, error=error,
                  sheet_map=data_uri(sheet_map) if sheet_map else None, positions=page_setup(template).per_page,
                  distinct=len(set(order.ids)), background=order.count >= PROGRESS_FROM, max_labels=MAX_LABELS,
                  type_label=TYPE_LABELS[order.object_type])


@bp.route("/print.pdf", methods=["GET", "POST"])
@requires("viewer")
def print_pdf():
    """The labels as one PDF: a page per label at its exact size, or sheets."""
    template, order = requested_order()
    try:
        pdf = build_pdf(template, order)
    except (PrintError, LabelTemplateError) as error:
        abort(400, description=str(error))
    return file_response(pdf, "application/pdf", f"labels-{order.object_type}.pdf")


@bp.route("/print.zpl", methods=["GET", "POST"])
@requires("viewer")
def print_zpl():
    """The labels as ZPL for a Zebra printer (dpi=203|300|600)."""
    template, order = requested_order()
    dpi = request.values.get("dpi", "203")
    if dpi not in ("203", "300", "600"):
        abort(400, description="dpi is 203, 300 or 600.")
    try:
        zpl = build_zpl(template, order, int(dpi))
    except (PrintError, LabelTemplateError) as error:
        abort(400, description=str(error))
    return file_response(zpl, "text/plain", f"labels-{order.object_type}.zpl", attachment=True)


def file_response(body: str | bytes, mimetype: str, filename: str, attachment: bool = False):
    """A made file as the answer: shown in the browser (PDF), or downloaded as `filename`."""
    response = make_response(body)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    return response


@bp.route("/jobs/start", methods=["POST"])
@requires("viewer")
def start_job():
    """Start a long batch in the background: htmx gets its progress bar, a plain form its page.

    A POST with the CSRF token: it starts work and keeps a file. 429 while the user (or the server)
    has as many jobs running as it may."""
    template, order = requested_order()
    try:
        order.check(template)
        job_id = jobs.start(current_app._get_current_object(), current_user.id, template.id, order)
    except PrintError as error:
        abort(400, description=str(error))
    except jobs.JobsBusy as busy:
        response = render("labels/job.html", block="job", status=429, job_id="", job={"state": "busy", "error": str(busy)})
        response.headers["Retry-After"] = str(busy.retry_after)
        return response
    if not htmx:
        return redirect_to(url_for("labels.job", job_id=job_id))
    return _job_status(job_id, 202)


@bp.route("/jobs/<job_id>")
def job(job_id: str):
    """The progress of a batch (htmx polls this until it is done; without JavaScript the page reloads)."""
    return _job_status(job_id, 200)


def _job_status(job_id: str, status: int):
    try:
        state = jobs.status(current_app._get_current_object(), job_id, current_user.id)
    except jobs.JobNotFound:
        abort(404, description="No such print job; it may have expired.")
    return render("labels/job.html", block="job", status=status, job_id=job_id, job=state)


@bp.route("/jobs/<job_id>.pdf")
def job_pdf(job_id: str):
    """The finished PDF of a batch."""
    try:
        # Opened here: once open, the file reads to the end even if the job is cleaned up meanwhile.
        handle = open(jobs.pdf_path(current_app._get_current_object(), job_id, current_user.id), "rb")
    except (jobs.JobNotFound, FileNotFoundError):
        abort(404, description="This PDF is not ready or has expired.")
    return send_file(handle, mimetype="application/pdf", download_name="labels.pdf", as_attachment=True)
