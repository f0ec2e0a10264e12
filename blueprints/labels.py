"""Labels: the template list, the admins' template editor, printing (preview, PDF, ZPL, progress
for long batches) and the stock report and pick list."""
from __future__ import annotations

import base64

from flask import Blueprint, abort, current_app, flash, make_response, request, send_file, url_for
from flask_login import current_user

from blueprints.forms.labels import TemplateForm
from blueprints.shared.access import requires
from blueprints.shared.args import arg_id, arg_ids
from blueprints.shared.crud import attach_errors
from blueprints.shared.rendering import redirect_to, render
from models import OBJECT_TYPES, LabelTemplate
from services import inventory
from services.errors import FieldErrors
from services.labels import jobs, reports, templates
from services.labels.context import TYPE_LABELS
from services.labels.printing import (
    PrintError,
    build_pdf,
    build_zpl,
    choose_template,
    preview_svgs,
    sample_svg,
    templates_for,
)
from services.labels.sandbox import LabelTemplateError

bp = Blueprint("labels", __name__, url_prefix="/labels")
PROGRESS_FROM = 50  # batches at least this long are generated in the background with a progress bar
PREVIEW_LIMIT = 24


def _template_or_404(template_id: int) -> LabelTemplate:
    return templates.get(template_id) or abort(404, description=f"No label template {template_id}.")


def _selection() -> tuple[str, list[int], int | None]:
    """type, ids and template from the query string; 400 when they are malformed."""
    object_type = request.args.get("type", "")
    if object_type not in OBJECT_TYPES:
        abort(400, description=f"Choose what to print: type is one of {', '.join(OBJECT_TYPES)}.")
    ids = arg_ids("id")
    if not ids:
        abort(400, description="Choose what to print: give one or more numeric id= values.")
    return object_type, ids, arg_id("template")


def _chosen() -> tuple[LabelTemplate, str, list[int]]:
    object_type, ids, template_id = _selection()
    try:
        return choose_template(object_type, template_id), object_type, ids
    except PrintError as error:
        abort(400, description=str(error))


@bp.route("/")
def index():
    """The label templates, and where printing and reports start."""
    return render("labels/index.html", templates=templates_for(), type_labels=TYPE_LABELS,
                  locations=inventory.locations_by_path())


@bp.route("/templates/<id:template_id>/sample.svg")
def sample(template_id: int):
    """The template drawn with made-up values."""
    template = _template_or_404(template_id)
    object_type = request.args.get("type") or template.object_types.split(",")[0]
    if object_type not in OBJECT_TYPES:
        abort(400, description="Unknown object type.")
    try:
        svg = sample_svg(template, object_type)
    except LabelTemplateError as error:
        abort(400, description=f"This template cannot be drawn: {error}")
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    return response


@bp.route("/templates/new", methods=["GET", "POST"])
@requires("admin")
def create():
    """A new template; starts from the 62 x 29 mm built-in."""
    form = TemplateForm()
    if request.method == "GET":
        start = templates_for()[0]
        form.process(data={"name": "", "object_types": start.object_types.split(","), "width_mm": start.width_mm,
                           "height_mm": start.height_mm, "body": start.body, "columns": 1, "rows": 1})
    return _save(form, None)


@bp.route("/templates/<id:template_id>/edit", methods=["GET", "POST"])
@requires("admin")
def edit(template_id: int):
    """Edit a template (built-ins are read-only: duplicate them)."""
    template = _template_or_404(template_id)
    form = TemplateForm(obj=template)
    if not form.is_submitted():
        form.object_types.data = template.object_types.split(",")
    return _save(form, template)


def _save(form: TemplateForm, template: LabelTemplate | None):
    """Validate and store the form; re-render it with messages (422) when something is wrong."""
    status = 200
    if form.is_submitted():
        status = 422
        if template is not None and template.builtin or form.validate():
            try:
                saved = templates.save(template, form.values())
            except FieldErrors as refused:
                attach_errors(form, refused.errors)
            else:
                flash(f"Saved label template {saved.name}.")
                return redirect_to(url_for("labels.edit", template_id=saved.id))
    return render("labels/edit.html", block="editor", status=status, form=form, label_template=template,
                  type_labels=TYPE_LABELS)


@bp.route("/templates/preview", methods=["POST"])
@requires("admin")
def preview_template():
    """The editor's unsaved template drawn for each type it fits, or its errors (422)."""
    form = TemplateForm()
    samples, status = [], 422
    if form.validate():
        template = templates.draft(form.values())  # never stored
        samples = [(TYPE_LABELS[t], _data_uri(sample_svg(template, t))) for t in template.object_types.split(",")]
        status = 200
    return render("labels/edit.html", block="live_preview", status=status, form=form, samples=samples,
                  label_template=None, type_labels=TYPE_LABELS)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@bp.route("/templates/<id:template_id>/duplicate", methods=["POST"])
