"""Parts: list, detail (stock per location, supplier parts), create, edit, delete."""
from __future__ import annotations

from functools import partial

from flask import Blueprint

from blueprints.forms.inventory import PartForm, set_location_choices
from blueprints.shared.crud import Resource, register_crud
from blueprints.shared.listing import ListSpec, search_text, top
from blueprints.shared.rendering import render
from extensions import db
from models import Part
from services import part_choice
from services.inventory import delete_part, part_overview, problems, save_part, stock_totals

bp = Blueprint("parts", __name__, url_prefix="/parts")

LISTING = ListSpec(
    query=lambda: db.select(Part),
    search=(Part.name, Part.ipn),
    sorts={"name": Part.name_key, "ipn": Part.ipn, "created": Part.created_at},
    default_sort="name",
    tiebreak=Part.id,
)


register_crud(bp, Resource(
    model=Part, check=partial(problems, Part),
    form=PartForm, listing=LISTING, save=save_part, delete=delete_part,
    label="part", object_type="part", detail_context=part_overview,
    page_context=lambda page: {"stock": stock_totals([part.id for part in page.items])},
    prepare_form=lambda form, obj: set_location_choices(form.default_location_id),
))


@bp.route("/options")
def options():
    """<option>s of parts matching what was typed into a part field (its datalist, via htmx)."""
    q = search_text("q", "part_id")
    parts = top(LISTING, q, (Part.name_key, Part.id), part_choice.SUGGESTIONS) if q else []
    return render("parts/_options.html", choices=part_choice.suggestions(parts))
