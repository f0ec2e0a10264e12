"""Label printing as InvenTree's API offers it (label/template/, label/print/), which the InvenTree
app's "Print label" button uses: Shelfscan's own templates, printed to a PDF the app downloads.

InvenTree's templates are each for one kind of object, and a print names only the template; a
Shelfscan template may fit several kinds. So the API shows one template per (template, kind), with
pk = template id * 4 + the kind's place in OBJECT_TYPES. The print answers at once, complete, with
the PDF's address; the PDF is drawn when fetched, with the caller's token.
"""
from __future__ import annotations

from flask import g, jsonify, make_response

from blueprints.api import bp, metadata
from blueprints.api.fields import ApiField, related
from blueprints.api.payload import (
    PK_CONVERTER,
    ApiError,
    invalid,
    json_body,
    list_query,
    paginated,
    pk_value,
)
from blueprints.shared.access import requires
from database.ids import parse_id
from models import OBJECT_TYPES, LabelTemplate
from services.api_objects import Filter, server
from services.labels import templates as label_templates
from services.labels.context import MissingObjects, load_objects
from services.labels.printing import PrintError, PrintOrder, build_pdf, fits, template_choices
from services.labels.sandbox import LabelTemplateError
from services.printers import jobs as print_jobs
from services.printers import registry

MAX_API_LABELS = 100  # ids travel in the PDF's address; larger batches print from the web page
TEMPLATE_FILTERS = {"enabled": Filter("bool", lambda q, v, _: q), "model_type": Filter("text", lambda q, v, _: q),
                    "items": Filter("text", lambda q, v, _: q)}


def api_pk(template: LabelTemplate, object_type: str) -> int:
    """The API's pk of a template for one kind of object."""
    return template.id * len(OBJECT_TYPES) + OBJECT_TYPES.index(object_type)


