"""Companies: suppliers and manufacturers, with the parts each supplies."""
from __future__ import annotations

from functools import partial

from flask import Blueprint

from blueprints.forms.inventory import CompanyForm
from blueprints.shared.crud import Resource, register_crud
from blueprints.shared.listing import ListSpec
from extensions import db
from models import Company
from services.inventory import delete_company, problems, save_company, supplied_parts

bp = Blueprint("companies", __name__, url_prefix="/companies")

LISTING = ListSpec(
    query=lambda: db.select(Company),
    search=(Company.name, Company.description, Company.website),
    sorts={"name": Company.name_key, "website": Company.website},
    default_sort="name",
    tiebreak=Company.id,
)


register_crud(bp, Resource(
    model=Company, check=partial(problems, Company),
    form=CompanyForm, listing=LISTING, save=save_company, delete=delete_company,
    label="company", detail_context=lambda company: {"supplier_parts": supplied_parts(company)},
))
