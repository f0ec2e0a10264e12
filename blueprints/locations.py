"""Stock locations: a tree with breadcrumb paths, children and the stock kept in each."""
from __future__ import annotations

from functools import partial

from flask import Blueprint

from blueprints.forms.inventory import LocationForm, set_location_choices
from blueprints.shared.args import arg_id
from blueprints.shared.crud import Resource, register_crud
from blueprints.shared.listing import ListSpec
from extensions import db
from models import StockLocation
from services.inventory import delete_location, descendant_ids, location_paths, location_stock, problems, save_location

bp = Blueprint("locations", __name__, url_prefix="/locations")

LISTING = ListSpec(
    query=lambda: db.select(StockLocation),
    search=(StockLocation.name, StockLocation.description),
    sorts={"name": StockLocation.name_key, "description": StockLocation.description},
    default_sort="name",
    tiebreak=StockLocation.id,
)


def location_context(location: StockLocation) -> dict:
    """Breadcrumb, sub-locations and stock of a location's page."""
    return {"ancestors": location.ancestors(), "children": location.children, "stock_items": location_stock(location)}


def prepare_location_form(form: LocationForm, location: StockLocation | None) -> None:
    """Offer every location as parent except this one and those inside it."""
    exclude = descendant_ids(location) | {location.id} if location else set()
    set_location_choices(form.parent_id, exclude=exclude)


register_crud(bp, Resource(
    model=StockLocation, check=partial(problems, StockLocation), form=LocationForm, listing=LISTING, save=save_location, delete=delete_location,
    label="location", object_type="stocklocation", detail_context=location_context,
    prepare_form=prepare_location_form, prefill=lambda: {"parent_id": arg_id("parent")},
    list_context=lambda: {"paths": location_paths()},
))
