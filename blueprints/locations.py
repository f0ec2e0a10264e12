"""Stock locations: a tree with breadcrumb paths, children and the stock kept in each."""
from __future__ import annotations

from functools import partial

from flask import Blueprint, request

from blueprints.forms.inventory import LocationForm, set_location_choices
from blueprints.shared.args import arg_id
from blueprints.shared.crud import Resource, register_crud
from blueprints.shared.listing import ListSpec
from blueprints.shared.rendering import render
from extensions import db
from models import StockLocation
from services.inventory import delete_location, descendant_ids, location_paths, location_stock, problems, save_location
from services.locations import level as tree_level
from services.locations import stock_within

bp = Blueprint("locations", __name__, url_prefix="/locations")

LISTING = ListSpec(
    query=lambda: db.select(StockLocation),
    search=(StockLocation.name, StockLocation.description),
    sorts={"name": StockLocation.name_key, "description": StockLocation.description},
    default_sort="name",
    tiebreak=StockLocation.id,
)


def location_context(location: StockLocation) -> dict:
    """Breadcrumb, sub-locations with their totals, and the stock here (?sub=1: and in every sub-location)."""
    include_sub = request.args.get("sub") == "1"
    context = {"ancestors": location.ancestors(), "level": tree_level(location.id), "include_sub": include_sub}
    if include_sub:
        context["within"] = stock_within(location)
    else:
        context["stock_items"] = location_stock(location)
    return context


def prepare_location_form(form: LocationForm, location: StockLocation | None) -> None:
    """Offer every location as parent except this one and those inside it."""
    exclude = descendant_ids(location) | {location.id} if location else set()
    set_location_choices(form.parent_id, exclude=exclude)


@bp.route("/tree")
def tree():
    """The locations as a tree with their stock totals, from the top or from ?root=<id>; htmx gets one level."""
    root_id = arg_id("root")
    root = db.get_or_404(StockLocation, root_id) if root_id else None
    return render("locations/tree.html", block="level", root=root, ancestors=root.ancestors() if root else [],
                  level=tree_level(root_id))


register_crud(bp, Resource(
    model=StockLocation, check=partial(problems, StockLocation),
    form=LocationForm, listing=LISTING, save=save_location, delete=delete_location,
    label="location", object_type="stocklocation", detail_context=location_context,
    prepare_form=prepare_location_form, prefill=lambda: {"parent_id": arg_id("parent")},
    list_context=lambda: {"paths": location_paths()},
))
