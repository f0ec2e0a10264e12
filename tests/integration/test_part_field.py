"""The Part field of the stock item and supplier part forms: typed by name or IPN, shown by name.

These posts are what a browser without JavaScript sends: the typed text, looked up on the server.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from extensions import db
from models import Company, Part, StockItem, SupplierPart


@pytest.fixture
def parts(app):
    """An op-amp with an IPN, a resistor without one, and two parts that share a name."""
    made = {"opamp": Part(name="LM358 op-amp", ipn="IC-358"), "resistor": Part(name="Resistor 10k"),
            "twin_a": Part(name="Fuse 1A", description="slow"), "twin_b": Part(name="Fuse 1A", description="fast"),
            "numbered": Part(name="Bolt", ipn="77")}
    db.session.add_all(made.values())
    db.session.commit()
    return made


def new_item(client, typed: str):
    """Post the new stock item form with `typed` in the Part box."""
    return client.post("/stock-items/new", data={"part_id": typed, "quantity": "3", "status": "ok"})


def created_part_id() -> int:
    return db.session.scalars(db.select(StockItem.part_id)).one()


@pytest.mark.parametrize("key, typed", [
    ("opamp", "LM358 op-amp"),             # the exact name
    ("opamp", "IC-358"),                   # the IPN
    ("opamp", "ic-358"),                   # the IPN in another case
    ("opamp", "IC-358 LM358 op-amp"),      # what picking the suggestion puts in the box
    ("opamp", "  IC-358   LM358 op-amp "),  # spaces as people type them
    ("resistor", "resistor 10K"),
    ("numbered", "77"),                    # an IPN made of digits is the IPN, not id 77
])
def test_a_part_can_be_typed_by_name_or_ipn(operator_client, parts, key, typed):
    response = new_item(operator_client, typed)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert created_part_id() == parts[key].id


def test_an_id_still_works_and_an_unknown_text_says_what_to_do(operator_client, parts):
    assert new_item(operator_client, str(parts["resistor"].id)).status_code == 303
    response = new_item(operator_client, "Capacitor")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "none is called “Capacitor”" in html and "Choose a part." not in html.replace("Choose a part:", "")
    assert 'value="Capacitor"' in html  # the box keeps what was typed


def test_several_parts_with_one_name_are_offered_to_pick_from(operator_client, parts):
    response = new_item(operator_client, "Fuse 1A")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "2 parts are called “Fuse 1A”" in html
    # Without JavaScript the datalist comes filled in: the browser offers both to pick.
    a, b = parts["twin_a"].id, parts["twin_b"].id
    assert f'<option value="Fuse 1A #{a}">slow</option>' in html and f'<option value="Fuse 1A #{b}">fast</option>' in html
    assert new_item(operator_client, f"Fuse 1A #{b}").status_code == 303
    assert created_part_id() == b


def test_a_number_sign_that_names_another_part_is_refused(operator_client, parts):
    response = new_item(operator_client, f"Fuse 1A #{parts['resistor'].id}")
    assert response.status_code == 422


def test_the_box_shows_the_part_by_name_when_prefilled_and_when_editing(operator_client, parts):
    opamp = parts["opamp"]
    html = operator_client.get(f"/stock-items/new?part={opamp.id}").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="part_id"[^>]*value="IC-358 LM358 op-amp"', html)
    item = StockItem(part=parts["twin_a"], quantity=Decimal(2))
    db.session.add(item)
    db.session.commit()
    html = operator_client.get(f"/stock-items/{item.id}/edit").get_data(as_text=True)
    assert re.search(rf'<input[^>]*name="part_id"[^>]*value="Fuse 1A #{parts["twin_a"].id}"', html)
    assert f'value="{parts["twin_a"].id}"' not in html


def test_the_supplier_part_form_takes_a_name_too(operator_client, parts):
    supplier = Company(name="DigiKey", is_supplier=True)
    db.session.add(supplier)
    db.session.commit()
    response = operator_client.post("/supplier-parts/new", data={
        "part_id": "IC-358", "supplier_id": str(supplier.id), "sku": "296-1", "pack_quantity": "1"})
    assert response.status_code == 303
    supplier_part = db.session.scalars(db.select(SupplierPart)).one()
    assert supplier_part.part_id == parts["opamp"].id
    html = operator_client.get(f"/supplier-parts/{supplier_part.id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="part_id"[^>]*value="IC-358 LM358 op-amp"', html)


def test_suggestions_carry_the_text_the_box_shows(hx_client, parts):
    options = hx_client.get("/parts/options?part_id=fuse").get_data(as_text=True)
    assert f'value="Fuse 1A #{parts["twin_a"].id}"' in options
    options = hx_client.get("/parts/options?part_id=358").get_data(as_text=True)
    assert '<option value="IC-358 LM358 op-amp"></option>' in options
