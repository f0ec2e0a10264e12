"""Companies: suppliers and manufacturers, with the parts each supplies."""
from __future__ import annotations

from flask import Blueprint

from blueprints.shared.crud import Resource, register_crud
from blueprints.forms.inventory import CompanyForm
from blueprints.shared.listing import ListSpec
from extensions import db
from models import Company, SupplierPart
from services.inventory import delete_company, save_company

bp = Blueprint("companies", __name__, url_prefix="/companies")

LISTING = ListSpec(
    query=lambda: db.select(Company),
    search=(Company.name, Company.description, Company.website),
    sorts={"name": Company.name, "website": Company.website},
    default_sort="name",
    tiebreak=Company.id,
)


def company_context(company: Company) -> dict:
    """The supplier parts shown on a company's page (first 500 by SKU)."""
    rows = db.session.scalars(db.select(SupplierPart).where(SupplierPart.supplier_id == company.id)
                              .order_by(SupplierPart.sku).limit(500)).all()
    return {"supplier_parts": rows}


register_crud(bp, Resource(
    model=Company, form=CompanyForm, listing=LISTING, save=save_company, delete=delete_company,
    label="company", detail_context=company_context,
))