@requires("admin")
def duplicate(template_id: int):
    """Copy a template (the way to adapt a built-in)."""
    copy = templates.duplicate(_template_or_404(template_id))
    return redirect_to(url_for("labels.edit", template_id=copy.id))


@bp.route("/templates/<id:template_id>/delete", methods=["POST"])
@requires("admin")
def delete(template_id: int):
    """Delete a template of one's own (built-ins stay)."""
    template = _template_or_404(template_id)
    try:
        templates.delete(template)
    except templates.TemplateRefused as refused:
        abort(400, description=str(refused))
    flash(f"Deleted label template {template.name}.")
    return redirect_to(url_for("labels.index"))


@bp.route("/print")
def preview():
    """Print preview: the first labels as they will print, template choice, PDF and ZPL links."""
    template, object_type, ids = _chosen()
    try:
        svgs = preview_svgs(template, object_type, ids, PREVIEW_LIMIT)
    except (PrintError, LabelTemplateError) as error:
        abort(400, description=str(error))
    images = [_data_uri(svg) for svg in svgs]
    return render("labels/print.html", label_template=template, templates=templates_for(object_type),
                  object_type=object_type, ids=ids, images=images, background=len(ids) >= PROGRESS_FROM,
                  type_label=TYPE_LABELS[object_type])


@bp.route("/print.pdf")
def print_pdf():
    """The labels as one PDF: a page per label at its exact size, or sheets."""
    template, object_type, ids = _chosen()
    try:
        pdf = build_pdf(template, object_type, ids)
    except (PrintError, LabelTemplateError) as error:
        abort(400, description=str(error))
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="labels-{object_type}.pdf"'
    return response


@bp.route("/print.zpl")
def print_zpl():
    """The labels as ZPL for a Zebra printer (?dpi=203|300|600)."""
    template, object_type, ids = _chosen()
    dpi = request.args.get("dpi", "203")
    if dpi not in ("203", "300", "600"):
        abort(400, description="dpi is 203, 300 or 600.")
    try:
        zpl = build_zpl(template, object_type, ids, int(dpi))
    except (PrintError, LabelTemplateError) as error:
        abort(400, description=str(error))
    response = make_response(zpl)
    response.mimetype = "text/plain"
    response.headers["Content-Disposition"] = f'attachment; filename="labels-{object_type}.zpl"'
    return response


@bp.route("/jobs/start")
def start_job():
    """Start a long batch in the background and answer with its progress bar.

    A GET like print.pdf: it only reads data and makes a file, and viewers print too."""
    template, object_type, ids = _chosen()
    job_id = jobs.start(current_app._get_current_object(), current_user.id, template.id, object_type, ids)
    return _job_status(job_id, 202)


@bp.route("/jobs/<job_id>")
def job(job_id: str):
    """The progress of a batch (htmx polls this until it is done)."""
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
        path = jobs.pdf_path(current_app._get_current_object(), job_id, current_user.id)
    except jobs.JobNotFound:
        abort(404, description="This PDF is not ready or has expired.")
    return send_file(path, mimetype="application/pdf", download_name="labels.pdf")


@bp.route("/reports/stock")
def stock_report_redirect():
    """The report form's target: on to the location's report."""
    location_id = arg_id("location")
    if location_id is None:
        abort(400, description="Choose a location.")
    return redirect_to(url_for("labels.stock_report", location_id=location_id))


@bp.route("/reports/stock/<id:location_id>")
def stock_report(location_id: int):
    """Printable stock report of a location and its sub-locations."""
    report = reports.stock_report(location_id)
    if report is None:
        abort(404, description=f"No location {location_id}.")
    return render("labels/stock_report.html", report=report)


@bp.route("/reports/stock/<id:location_id>.pdf")
def stock_report_pdf(location_id: int):
    """The stock report as PDF."""
    report = reports.stock_report(location_id)
    if report is None:
        abort(404, description=f"No location {location_id}.")
    return _pdf(reports.report_pdf(report), f"stock-{location_id}.pdf")


@bp.route("/reports/picklist")
def pick_list():
    """Printable pick list for selected stock items (?id=...)."""
    return render("labels/pick_list.html", report=_pick_list())


@bp.route("/reports/picklist.pdf")
def pick_list_pdf():
    """The pick list as PDF."""
    return _pdf(reports.report_pdf(_pick_list()), "pick-list.pdf")


def _pick_list():
    ids = arg_ids("id")
    if not ids:
        abort(400, description="Choose stock items for the pick list: give one or more id= values.")
    try:
        return reports.pick_list(ids)
    except PrintError as error:
        abort(400, description=str(error))


def _pdf(pdf: bytes, filename: str):
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
