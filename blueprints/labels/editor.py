"""The label templates: the list everyone sees, and the editor admins use (built-ins are read-only)."""
from __future__ import annotations

import base64

from flask import abort, flash, make_response, request, url_for

from blueprints.forms.labels import TemplateForm
from blueprints.labels import bp
from blueprints.shared.access import requires
from blueprints.shared.crud import attach_errors
from blueprints.shared.rendering import redirect_to, render
from models import OBJECT_TYPES, LabelTemplate
from services import inventory
from services.errors import FieldErrors
from services.labels import templates
from services.labels.context import TYPE_LABELS
from services.labels.printing import sample_svg, templates_for
from services.labels.render_process import BATCH_CPU_SECONDS, LABEL_CPU_SECONDS
from services.labels.sandbox import LabelTemplateError

BUDGET = {"label_cpu": LABEL_CPU_SECONDS, "batch_cpu": BATCH_CPU_SECONDS}  # told in the editor's help


def _template_or_404(template_id: int) -> LabelTemplate:
    return templates.get(template_id) or abort(404, description=f"No label template {template_id}.")


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
                  type_labels=TYPE_LABELS, **BUDGET)


@bp.route("/templates/preview", methods=["POST"])
@requires("admin")
def preview_template():
    """The editor's unsaved template drawn for each type it fits, or its errors (422)."""
    form = TemplateForm()
    samples, status = [], 422
    if form.validate():
        template = templates.draft(form.values())  # never stored
        samples = [(TYPE_LABELS[t], data_uri(sample_svg(template, t))) for t in template.object_types.split(",")]
        status = 200
    return render("labels/edit.html", block="live_preview", status=status, form=form, samples=samples,
                  label_template=None, type_labels=TYPE_LABELS, **BUDGET)


def data_uri(svg: str) -> str:
    """An SVG as a data: URI for an <img> (CSP allows data: images, not inline SVG styles)."""
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
