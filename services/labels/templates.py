"""Label templates as admins manage them: save, duplicate, delete. Each change commits itself."""
from __future__ import annotations

from typing import Any

from extensions import db
from models import OBJECT_TYPES, LabelTemplate
from services.errors import FieldErrors
from services.labels.builtin import ensure_builtin

# What a template is made of besides its name, in the order the editor shows it.
LAYOUT_FIELDS = ("object_types", "width_mm", "height_mm", "body", "page_width_mm", "page_height_mm", "columns", "rows")


class TemplateRefused(Exception):
    """A change to a template that cannot be made (a built-in), with the reason."""


def get(template_id: int) -> LabelTemplate | None:
    """A template by id (the built-ins are made first if missing), or None."""
    ensure_builtin()
    return db.session.get(LabelTemplate, template_id)


def draft(values: dict[str, Any], template: LabelTemplate | None = None) -> LabelTemplate:
    """The values on a template, never stored: a new one unless given (previews and checks)."""
    template = template or LabelTemplate()
    template.name = (values.get("name") or "").strip()
    template.object_types = ",".join(t for t in OBJECT_TYPES if t in (values.get("object_types") or ()))
    for attr in ("width_mm", "height_mm", "page_width_mm", "page_height_mm", "body"):
        setattr(template, attr, values.get(attr))
    sheet = bool(template.page_width_mm)
    template.columns, template.rows = (values.get("columns") or 1, values.get("rows") or 1) if sheet else (1, 1)
    return template


def save(template: LabelTemplate | None, values: dict[str, Any]) -> LabelTemplate:
    """Store a new template or changes to one of the admins' own; FieldErrors and nothing saved if not."""
    if template is not None and template.builtin:
        raise FieldErrors({"body": "Built-in templates are read-only; duplicate it to make your own."})
    name = (values.get("name") or "").strip()
    clash = db.session.scalar(db.select(LabelTemplate.id).where(LabelTemplate.name == name))
    if clash and (template is None or clash != template.id):
        raise FieldErrors({"name": "Another template has this name."})
    saved = draft(values, template)
    db.session.add(saved)
    db.session.commit()
    return saved


def duplicate(source: LabelTemplate) -> LabelTemplate:
    """A copy of a template under a free name "Copy of ..." (the way to adapt a built-in)."""
    names = set(db.session.scalars(db.select(LabelTemplate.name)))
    name = next(n for n in (f"Copy of {source.name}" + (f" ({i})" if i else "") for i in range(1000)) if n not in names)
    copy = LabelTemplate(name=name[:100], builtin=False, **{attr: getattr(source, attr) for attr in LAYOUT_FIELDS})
    db.session.add(copy)
    db.session.commit()
    return copy


def delete(template: LabelTemplate) -> None:
    """Delete one of the admins' own templates; TemplateRefused for a built-in."""
    if template.builtin:
        raise TemplateRefused("Built-in templates cannot be deleted.")
    db.session.delete(template)
    db.session.commit()