def _decode(pk: int) -> tuple[LabelTemplate, str]:
    """The template and kind an API pk names; 404 when none (or the template does not fit the kind)."""
    template = label_templates.get(pk // len(OBJECT_TYPES))
    object_type = OBJECT_TYPES[pk % len(OBJECT_TYPES)]
    if template is None or not fits(template, object_type):
        raise ApiError(404, {"detail": "No matching object found."})
    return template, object_type


def _template(template: LabelTemplate, object_type: str) -> dict:
    size = f"{template.width_mm.normalize():f} x {template.height_mm.normalize():f} mm"
    return {"pk": api_pk(template, object_type), "name": template.name, "description": f"{size}, {object_type}",
            "model_type": object_type, "enabled": True, "width": float(template.width_mm),
            "height": float(template.height_mm), "filters": "", "filename_pattern": f"{object_type}.pdf"}


@bp.get("/label/template/")
def label_template_list():
    """The templates for ?model_type= (every kind each fits, without it), searched by name."""
    query, _ = list_query(TEMPLATE_FILTERS)
    found = [] if query.unknown or query.values.get("enabled") is False else \
        template_choices(query.values.get("model_type"), query.search)
    rows = [_template(template, kind) for template, kind in found[query.offset:query.offset + query.limit]]
    return jsonify(paginated(len(found), rows, query.limit, query.offset))


@bp.get(f"/label/template/<{PK_CONVERTER}:pk>/")
def label_template_detail(pk: int):
    """One template for one kind of object."""
    return jsonify(_template(*_decode(pk)))


def _items(value) -> list[int]:
    if not isinstance(value, list) or not value:
        raise invalid("items", "A non-empty list of object ids is required.")
    if len(value) > MAX_API_LABELS:
        raise invalid("items", f"At most {MAX_API_LABELS} labels per print here; print larger batches from the web.")
    return [pk_value(item, "items") for item in value]


@bp.post("/label/print/")
@requires("viewer")
def label_print():
    """Print labels: with `printer`, a print job (operators) whose status GET /api/label/print/<pk>/
    gives; without, the PDF's address at once (viewers may print, as on the web)."""
    data = json_body()
    if data.get("printer") is not None:
        return _print_to_printer(data)
    template_pk = pk_value(data.get("template"), "template") if data.get("template") is not None else None
    if template_pk is None:
        raise invalid("template", "This field is required.")
    plugin = server.LABEL_PLUGIN_KEY if data.get("plugin") in (None, "") else data["plugin"]
    if plugin != server.LABEL_PLUGIN_KEY:
        raise invalid("plugin", f"Shelfscan prints with its own plugin, {server.LABEL_PLUGIN_KEY!r}.")
    ids = _items(data.get("items"))
    try:
        _, object_type = _decode(template_pk)
    except ApiError:
        raise invalid("template", f'Invalid pk "{template_pk}" - object does not exist.') from None
    try:
        load_objects(object_type, ids)
    except MissingObjects as error:
        raise invalid("items", str(error)) from None
    output = f"/api/label/output/{template_pk}/{','.join(map(str, ids))}.pdf"
    return jsonify(pk=None, template=template_pk, plugin=plugin, user=g.api_user.id, output_type="LABEL",
                   total=len(ids), progress=len(ids), complete=True, errors=None, output=output), 201


@bp.get("/label/printer/")
def label_printer_list():
    """The label printers admins set up (the default first), to name in a print."""
    rows = [{"pk": p.id, "name": p.name, "kind": p.kind, "is_default": p.is_default} for p in registry.all_printers()]
    return jsonify(rows)


def _print_to_printer(data: dict):
    """Queue a print job on a printer (the template's kind decides the objects); 201 with the job."""
    if not g.api_user.has_role("operator"):
        raise ApiError(403, {"detail": "Printing to a printer needs the operator role."})
    template_pk = pk_value(data.get("template"), "template") if data.get("template") is not None else None
    if template_pk is None:
        raise invalid("template", "This field is required.")
    printer_id = pk_value(data["printer"], "printer")
    ids = _items(data.get("items"))
    copies = data.get("copies", 1)
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_API_LABELS:
        raise invalid("copies", f"A whole number from 1 to {MAX_API_LABELS}.")
    try:
        template, object_type = _decode(template_pk)
    except ApiError:
        raise invalid("template", f'Invalid pk "{template_pk}" - object does not exist.') from None
    if registry.get(printer_id) is None:
        raise invalid("printer", f'Invalid pk "{printer_id}" - object does not exist.')
    try:
        job = print_jobs.submit(g.api_user.id, printer_id, PrintOrder(object_type, tuple(ids), copies), template.id)
    except print_jobs.JobRefused as refused:
        raise ApiError(400, {"detail": str(refused)}) from None
    return jsonify(print_jobs.describe(job)), 201


@bp.get(f"/label/print/<{PK_CONVERTER}:pk>/")
def label_print_job(pk: int):
    """A print job's status: queued, sending, printed or failed (with the reason); the caller's own, or any for admins."""
    job = print_jobs.get(pk, g.api_user.id, g.api_user.has_role("admin"))
    if job is None:
        raise ApiError(404, {"detail": "No matching object found."})
    return jsonify(print_jobs.describe(job))


@bp.get(f"/label/output/<{PK_CONVERTER}:pk>/<string:ids>.pdf")
def label_output(pk: int, ids: str):
    """The labels as one PDF, drawn now."""
    template, object_type = _decode(pk)
    numbers = [parse_id(part) for part in ids.split(",")]
    if None in numbers or len(numbers) > MAX_API_LABELS:
        raise ApiError(404, {"detail": "No matching object found."})
    try:
        pdf = build_pdf(template, PrintOrder(object_type, tuple(numbers)))
    except (PrintError, LabelTemplateError) as error:
        raise ApiError(400, {"detail": str(error)}) from None
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="labels-{object_type}.pdf"'
    return response


metadata.describe("/api/label/print/", metadata.Form("Print Label", "POST", "api.label_print", lambda: {
    "template": related("Template", "labeltemplate", "/api/label/template/", required=True,
                        help_text="Label template").meta(),
    "plugin": related("Printing Plugin", "pluginconfig", "/api/plugins/", help_text="Prints the labels",
                      extra={"pk_field": "key", "filters": {"active": True, "mixin": "labels"}}).meta(),
    "items": {**ApiField("related field", "Items", "Objects to print labels for", required=True).meta(),
              "many": True},
    "printer": related("Printer", "printer", "/api/label/printer/", help_text="Send to this label printer").meta(),
}))
