"""Part pages: the form and its errors, the detail page, delete with confirmation, 404s, escaping."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extensions import db
from models import Company, Part, StockItem, StockLocation, SupplierPart

FORM = {"name": "LM358", "ipn": "IC-1", "description": "Dual op-amp", "units": "pcs", "gtin": "", "active": "y",
        "default_location_id": ""}


def count(model) -> int:
    """Rows in a table."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_create_part_through_the_form(operator_client):
    response = operator_client.post("/parts/new", data=FORM)
    assert response.status_code == 303
    part = db.session.scalars(db.select(Part)).one()
    assert response.headers["Location"].endswith(f"/parts/{part.id}")
    assert (part.name, part.ipn, part.units, part.active) == ("LM358", "IC-1", "pcs", True)
    page = operator_client.get(f"/parts/{part.id}").get_data(as_text=True)
    assert "Dual op-amp" in page and "Saved part" in page


def test_htmx_form_success_answers_with_hx_redirect(hx_client):
    response = hx_client.post("/parts/new", data=FORM)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/parts/")


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "This field is required"),
    ({"gtin": "4006381333932"}, "gtin", "check digit"),
    ({"gtin": "12345"}, "gtin", "Not a valid GTIN"),
    ({"default_location_id": "999"}, "default_location_id", "Not a valid choice"),
    ({"default_location_id": "abc"}, "default_location_id", "Invalid Choice"),
])
def test_invalid_part_forms_come_back_422_with_the_field_message(hx_client, changes, field, message):
    response = hx_client.post("/parts/new", data={**FORM, **changes})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-errors"' in html and message in html
    assert "<html" not in html  # htmx gets the form block only
    assert count(Part) == 0


def test_duplicate_ipn_is_a_field_error_not_a_500(operator_client):
    operator_client.post("/parts/new", data=FORM)
    response = operator_client.post("/parts/new", data={**FORM, "name": "Another"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="ipn-errors"' in html and "Another part already has this IPN." in html
    assert count(Part) == 1


def test_valid_gtin_is_stored(operator_client):
    operator_client.post("/parts/new", data={**FORM, "gtin": "4006381333931"})
    assert db.session.scalars(db.select(Part.gtin)).one() == "4006381333931"


def test_hostile_text_is_stored_as_typed_and_shown_escaped(operator_client):
    name, description = "<script>alert(1)</script>", "'; DROP TABLE part; --"
    operator_client.post("/parts/new", data={**FORM, "name": name, "description": description})
    part = db.session.scalars(db.select(Part)).one()
    assert (part.name, part.description) == (name, description)
    for url in (f"/parts/{part.id}", "/parts/", f"/parts/{part.id}/edit", f"/parts/{part.id}/delete",
                "/parts/?q=%3Cscript"):
        html = operator_client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_edit_part_prefills_and_saves(operator_client):
    operator_client.post("/parts/new", data=FORM)
    part = db.session.scalars(db.select(Part)).one()
    form = operator_client.get(f"/parts/{part.id}/edit").get_data(as_text=True)
    assert 'value="IC-1"' in form
    response = operator_client.post(f"/parts/{part.id}/edit", data={**FORM, "name": "LM358B", "active": ""})
    assert response.status_code == 303
    db.session.refresh(part)
    assert (part.name, part.active) == ("LM358B", False)


def test_part_page_shows_stock_per_location_and_supplier_parts(operator_client):
    shelf = StockLocation(name="Shelf", parent=StockLocation(name="Lab"))
    part = Part(name="LM358", ipn="IC-1")
    company = Company(name="DigiKey")
    db.session.add_all([
        StockItem(part=part, location=shelf, quantity=Decimal(10)),
        StockItem(part=part, location=shelf, quantity=Decimal("2.5")),
        StockItem(part=part, location=None, quantity=Decimal(3)),
        SupplierPart(part=part, supplier=company, sku="296-LM358BIDDFRCT-ND", mpn="LM358BIDDFR"),
    ])
    db.session.commit()
    html = operator_client.get(f"/parts/{part.id}").get_data(as_text=True)
    assert "Lab / Shelf" in html and "12.5" in html and "15.5" in html and "No location" in html
    assert "296-LM358BIDDFRCT-ND" in html and "LM358BIDDFR" in html
    assert f"/stock-items/new?part={part.id}" in html


@pytest.mark.parametrize("url", ["/parts/999", "/parts/abc", "/parts/999/edit", "/parts/999/delete", "/parts/-1",
                                 "/stock-items/999", "/locations/x", "/companies/999", "/supplier-parts/999/edit"])
def test_unknown_or_non_numeric_ids_are_the_404_page(operator_client, url):
    response = operator_client.get(url)
    assert response.status_code == 404
    assert "<html" in response.get_data(as_text=True)


def test_delete_asks_first_then_deletes(operator_client):
    operator_client.post("/parts/new", data=FORM)
    part_id = db.session.scalars(db.select(Part.id)).one()
    confirm = operator_client.get(f"/parts/{part_id}/delete")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.get_data(as_text=True)
    assert count(Part) == 1
    response = operator_client.post(f"/parts/{part_id}/delete")
    assert response.status_code == 303 and response.headers["Location"].endswith("/parts/")
    assert count(Part) == 0


def test_deleting_a_part_with_stock_is_refused_with_a_message(operator_client):
    part = Part(name="LM358")
    db.session.add(StockItem(part=part, quantity=Decimal(1)))
    db.session.commit()
    response = operator_client.post(f"/parts/{part.id}/delete")
    assert response.status_code == 409
    assert "still has 1 stock item(s)" in response.get_data(as_text=True)
    assert count(Part) == 1


def test_viewers_see_pages_but_not_forms(viewer_client):
    db.session.add(Part(name="LM358"))
    db.session.commit()
    assert viewer_client.get("/parts/1").status_code == 200
    assert "/parts/1/edit" not in viewer_client.get("/parts/1").get_data(as_text=True)
    for url in ("/parts/new", "/parts/1/edit", "/parts/1/delete"):
        assert viewer_client.get(url).status_code == 403
    assert viewer_client.post("/parts/new", data=FORM).status_code == 403
    assert count(Part) == 1


def test_nul_characters_are_refused_not_a_500(operator_client):
    """Refused, not silently dropped: the name saved is always the one the user saw."""
    response = operator_client.post("/parts/new", data={**FORM, "name": "LM\x00358", "description": "a\x00b"})
    assert response.status_code == 400 and "NUL character" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Part.name)).all() == []
    assert operator_client.get("/parts/options?part_id=%00").status_code == 400


@pytest.mark.parametrize("changes, messages", [
    # Two service checks: the GTIN rule and the unique IPN, reported together.
    ({"name": "Another", "gtin": "123"}, ("Not a valid GTIN", "Another part already has this IPN.")),
    # The form's own check (a missing name) and the service's unique IPN, reported together.
    ({"name": ""}, ("This field is required", "Another part already has this IPN.")),
])
def test_every_error_of_a_form_shows_at_once(hx_client, changes, messages):
    hx_client.post("/parts/new", data=FORM)
    response = hx_client.post("/parts/new", data={**FORM, **changes})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in messages:
        assert message in html
    assert count(Part) == 1

