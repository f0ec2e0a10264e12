"""Supplier parts: a part as one supplier sells it (SKU, MPN, pack size)."""
from __future__ import annotations

from functools import partial

from flask import Blueprint
from sqlalchemy.orm import contains_eager

from blueprints.forms.inventory import SupplierPartForm, describe_part, set_supplier_choices
from blueprints.shared.args import arg_id
from blueprints.shared.crud import Resource, register_crud
from blueprints.shared.listing import ListSpec
from extensions import db
from models import Company, Part, SupplierPart
from services.inventory import delete_supplier_part, problems, save_supplier_part, supplied_stock

bp = Blueprint("supplier_parts", __name__, url_prefix="/supplier-parts")

LISTING = ListSpec(
    query=lambda: db.select(SupplierPart).join(SupplierPart.part).join(SupplierPart.supplier),
    search=(SupplierPart.sku, SupplierPart.mpn, SupplierPart.manufacturer_name, Part.name),
    sorts={"sku": SupplierPart.sku, "mpn": SupplierPart.mpn, "supplier": Company.name_key, "part": Part.name_key,
           "manufacturer": SupplierPart.manufacturer_name},
    default_sort="sku",
    tiebreak=SupplierPart.id,
    search_keys={"part": SupplierPart.part_id},
    options=(contains_eager(SupplierPart.part), contains_eager(SupplierPart.supplier)),
)


def prepare_supplier_part_form(form: SupplierPartForm, supplier_part: SupplierPart | None) -> None:
    """Supplier choices, and the chosen part's name under its id."""
    set_supplier_choices(form.supplier_id)
    describe_part(form.part_id)


register_crud(bp, Resource(
    model=SupplierPart, check=partial(problems, SupplierPart),
    form=SupplierPartForm, listing=LISTING, save=save_supplier_part,
    delete=delete_supplier_part, label="supplier part", object_type="supplierpart",
    prepare_form=prepare_supplier_part_form, detail_context=lambda obj: {"stock_items": supplied_stock(obj)},
    prefill=lambda: {"part_id": arg_id("part"), "supplier_id": arg_id("supplier")},
))
