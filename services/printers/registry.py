"""Printers as admins manage them: save (validated), delete, the default, and which template each
prints for an object type. Each change commits itself."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from extensions import db
from models import OBJECT_TYPES, PRINTER_KINDS, LabelTemplate, Printer
from services.errors import FieldErrors
from services.labels.printing import PrintError, choose_template, fits, templates_for
from services.printers import brother, device
from services.printers.addresses import AddressError, check

KIND_NAMES = {"zpl": "Zebra / ZPL (raw TCP)", "brother_ql": "Brother QL (raw TCP or USB)", "cups": "CUPS queue (PDF)"}
DPI = {"zpl": (203, 300, 600), "brother_ql": (300,), "cups": (300,)}


def all_printers() -> list[Printer]:
    """Every printer, the default first, then by name."""
    return list(db.session.execute(db.select(Printer).order_by(Printer.is_default.desc(), Printer.name)).scalars())


def get(printer_id: int | None) -> Printer | None:
    """A printer by id, or None."""
    return db.session.get(Printer, printer_id) if printer_id else None


def default_printer() -> Printer | None:
    """The printer marked default, else the only one there is."""
    printers = all_printers()
    return printers[0] if printers and (printers[0].is_default or len(printers) == 1) else None


def _checked(values: dict[str, Any], printer: Printer | None) -> dict[str, Any]:
    """The values in normal form; FieldErrors naming each field that is wrong."""
    errors: dict[str, str] = {}
    kind = values.get("kind")
    if kind not in PRINTER_KINDS:
        errors["kind"] = f"Choose one of: {', '.join(KIND_NAMES.values())}."
        raise FieldErrors(errors)
    out = dict(values)
    try:
        address = values.get("address") or ""
        usb = kind == "brother_ql" and device.is_device(address)
        out["address"] = device.check_device(address) if usb else check(kind, address)
    except AddressError as error:
        errors["address"] = str(error)
    if int(values.get("dpi") or 0) not in DPI[kind]:
        errors["dpi"] = f"A {KIND_NAMES[kind]} printer prints at {' or '.join(map(str, DPI[kind]))} dpi."
    out["model"] = (values.get("model") or brother.DEFAULT_MODEL) if kind == "brother_ql" else ""
    if kind == "brother_ql":
        if out["model"] not in brother.models():
            errors["model"] = f"Choose a Brother QL model: {', '.join(brother.models())}."
        else:
            try:
                brother.media_label(float(values["media_width_mm"]), float(values.get("media_height_mm") or 0), out["model"])
            except brother.MediaError as error:
                errors["media_width_mm"] = str(error)
    templates = {}
    for object_type, template_id in (values.get("default_templates") or {}).items():
        if template_id:
            try:
                templates[object_type] = choose_template(object_type, int(template_id)).id
            except PrintError as error:
                errors[f"template_{object_type}"] = str(error)
    out["default_templates"] = templates
    name_taken = db.session.execute(db.select(Printer.id).where(Printer.name == (values.get("name") or "").strip())).scalar()
    if name_taken and (printer is None or name_taken != printer.id):
        errors["name"] = "Another printer has this name."
    if errors:
        raise FieldErrors(errors)
    return out


def save(printer: Printer | None, values: dict[str, Any]) -> Printer:
    """Store a new printer or changes to one; FieldErrors and nothing saved if a value is wrong."""
    values = _checked(values, printer)
    printer = printer or Printer()
    printer.name = values["name"].strip()
    printer.kind, printer.address, printer.model = values["kind"], values["address"], values["model"]
    printer.media_width_mm = Decimal(str(values["media_width_mm"]))
    height = values.get("media_height_mm")
    printer.media_height_mm = Decimal(str(height)) if height else None
    printer.dpi = int(values["dpi"])
    printer.default_templates = values["default_templates"]
    printer.is_default = bool(values.get("is_default"))
    db.session.add(printer)
    if printer.is_default:  # one default: the others give it up in the same transaction
        db.session.flush()
        db.session.execute(db.update(Printer).where(Printer.id != printer.id).values(is_default=False))
    db.session.commit()
    return printer


def delete(printer: Printer) -> None:
    """Delete a printer; its finished jobs stay listed under its name."""
    db.session.delete(printer)
    db.session.commit()


def template_for(printer: Printer, object_type: str, template_id: int | None = None) -> LabelTemplate:
    """The template asked for, else the printer's own for the type, else the site's choice (PrintError if none fits)."""
    if template_id:
        return choose_template(object_type, template_id)
    own = (printer.default_templates or {}).get(object_type)
    for template in templates_for(object_type) if own else ():
        if template.id == own and fits(template, object_type):
            return template
    return choose_template(object_type)


def template_choices() -> dict[str, list[LabelTemplate]]:
    """The templates that fit each object type (the printer form's choices)."""
    return {object_type: templates_for(object_type) for object_type in OBJECT_TYPES}
