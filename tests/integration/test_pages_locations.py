"""Location pages: the tree (breadcrumbs, children, stock), cycles refused, delete refusals."""
from __future__ import annotations

from decimal import Decimal

from extensions import db
from models import Part, StockItem, StockLocation


def make_tree():
    """Building / Room / Shelf / Bin, returned root first."""
    building = StockLocation(name="Building A")
    room = StockLocation(name="Lab", parent=building)
    shelf = StockLocation(name="Shelf 2", parent=room)
    bin_ = StockLocation(name="Bin 7", parent=shelf)
    db.session.add(building)
    db.session.commit()
    return building, room, shelf, bin_


def test_create_a_sub_location_from_the_parent_page(operator_client):
    building, *_ = make_tree()
    page = operator_client.get(f"/locations/{building.id}").get_data(as_text=True)
    assert f"/locations/new?parent={building.id}" in page
    form = operator_client.get(f"/locations/new?parent={building.id}").get_data(as_text=True)
    assert f'<option selected value="{building.id}">' in form
    response = operator_client.post("/locations/new", data={"name": "Stores", "parent_id": str(building.id)})
    assert response.status_code == 303
    created = db.session.scalars(db.select(StockLocation).filter_by(name="Stores")).one()
    assert created.path == "Building A / Stores"


def test_location_page_shows_breadcrumb_children_and_stock(operator_client):
    building, room, shelf, bin_ = make_tree()
    db.session.add(StockItem(part=Part(name="LM358 op-amp"), location=shelf, quantity=Decimal(42)))
    db.session.commit()
    html = operator_client.get(f"/locations/{shelf.id}").get_data(as_text=True)
    breadcrumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert f'/locations/{building.id}"' in breadcrumb and f'/locations/{room.id}"' in breadcrumb
    assert breadcrumb.index("Building A") < breadcrumb.index("Lab") < breadcrumb.index("Shelf 2")
    assert f'/locations/{bin_.id}"' in html and "Bin 7" in html
    assert "LM358 op-amp" in html and "42" in html


def test_moving_a_location_under_its_own_descendant_is_refused_at_any_depth(operator_client):
    building, room, shelf, bin_ = make_tree()
    form = operator_client.get(f"/locations/{building.id}/edit").get_data(as_text=True)
    assert f'value="{bin_.id}"' not in form  # not even offered
    response = operator_client.post(f"/locations/{building.id}/edit", data={"name": "Building A", "parent_id": str(bin_.id)})
    assert response.status_code == 422
    assert 'id="parent_id-errors"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(StockLocation, building.id).parent_id is None


def test_a_location_cannot_be_its_own_parent_through_the_form(operator_client):
    building, *_ = make_tree()
    response = operator_client.post(f"/locations/{building.id}/edit", data={"name": "Building A", "parent_id": str(building.id)})
    assert response.status_code == 422


def test_deleting_a_location_with_children_or_stock_says_what_to_move(operator_client):
    building, room, shelf, bin_ = make_tree()
    db.session.add(StockItem(part=Part(name="LM358"), location=bin_, quantity=Decimal(1)))
    db.session.commit()
    refused = operator_client.post(f"/locations/{shelf.id}/delete")
    assert refused.status_code == 409
    assert "1 sub-location(s)" in refused.get_data(as_text=True) and "move them" in refused.get_data(as_text=True)
    refused = operator_client.post(f"/locations/{bin_.id}/delete")
    assert refused.status_code == 409 and "1 stock item(s)" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(StockLocation)) == 4


def test_deleting_an_empty_location(operator_client):
    *_, bin_ = make_tree()
    assert operator_client.post(f"/locations/{bin_.id}/delete").status_code == 303
    assert db.session.get(StockLocation, bin_.id) is None


def test_location_list_shows_paths(operator_client):
    make_tree()
    html = operator_client.get("/locations/?q=bin").get_data(as_text=True)
    assert "Building A / Lab / Shelf 2 / Bin 7" in html and "1 found" in html
