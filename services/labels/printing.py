"""Printing labels: pick the template, gather the objects, and produce PDF, ZPL or SVG previews."""
from __future__ import annotations

from typing import Callable, Iterator

from extensions import db
from models import OBJECT_TYPES, LabelTemplate
from services import settings
from services.barcode_engine import scan_options
from services.labels.builtin import ensure_builtin
from services.labels.context import MissingObjects, label_context, load_objects, sample_context
from services.labels.layout import Box, layout
from services.labels.pdf import PageSetup, labels_pdf
from services.labels.sandbox import LabelTemplateError, render_body
from services.labels.svg import label_svg
from services.labels.symbols import SymbolError, symbol
from services.labels.zpl import label_zpl

MAX_LABELS = 5000  # one request; larger batches are split by the person printing


class PrintError(ValueError):
    """A print request that cannot be fulfilled; the message says why."""


def fits(template: LabelTemplate, object_type: str) -> bool:
    """Whether a template applies to an object type."""
    return object_type in {t.strip() for t in template.object_types.split(",")}


def templates_for(object_type: str | None = None) -> list[LabelTemplate]:
    """All templates (built-ins created first), or those that fit one object type."""
    ensure_builtin()
    rows = db.session.execute(db.select(LabelTemplate).order_by(LabelTemplate.id)).scalars().all()
    return [t for t in rows if object_type is None or fits(t, object_type)]


def template_choices(object_type: str | None = None, search: str = "") -> list[tuple[LabelTemplate, str]]:
    """(template, object type) for every type each template fits (only `object_type` when given),
    for templates whose name has every word of `search`: what API clients pick from."""
    words = search.lower().split()
    return [(template, kind) for template in templates_for() for kind in OBJECT_TYPES
            if fits(template, kind) and object_type in (None, kind) and all(w in template.name.lower() for w in words)]


def _template_options(object_type: str) -> Callable[[], list[tuple[int, str]]]:
    """The values LABEL_TEMPLATE_<TYPE> may take: 0 for the first that fits, or a template that fits."""

    def options() -> list[tuple[int, str]]:
        return [(0, "The first that fits")] + [(t.id, t.name) for t in templates_for(object_type)]

    return options


for _type in OBJECT_TYPES:
    settings.provide_options(f"LABEL_TEMPLATE_{_type.upper()}")(_template_options(_type))


def choose_template(object_type: str, template_id: int | None = None) -> LabelTemplate:
    """The template asked for, else the admin's default for the type, else the first that fits."""
    if object_type not in OBJECT_TYPES:
        raise PrintError(f"Unknown object type {object_type!r}.")
    candidates = templates_for(object_type)
    wanted = template_id or settings.get(f"LABEL_TEMPLATE_{object_type.upper()}")
    for template in candidates:
        if template.id == wanted:
            return template
    if template_id:
        raise PrintError(f"Label template {template_id} does not exist or does not fit a {object_type}.")
    if not candidates:
        raise PrintError(f"No label template fits a {object_type}.")
    return candidates[0]


def page_setup(template: LabelTemplate) -> PageSetup:
    """The label and page geometry of a template."""
    return PageSetup(float(template.width_mm), float(template.height_mm),
                     float(template.page_width_mm) if template.page_width_mm else None,
                     float(template.page_height_mm) if template.page_height_mm else None,
                     template.columns or 1, template.rows or 1)


def label_boxes(template: LabelTemplate, values: dict, show_text: bool | None = None) -> list[Box]:
    """One label laid out; LabelTemplateError if the template or a barcode cannot be drawn."""
    if show_text is None:
        show_text = settings.get("BARCODE_SHOW_TEXT")
    html = render_body(template.body, {**values, "show_text": show_text})
    boxes = layout(html, float(template.width_mm), float(template.height_mm))
    for box in boxes:
        if box.kind == "barcode":
            try:
                symbol(box.data, box.symbology)
            except SymbolError as error:
                raise LabelTemplateError(str(error)) from None
    return boxes


def check_template(template: LabelTemplate) -> None:
    """Render a template for made-up objects of each type it fits; LabelTemplateError on any fault."""
    types = [t for t in OBJECT_TYPES if fits(template, t)]
    if not types:
        raise LabelTemplateError("choose at least one object type")
    for object_type in types:
        label_boxes(template, sample_context(object_type))


def _objects(object_type: str, ids: list[int]) -> list:
    if not ids:
        raise PrintError("Choose at least one object to print.")
    if len(ids) > MAX_LABELS:
        raise PrintError(f"At most {MAX_LABELS} labels at once; print in smaller batches.")
    try:
        return load_objects(object_type, ids)
    except MissingObjects as error:
        raise PrintError(str(error)) from None


def iter_boxes(template: LabelTemplate, object_type: str, objects: list) -> Iterator[list[Box]]:
    """The laid-out labels of the objects, one at a time."""
    # Settings are read once per batch: outside a request each read is a query.
    show_text, prefix = settings.get("BARCODE_SHOW_TEXT"), scan_options().prefix
    for obj in objects:
        yield label_boxes(template, label_context(object_type, obj, prefix), show_text)


def build_pdf(template: LabelTemplate, object_type: str, ids: list[int],
              progress: Callable[[int], None] | None = None) -> bytes:
    """A PDF with one label per object (PrintError / LabelTemplateError for bad requests)."""
    objects = _objects(object_type, ids)
    return labels_pdf(iter_boxes(template, object_type, objects), page_setup(template),
                      title=f"{template.name} - {len(objects)} labels", progress=progress)


def build_zpl(template: LabelTemplate, object_type: str, ids: list[int], dpi: int = 203) -> str:
    """ZPL with one ^XA..^XZ label per object."""
    objects = _objects(object_type, ids)
    width, height = float(template.width_mm), float(template.height_mm)
    return "".join(label_zpl(boxes, width, height, dpi) for boxes in iter_boxes(template, object_type, objects))


def preview_svgs(template: LabelTemplate, object_type: str, ids: list[int], limit: int = 24) -> list[str]:
    """SVG previews of the first `limit` labels."""
    objects = _objects(object_type, ids)[:limit]
    width, height = float(template.width_mm), float(template.height_mm)
    return [label_svg(boxes, width, height) for boxes in iter_boxes(template, object_type, objects)]


def sample_svg(template: LabelTemplate, object_type: str) -> str:
    """A preview of the template with made-up values (for the editor)."""
    boxes = label_boxes(template, sample_context(object_type))
    return label_svg(boxes, float(template.width_mm), float(template.height_mm))
