"""The label template form: field checks, sheet geometry and a trial render in the sandbox."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from services.labels import templates
from services.labels.context import TYPE_LABELS
from services.labels.printing import check_template
from services.labels.sandbox import LabelTemplateError


class TemplateForm(FlaskForm):
    """A label template as admins edit it."""

    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    object_types = SelectMultipleField("For", choices=[SelectChoice(key, label) for key, label in TYPE_LABELS.items()], validators=[DataRequired()],
                                       widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput())
    width_mm = DecimalField("Label width (mm)", places=2, validators=[DataRequired(), NumberRange(5, 500)])
    height_mm = DecimalField("Label height (mm)", places=2, validators=[DataRequired(), NumberRange(5, 500)])
    page_width_mm = DecimalField("Sheet width (mm)", places=2, validators=[Optional(), NumberRange(20, 1000)],
                                 description="Only for sheets of several labels, e.g. 210 for A4.")
    page_height_mm = DecimalField("Sheet height (mm)", places=2, validators=[Optional(), NumberRange(20, 1500)])
    columns = IntegerField("Columns on the sheet", default=1, validators=[DataRequired(), NumberRange(1, 20)])
    rows = IntegerField("Rows on the sheet", default=1, validators=[DataRequired(), NumberRange(1, 40)])
    body = TextAreaField("Template", validators=[DataRequired(), Length(max=20000)], render_kw={"rows": 16, "spellcheck": "false"},
                         description="Positioned boxes, e.g. <div style=\"left:2mm; top:2mm; width:30mm; height:8mm; "
                                     "font-size:9pt\">{{ name }}</div>, and {{ barcode('qr', left=1, top=1, size=25) }}.")

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the sheet geometry, then a trial render of the template."""
        if not super().validate(extra_validators):
            return False
        sheet = (self.page_width_mm.data, self.page_height_mm.data)
        if any(sheet) and not all(sheet):
            self.page_height_mm.errors.append("Give both sheet width and height, or neither.")
            return False
        if all(sheet) and (self.columns.data * self.width_mm.data > self.page_width_mm.data
                           or self.rows.data * self.height_mm.data > self.page_height_mm.data):
            self.columns.errors.append("The labels do not fit on the sheet.")
            return False
        try:
            check_template(templates.draft(self.values()))
        except LabelTemplateError as error:
            self.body.errors.append(str(error))
            return False
        return True

    def values(self) -> dict:
        """The submitted values by template field (services/labels/templates.py makes the template)."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
