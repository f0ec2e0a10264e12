"""Printing labels: pick the template, gather the objects, and produce PDF, ZPL or SVG previews."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from extensions import db
from models import OBJECT_TYPES, LabelTemplate
from services import settings
from services.barcode_engine import scan_options
from services.labels.builtin import ensure_builtin
from services.labels.context import MissingObjects, label_context, load_objects, sample_context, sample_contexts
from services.labels.layout import Box, layout
from services.labels.pdf import PageSetup, labels_pdf
from services.labels.render_process import render_many
from services.labels.sandbox import LabelTemplateError
from services.labels.svg import label_svg, sheet_svg
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
    return next(_laid_out(template, [{**values, "show_text": show_text}]))


def _laid_out(template: LabelTemplate, contexts: Iterable[dict]) -> Iterator[list[Box]]:
    """Render (in the budgeted render process) and lay out each label of a batch."""
    width, height = float(template.width_mm), float(template.height_mm)
    for html in render_many(template.body, contexts):
        boxes = layout(html, width, height)
        for box in boxes:
            if box.kind == "barcode":
                try:
                    symbol(box.data, box.symbology)
                except SymbolError as error:
                    raise LabelTemplateError(str(error)) from None
        yield boxes


def check_template(template: LabelTemplate) -> None:
    """Render a template for made-up objects of each type it fits and draw them every way they print
    (SVG, ZPL, a PDF page or sheet); LabelTemplateError on any fault."""
    types = [t for t in OBJECT_TYPES if fits(template, t)]
    if not types:
        raise LabelTemplateError("choose at least one object type")
    show_text = settings.get("BARCODE_SHOW_TEXT")
    contexts = [{**values, "show_text": show_text} for t in types for values in sample_contexts(t)]
    labels = list(_laid_out(template, contexts))
    width, height = float(template.width_mm), float(template.height_mm)
    try:
        for boxes in labels:
            label_svg(boxes, width, height)
            label_zpl(boxes, width, height)
        labels_pdf(labels, page_setup(template))
    except LabelTemplateError:
        raise
    except (ArithmeticError, ValueError) as error:  # layout should refuse first; never store what cannot print
        raise LabelTemplateError(f"this template cannot be drawn ({type(error).__name__}: {error})") from None


@dataclass(frozen=True)
class PrintOrder:
    """What to print: objects of one type (in order, repeats allowed), copies of each, and on a sheet
    the position of the first label (1 = top left; the positions before it are already used)."""

    object_type: str
    ids: tuple[int, ...]
    copies: int = 1
    start: int = 1

    @property
    def count(self) -> int:
        """How many labels this prints."""
        return len(self.ids) * self.copies

    def check(self, template: LabelTemplate) -> None:
        """PrintError when the order is empty, over MAX_LABELS, or starts beyond the sheet."""
        if not self.ids:
            raise PrintError("Choose at least one object to print.")
        if self.copies < 1:
            raise PrintError("Print at least one copy of each label.")
        if self.count > MAX_LABELS:
            copies = f" ({len(self.ids)} x {self.copies} copies)" if self.copies > 1 else ""
            raise PrintError(f"At most {MAX_LABELS} labels at once, not {self.count}{copies}; print in smaller batches.")
        positions = page_setup(template).per_page
        if not 1 <= self.start <= positions and positions > 1:
            raise PrintError(f"Start at a position from 1 to {positions}: the {template.name} sheet has {positions}.")


def _objects(template: LabelTemplate, order: PrintOrder) -> list:
    order.check(template)
    try:
        return load_objects(order.object_type, list(order.ids))
    except MissingObjects as error:
        raise PrintError(str(error)) from None


def iter_boxes(template: LabelTemplate, object_type: str, objects: list) -> Iterator[list[Box]]:
    """The laid-out labels of the objects, in order (rendered in batches, within the render budget)."""
    # Settings are read once per batch: outside a request each read is a query.
    show_text, prefix = settings.get("BARCODE_SHOW_TEXT"), scan_options().prefix
    return _laid_out(template, ({**label_context(object_type, obj, prefix), "show_text": show_text} for obj in objects))


def order_boxes(template: LabelTemplate, order: PrintOrder) -> Iterator[list[Box]]:
    """The laid-out labels of an order, one per object (copies are the printer's to repeat)."""
    return iter_boxes(template, order.object_type, _objects(template, order))


def _copies(labels: Iterable[list[Box]], copies: int) -> Iterator[list[Box]]:
    """Each label `copies` times in a row (rendered once)."""
    for boxes in labels:
        for _ in range(copies):
            yield boxes


def build_pdf(template: LabelTemplate, order: PrintOrder, progress: Callable[[int], None] | None = None) -> bytes:
    """A PDF of the order's labels: a page each, or sheets from its start position (PrintError /
    LabelTemplateError for bad requests)."""
    objects = _objects(template, order)
    setup = page_setup(template)
    labels = _copies(iter_boxes(template, order.object_type, objects), order.copies)
    return labels_pdf(labels, setup, title=f"{template.name} - {order.count} labels", progress=progress,
                      skip=order.start - 1 if setup.sheet else 0)


def build_zpl(template: LabelTemplate, order: PrintOrder, dpi: int = 203) -> str:
    """ZPL with one ^XA..^XZ label per object, printed `copies` times by the printer (^PQ)."""
    objects = _objects(template, order)
    width, height = float(template.width_mm), float(template.height_mm)
    return "".join(label_zpl(boxes, width, height, dpi, copies=order.copies)
                   for boxes in iter_boxes(template, order.object_type, objects))


def preview_svgs(template: LabelTemplate, order: PrintOrder, limit: int = 24) -> list[str]:
    """SVG previews of the first `limit` different labels (copies are not drawn twice)."""
    objects = _objects(template, order)
    first = list(dict.fromkeys(objects))[:limit]
    width, height = float(template.width_mm), float(template.height_mm)
    return [label_svg(boxes, width, height) for boxes in iter_boxes(template, order.object_type, first)]


def sheet_preview(template: LabelTemplate, order: PrintOrder) -> str | None:
    """For a sheet template, an SVG map of the first sheet: used, printed and free positions."""
    setup = page_setup(template)
    if not setup.sheet:
        return None
    return sheet_svg(setup, order.start - 1, order.count)


def sample_svg(template: LabelTemplate, object_type: str) -> str:
    """A preview of the template with made-up values (for the editor)."""
    boxes = label_boxes(template, sample_context(object_type))
    return label_svg(boxes, float(template.width_mm), float(template.height_mm))
