"""Stock item pages: prefilled creation, history of changes, quantity and serial rules."""
from __future__ import annotations

from decimal import Decimal

from extensions import db
from models import Part, StockItem, StockLocation, StockTracking


def setup_part():
    """A part whose default location is Lab / Shelf."""
    shelf = StockLocation(name="Shelf", parent=StockLocation(name="Lab"))
    part = Part(name="LM358", ipn="IC-1", default_location=shelf)
    db.session.add(part)
    db.session.commit()
    return part, shelf


def form(part, shelf, **changes):
    """A filled-in stock item form."""
    return {"part_id": str(part.id), "location_id": str(shelf.id), "quantity": "25", "serial": "", "batch": "L2024-07",
            "expiry_date": "", "status": "ok", "notes": "", **changes}


def test_new_stock_form_is_prefilled_from_the_part(operator_client):
    part, shelf = setup_part()
    html = operator_client.get(f"/stock-items/new?part={part.id}").get_data(as_text=True)
    assert f'name="part_id" type="text" value="{part.id}"' in html or f'value="{part.id}"' in html
    assert "IC-1 LM358" in html  # the part is named, not just numbered
    assert f'<option selected value="{shelf.id}">Lab / Shelf</option>' in html
    other = StockLocation(name="Bin")
    db.session.add(other)
    db.session.commit()
    html = operator_client.get(f"/stock-items/new?part={part.id}&location={other.id}").get_data(as_text=True)
    assert f'<option selected value="{other.id}">Bin</option>' in html


def test_create_and_edit_record_history_newest_first(operator_client):
    part, shelf = setup_part()
    response = operator_client.post("/stock-items/new", data=form(part, shelf))
    assert response.status_code == 303
    item = db.session.scalars(db.select(StockItem)).one()
    assert item.quantity == Decimal(25) and item.batch == "L2024-07"
    operator_client.post(f"/stock-items/{item.id}/edit", data=form(part, shelf, quantity="20.5"))
    actions = db.session.scalars(db.select(StockTracking.action).order_by(StockTracking.id)).all()
    assert actions == ["created", "edited"]
    html = operator_client.get(f"/stock-items/{item.id}").get_data(as_text=True)
    history = html.split('class="history"')[1]
    assert history.index("edited") < history.index("created")
    assert "25 → 20.5" in history and "operator" in history
    assert "Lab / Shelf" in html or ">Lab</a> / <a" in html


def test_negative_or_missing_quantity_is_a_field_error(hx_client):
    part, shelf = setup_part()
    for quantity in ("-1", "", "abc"):
        response = hx_client.post("/stock-items/new", data=form(part, shelf, quantity=quantity))
        assert response.status_code == 422, quantity
        assert 'id="quantity-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(StockItem)) == 0


def test_duplicate_serial_of_the_same_part_is_a_field_error(operator_client):
    part, shelf = setup_part()
    assert operator_client.post("/stock-items/new", data=form(part, shelf, serial="SN-1", quantity="1")).status_code == 303
    response = operator_client.post("/stock-items/new", data=form(part, shelf, serial="SN-1", quantity="1"))
    assert response.status_code == 422
    assert "already has a stock item with this serial" in response.get_data(as_text=True)


def test_unknown_part_is_a_field_error(operator_client):
    part, shelf = setup_part()
    response = operator_client.post("/stock-items/new", data=form(part, shelf, part_id="999"))
    assert response.status_code == 422 and "none is called “999”" in response.get_data(as_text=True)


def test_deleting_a_stock_item_removes_its_history(operator_client):
    part, shelf = setup_part()
    operator_client.post("/stock-items/new", data=form(part, shelf))
    item_id = db.session.scalars(db.select(StockItem.id)).one()
    assert operator_client.post(f"/stock-items/{item_id}/delete").status_code == 303
    assert db.session.scalar(db.select(db.func.count()).select_from(StockTracking)) == 0


def test_part_field_suggests_parts_as_you_type(operator_client, hx_client):
    part, _ = setup_part()
    html = operator_client.get("/stock-items/new").get_data(as_text=True)
    assert 'list="part_id-options"' in html and 'hx-get="/parts/options"' in html
    assert '<datalist id="part_id-options">' in html
    options = hx_client.get("/parts/options?part_id=lm35").get_data(as_text=True)
    assert '<option value="IC-1 LM358"></option>' in options
    assert hx_client.get("/parts/options?part_id=zzz").get_data(as_text=True).strip() == ""


def test_quantities_that_are_not_finite_or_too_large_are_field_errors(operator_client):
    part, shelf = setup_part()
    for quantity in ("NaN", "Infinity", "-Infinity", "1e30", "sNaN"):
        response = operator_client.post("/stock-items/new", data=form(part, shelf, quantity=quantity))
        assert response.status_code == 422, quantity
        assert 'id="quantity-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(StockItem)) == 0


def test_prefill_arguments_that_are_not_ids_are_a_400(operator_client):
    setup_part()
    for query in ("part=%C2%B2", "part=abc&location=-1", "part=99999999999999999999"):
        assert operator_client.get(f"/stock-items/new?{query}").status_code == 400, query
    # An id that names nothing is simply not prefilled.
    assert operator_client.get("/stock-items/new?location=999").status_code == 200


def test_the_form_shows_its_serial_and_quantity_errors_together(hx_client):
    part = Part(name="Scope")
    db.session.add(part)
    db.session.flush()
    db.session.add(StockItem(part=part, quantity=Decimal(1), serial="SN-1"))
    db.session.commit()
    response = hx_client.post("/stock-items/new", data={"part_id": str(part.id), "quantity": "abc", "serial": "SN-1",
                                                        "status": "ok"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="quantity-errors"' in html and "This part already has a stock item with this serial number." in html
