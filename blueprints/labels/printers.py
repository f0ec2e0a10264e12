"""Label printers: admins set them up (Labels -> Printers), test them and see every print job;
operators send labels to them from the print page, object pages and receiving. Sending runs in a
background job (services/printers/jobs.py) whose status htmx polls; a failed job can be retried."""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user

from blueprints.forms.printers import PrinterForm
from blueprints.labels import bp
from blueprints.labels.printing import requested_order
from blueprints.shared.access import requires
from blueprints.shared.args import arg_id
from blueprints.shared.crud import attach_errors
from blueprints.shared.rendering import redirect_to, render
from extensions import htmx
from models import Printer
from services.errors import FieldErrors
from services.printers import jobs, registry
from services.printers.registry import KIND_NAMES

JOB_PAGE = "labels/print_job.html"


@bp.app_context_processor
def label_printers():
    """`label_printers()` in templates: the printers to offer beside PDF and ZPL (queried when called)."""
    return {"label_printers": registry.all_printers}


def _printer_or_404(printer_id: int) -> Printer:
    return registry.get(printer_id) or abort(404, description=f"No printer {printer_id}.")


@bp.route("/printers")
@requires("admin")
def printers():
    """The printers and the latest print jobs."""
    return render("labels/printers.html", printers=registry.all_printers(), kinds=KIND_NAMES,
                  recent=[jobs.describe(job) for job in jobs.recent(100)])


@bp.route("/printers/new", methods=["GET", "POST"])
@requires("admin")
def create_printer():
    """Set up a printer."""
    return _save_printer(PrinterForm(), None)


@bp.route("/printers/<id:printer_id>/edit", methods=["GET", "POST"])
@requires("admin")
def edit_printer(printer_id: int):
    """Change a printer."""
    printer = _printer_or_404(printer_id)
    form = PrinterForm(obj=printer)
    if not form.is_submitted():
        for object_type, template_id in (printer.default_templates or {}).items():
            form[f"template_{object_type}"].data = template_id
    return _save_printer(form, printer)


def _save_printer(form: PrinterForm, printer: Printer | None):
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                saved = registry.save(printer, form.values())
            except FieldErrors as refused:
                attach_errors(form, refused.errors)
            else:
                flash(f"Saved printer {saved.name}.")
                return redirect_to(url_for("labels.printers"))
    return render("labels/printer_edit.html", block="printer_form", status=status, form=form, printer=printer)


@bp.route("/printers/<id:printer_id>/delete", methods=["POST"])
@requires("admin")
def delete_printer(printer_id: int):
    """Delete a printer (its jobs stay listed)."""
    printer = _printer_or_404(printer_id)
    registry.delete(printer)
    flash(f"Deleted printer {printer.name}.")
    return redirect_to(url_for("labels.printers"))


@bp.route("/printers/<id:printer_id>/test", methods=["POST"])
@requires("admin")
def test_printer(printer_id: int):
    """Print a test label; the job's status shows what the printer answered."""
    try:
        job = jobs.test_print(current_user.id, _printer_or_404(printer_id).id)
    except jobs.JobRefused as refused:
        abort(400, description=str(refused))
    return _job_answer(job)


@bp.route("/print/printer", methods=["POST"])
@requires("operator")
def print_to_printer():
    """Send the labels of the request's order to a printer (the default unless one is chosen)."""
    template, order = requested_order()
    template_id = template.id if arg_id("template", where="form") else None  # else the printer's own
    try:
        job = jobs.submit(current_user.id, arg_id("printer", where="form"), order, template_id)
    except jobs.JobRefused as refused:
        return render(JOB_PAGE, block="print_job", status=422, job={"state": "refused", "message": str(refused)})
    return _job_answer(job)


def _job_answer(job):
    if not htmx:
        return redirect_to(url_for("labels.print_job", print_job_id=job.id))
    return render(JOB_PAGE, block="print_job", status=202, job=jobs.describe(job))


def _job_or_404(job_id: int):
    job = jobs.get(job_id, current_user.id, current_user.has_role("admin"))
    return job or abort(404, description="No such print job (jobs are kept for two weeks).")


@bp.route("/print-jobs/<id:print_job_id>")
def print_job(print_job_id: int):
    """A print job's status (htmx polls it while it is queued or sending)."""
    return render(JOB_PAGE, block="print_job", job=jobs.describe(_job_or_404(print_job_id)))


@bp.route("/print-jobs/<id:print_job_id>/retry", methods=["POST"])
@requires("operator")
def retry_print_job(print_job_id: int):
    """Send a failed job again."""
    try:
        job = jobs.retry(_job_or_404(print_job_id))
    except jobs.JobRefused as refused:
        abort(409, description=str(refused))
    return _job_answer(job)
