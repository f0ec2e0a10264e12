"""Forms of the stock work on a stock item's page. Quantities stay text here: the stock services
parse them (services/stock/common.parse_quantity) and say in words what is wrong."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from blueprints.forms.inventory import optional_select

QUANTITY_INPUT = {"inputmode": "decimal", "autocomplete": "off", "maxlength": 40}
NOTE = "Optional: why, for the item's history."


class StockChangeForm(FlaskForm):
    """Add, remove or count: a quantity and a note."""

    quantity = StringField("Quantity", validators=[InputRequired(message="Enter a quantity.")],
                           render_kw=QUANTITY_INPUT)
    notes = StringField("Note", validators=[Length(max=250)], description=NOTE)


class StockMoveForm(FlaskForm):
    """Move some or all of an item: how many, and where (scanned or chosen)."""

    quantity = StringField("Quantity to move", description="Leave empty to move all of it.", render_kw=QUANTITY_INPUT)
    location_code = StringField("Scan the location's label", validators=[Length(max=4096)],
                                render_kw={"autocomplete": "off", "data-control-keys": True})
    location_id = optional_select("or choose the location")
    notes = StringField("Note", validators=[Length(max=250)], description=NOTE)
