"""Changing one stock item from its page (operators): add to it, take from it, count it, move some or
all of it (transfer; /stock/items/ID/move is "Scan into location"). Each action is a small form; htmx swaps it into the item's page, without JavaScript it is
a page of its own. The services in services/stock/adjust.py do the work."""
from __future__ import annotations

from flask import Blueprint, flash, request
from flask_login import current_user

from barcodes.objects import web_url
from blueprints.forms.inventory import set_location_choices
from blueprints.forms.stock import StockChangeForm, StockMoveForm
from blueprints.shared.access import requires
from blueprints.shared.rendering import redirect_to, render
from extensions import db
from models import StockItem
from services.stock import StockError, adjust

bp = Blueprint("stock_item_changes", __name__, url_prefix="/stock/items")
PAGE = "stock_actions/item_change.html"
# action -> (heading, button label)
ACTIONS = {
    "add": ("Add stock", "Add"),
    "remove": ("Take stock out", "Remove"),
    "count": ("Count this item", "Save count"),
    "transfer": ("Move some or all", "Move"),
}


def _do(action: str, item: StockItem, form) -> adjust.Changed:
    """Call the service for one action with the form's data."""
    data = {"user_id": current_user.id, "notes": form.notes.data or ""}
    if action == "transfer":
        return adjust.move(item.id, form.quantity.data, location_id=form.location_id.data,
                           location_code=form.location_code.data or "", **data)
    work = {"add": adjust.add, "remove": adjust.remove, "count": adjust.count}[action]
    return work(item.id, form.quantity.data, **data)


@bp.route("/<id:item_id>/add", methods=["GET", "POST"], defaults={"action": "add"})
@bp.route("/<id:item_id>/remove", methods=["GET", "POST"], defaults={"action": "remove"})
@bp.route("/<id:item_id>/count", methods=["GET", "POST"], defaults={"action": "count"})
@bp.route("/<id:item_id>/transfer", methods=["GET", "POST"], defaults={"action": "transfer"})
@requires("operator")
def change(item_id: int, action: str):
    """The form of one change to a stock item; POST makes the change and returns to the item."""
    item = db.get_or_404(StockItem, item_id)
    form = StockMoveForm() if action == "transfer" else StockChangeForm()
    if action == "transfer":
        set_location_choices(form.location_id)
    if form.validate_on_submit():
        try:
            done = _do(action, item, form)
        except StockError as error:
            form.form_errors.append(str(error))
        else:
            flash(done.message, "info")
            return redirect_to(web_url("stockitem", item.id))
    status = 422 if request.method == "POST" else 200
    heading, button = ACTIONS[action]
    return render(PAGE, block="change", status=status, item=item, action=action, form=form, heading=heading,
                  button=button, item_url=web_url("stockitem", item.id))
