"""The five inventory forms. Field names are the model's, so form data maps straight onto it."""
from __future__ import annotations

from decimal import Decimal

from flask import url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation

from database.ids import is_id, parse_id
from models import STOCK_STATUSES, natural_key
from services import part_choice
from services.inventory import location_paths, suppliers
from services.text import mark

NO_CHOICE = SelectChoice("", "—")
MAX_QUANTITY = 10**12  # the quantity columns are Numeric(18, 5)


def optional_int(value):
    """Coerce a select value to an id, with '' (or None) meaning no choice; ValueError for non-ids."""
    if value in ("", None, "None"):
        return None
    if isinstance(value, int):
        return value
    number = parse_id(value)
    if number is None:
        raise ValueError("Not a valid choice.")
    return number


class PartField(StringField):
    """A part chosen by typing its name or IPN (or picking a suggestion); `data` is the part's id.

    The typed text is looked up when the form is sent (services.part_choice), so it works without
    JavaScript; the box shows the part as people read it, never its id.
    """

    typed = ""
    suggestions: tuple | list = ()  # what the typed text could have meant, for the datalist

    def process_formdata(self, valuelist):
        self.data = None
        self.typed = valuelist[0] if valuelist else ""

    def pre_validate(self, form):
        if not self.typed.strip():
            return  # DataRequired says "Choose a part."
        found = part_choice.find(self.typed)
        self.suggestions = found.suggestions
        if found.part_id is None:
            raise StopValidation(found.message)
        self.data = found.part_id

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return part_choice.text_of(self.data) if is_id(self.data) else ""


class QuantityField(DecimalField):
    """A finite decimal that fits the quantity columns, shown without trailing zeros (5, not 5.00000)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        # Decimal accepts NaN and Infinity; neither is a quantity, and NaN cannot even be compared.
        if isinstance(self.data, Decimal) and (not self.data.is_finite() or abs(self.data) >= MAX_QUANTITY):
            self.data = None
            raise ValueError(f"Enter a number below {MAX_QUANTITY:,}.")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, Decimal):
            return f"{self.data.normalize():f}"
        return super()._value()


def optional_select(label: str, **kwargs) -> SelectField:
    """A select of ids whose first choice is 'none'."""
    return SelectField(label, coerce=optional_int, validators=[Optional()], validate_choice=True, **kwargs)


def set_location_choices(field: SelectField, exclude: set[int] = frozenset(), blank: bool = True) -> None:
    """Fill a select with every location by full path, leaving out `exclude`."""
    paths = sorted((natural_key(path), loc_id, path) for loc_id, path in location_paths().items() if loc_id not in exclude)
    # Labels are marked like any printed name (blueprints/shared/user_text.py); WTForms prints them as Markup.
    field.choices = ([NO_CHOICE] if blank else []) + [SelectChoice(loc_id, mark(path)) for _, loc_id, path in paths]


def set_supplier_choices(field: SelectField) -> None:
    """Fill a select with the companies marked as suppliers."""
    field.choices = [NO_CHOICE] + [SelectChoice(c.id, mark(c.name)) for c in suppliers()]


def describe_part(field: PartField) -> None:
    """Suggest parts (a datalist, refreshed through htmx) as the user types into a part field."""
    field.description = "Type a name or IPN and pick the part."
    field.render_kw = {"list": f"{field.id}-options", "autocomplete": "off", "hx-get": url_for("parts.options"),
                       "hx-trigger": "input changed delay:250ms", "hx-target": f"#{field.id}-options", "hx-swap": "innerHTML"}


class PartForm(FlaskForm):
    """A part."""

    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    ipn = StringField("IPN", validators=[Length(max=100)], description="Internal part number; unique when set.")
    description = StringField("Description", validators=[Length(max=250)])
    units = StringField("Units", validators=[Length(max=20)], description="e.g. pcs, m, g")
    gtin = StringField("GTIN", validators=[Length(max=14)], description="8, 12, 13 or 14 digits (EAN/UPC).")
    active = BooleanField("Active", default=True)
    default_location_id = optional_select("Default location")


class LocationForm(FlaskForm):
    """A stock location."""

    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    description = StringField("Description", validators=[Length(max=250)])
    parent_id = optional_select("Inside")


class StockItemForm(FlaskForm):
    """A stock item."""

    part_id = PartField("Part", validators=[DataRequired(message="Choose a part.")])
    location_id = optional_select("Location")
    quantity = QuantityField("Quantity", places=None, default=Decimal(1),
                             validators=[InputRequired(message="Enter a quantity."),
                                         NumberRange(min=0, message="The quantity must be zero or more.")])
    serial = StringField("Serial number", validators=[Length(max=100)])
    batch = StringField("Batch / lot", validators=[Length(max=100)])
    expiry_date = DateField("Expiry date", validators=[Optional()])
    status = SelectField("Status", choices=[SelectChoice(s, s.capitalize()) for s in STOCK_STATUSES], default="ok")
    notes = TextAreaField("Notes", validators=[Length(max=5000)])


class CompanyForm(FlaskForm):
    """A supplier and/or manufacturer."""

    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    description = StringField("Description", validators=[Length(max=250)])
    is_supplier = BooleanField("Supplier", default=True)
    is_manufacturer = BooleanField("Manufacturer")
    website = StringField("Website", validators=[Optional(), URL(), Length(max=200)])


class SupplierPartForm(FlaskForm):
    """A part as one supplier sells it."""

    part_id = PartField("Part", validators=[DataRequired(message="Choose a part.")])
    supplier_id = SelectField("Supplier", coerce=optional_int, validators=[DataRequired(message="Choose a supplier.")])
    sku = StringField("SKU", validators=[DataRequired(), Length(max=100)], description="The supplier's order code.")
    mpn = StringField("MPN", validators=[Length(max=100)], description="Manufacturer part number.")
    manufacturer_name = StringField("Manufacturer", validators=[Length(max=100)])
    pack_quantity = QuantityField("Pack quantity", places=None, default=Decimal(1),
                                  validators=[InputRequired(message="Enter a pack quantity."),
                                              NumberRange(min=Decimal("0.00001"), message="Must be more than zero.")])
    link = StringField("Link", validators=[Optional(), URL(), Length(max=300)])
