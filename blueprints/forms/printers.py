"""The printer form admins fill in (Labels -> Printers); services/printers/registry.py checks the rest."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from models import OBJECT_TYPES
from services.labels.context import TYPE_LABELS
from services.printers import brother
from services.printers.registry import KIND_NAMES, template_choices


class PrinterForm(FlaskForm):
    """A label printer: how to reach it, what it holds, which templates it prints."""

    name = StringField("Name", validators=[DataRequired(), Length(max=100)], description="e.g. Dispatch Zebra")
    kind = SelectField("Kind", choices=[SelectChoice(key, name) for key, name in KIND_NAMES.items()])
    address = StringField("Address", validators=[DataRequired(), Length(max=300)],
                          description="Zebra and Brother: host or IP and port, e.g. 192.168.1.50:9100. "
                                      "Brother QL plugged into the server's USB: its device, e.g. /dev/usb/lp0. "
                                      "CUPS: the queue's name, e.g. Office_Laser, or Office_Laser@printserver:631.")
    media_width_mm = DecimalField("Media width (mm)", places=1, validators=[DataRequired(), NumberRange(5, 300)])
    media_height_mm = DecimalField("Label height (mm)", places=1, validators=[Optional(), NumberRange(5, 1000)],
                                   description="Empty for continuous tape. A Brother QL reports the media it holds, "
                                               "and a job fails rather than print on media other than this.")
    dpi = SelectField("Resolution (dpi)", coerce=int, choices=[SelectChoice(dpi, str(dpi)) for dpi in (203, 300, 600)], default=203)
    model = SelectField("Brother QL model", choices=[SelectChoice("", "(not a Brother)")] + [SelectChoice(m, m) for m in brother.models()],
                        default="", validate_choice=False)
    is_default = BooleanField("Default printer")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for object_type, templates in template_choices().items():
            self[f"template_{object_type}"].choices = [SelectChoice(0, "The site's default")] + [SelectChoice(t.id, t.name) for t in templates]

    def values(self) -> dict:
        """The submitted values as services.printers.registry.save takes them."""
        values = {name: field.data for name, field in self._fields.items()
                  if name != "csrf_token" and not name.startswith("template_")}
        values["default_templates"] = {t: self[f"template_{t}"].data for t in OBJECT_TYPES if self[f"template_{t}"].data}
        return values

    def template_fields(self) -> list:
        """The per-type template fields, in OBJECT_TYPES order."""
        return [self[f"template_{t}"] for t in OBJECT_TYPES]


for _type in OBJECT_TYPES:
    setattr(PrinterForm, f"template_{_type}", SelectField(f"Template for {TYPE_LABELS[_type].lower()}", coerce=int, default=0))
