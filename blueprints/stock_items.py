"""Stock items: list, detail with history, create (prefilled from a part or location), edit, delete."""
from __future__ import annotations

from functools import partial

from flask import Blueprint
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from blueprints.forms.inventory import StockItemForm, describe_part, set_location_choices
from blueprints.shared.args import arg_id
from blueprints.shared.crud import Resource, register_crud
from blueprints.shared.listing import ListSpec
from extensions import db
from models import Part, StockItem, StockLocation
from services.inventory import delete_stock_item, location_paths, new_stock_item_defaults, problems, save_stock_item

bp = Blueprint("stock_items", __name__, url_prefix="/stock-items")

LISTING = ListSpec(
    query=lambda: db.select(StockItem).join(StockItem.part).outerjoin(StockItem.location),
    search=(Part.name, Part.ipn, StockItem.serial, StockItem.batch),
    sorts={"part": Part.name_key, "location": StockLocation.name_key, "quantity": StockItem.quantity,
           "serial": StockItem.serial, "batch": StockItem.batch, "expiry": StockItem.expiry_date,
           "status": StockItem.status},
    default_sort="part",
    tiebreak=StockItem.id,
    search_keys={"part": StockItem.part_id},
    options=(contains_eager(StockItem.part), contains_eager(StockItem.location)),
)


def prefill() -> dict:
    """?part=ID&location=ID fill the new-item form; the part's default location otherwise."""
    return new_stock_item_defaults(arg_id("part"), arg_id("location"))


def prepare_stock_form(form: StockItemForm, item: StockItem | None) -> None:
    """Location choices, and the chosen part's name under its id."""
    set_location_choices(form.location_id)
    describe_part(form.part_id)


register_crud(bp, Resource(
    model=StockItem, check=partial(problems, StockItem),
    form=StockItemForm, listing=LISTING,
    save=lambda item, data: save_stock_item(item, data, current_user.id),
    delete=delete_stock_item, label="stock item", object_type="stockitem",
    prepare_form=prepare_stock_form, prefill=prefill,
    list_context=lambda: {"paths": location_paths()},
))
