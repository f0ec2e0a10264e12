"""Company and supplier part pages: forms, duplicates as field errors, the pages linking each other."""
from __future__ import annotations

from extensions import db
from models import Company, Part, SupplierPart


def test_company_form_and_duplicate_name(operator_client):
    data = {"name": "DigiKey", "description": "", "is_supplier": "y", "website": "https://www.digikey.com"}
    assert operator_client.post("/companies/new", data=data).status_code == 303
    response = operator_client.post("/companies/new", data=data)
    assert response.status_code == 422 and "A company with this name already exists." in response.get_data(as_text=True)
    response = operator_client.post("/companies/new", data={**data, "name": "Mouser", "website": "not a url"})
    assert response.status_code == 422 and 'id="website-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Company)) == 1


def make_supplier_and_part():
    """DigiKey and a part."""
    company, part = Company(name="DigiKey", is_supplier=True), Part(name="LM358", ipn="IC-1")
    db.session.add_all([company, part])
    db.session.commit()
    return company, part


def sp_form(company, part, **changes):
    """A filled-in supplier part form."""
    return {"part_id": str(part.id), "supplier_id": str(company.id), "sku": "296-LM358BIDDFRCT-ND", "mpn": "LM358BIDDFR",
            "manufacturer_name": "Texas Instruments", "pack_quantity": "10", "link": "", **changes}


def test_supplier_part_form_and_pages(operator_client):
    company, part = make_supplier_and_part()
    html = operator_client.get(f"/supplier-parts/new?part={part.id}&supplier={company.id}").get_data(as_text=True)
    assert f'<option selected value="{company.id}">DigiKey</option>' in html
    response = operator_client.post("/supplier-parts/new", data=sp_form(company, part))
    assert response.status_code == 303
    sp = db.session.scalars(db.select(SupplierPart)).one()
    detail = operator_client.get(f"/supplier-parts/{sp.id}").get_data(as_text=True)
    assert f"/parts/{part.id}" in detail and f"/companies/{company.id}" in detail and "Texas Instruments" in detail
    assert "296-LM358BIDDFRCT-ND" in operator_client.get(f"/companies/{company.id}").get_data(as_text=True)


def test_duplicate_sku_for_the_same_supplier_is_a_field_error(operator_client):
    company, part = make_supplier_and_part()
    operator_client.post("/supplier-parts/new", data=sp_form(company, part))
    response = operator_client.post("/supplier-parts/new", data=sp_form(company, part, mpn="other"))
    assert response.status_code == 422
    assert 'id="sku-errors"' in response.get_data(as_text=True)
    bad = operator_client.post("/supplier-parts/new", data=sp_form(company, part, sku="X", pack_quantity="0"))
    assert bad.status_code == 422 and 'id="pack_quantity-errors"' in bad.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(SupplierPart)) == 1


def test_company_with_supplier_parts_cannot_be_deleted(operator_client):
    company, part = make_supplier_and_part()
    operator_client.post("/supplier-parts/new", data=sp_form(company, part))
    response = operator_client.post(f"/companies/{company.id}/delete")
    assert response.status_code == 409 and "delete those first" in response.get_data(as_text=True)
    sp_id = db.session.scalars(db.select(SupplierPart.id)).one()
    assert operator_client.post(f"/supplier-parts/{sp_id}/delete").status_code == 303
    assert operator_client.post(f"/companies/{company.id}/delete").status_code == 303
