"""Location pages: the tree (breadcrumbs, children, stock), cycles refused, delete refusals."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extensions import db
from models import Part, StockItem, StockLocation
from tests.page_text import html_of


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
    page = html_of(operator_client.get(f"/locations/{building.id}"))
    assert f"/locations/new?parent={building.id}" in page
    form = html_of(operator_client.get(f"/locations/new?parent={building.id}"))
    assert f'<option selected value="{building.id}">' in form
    response = operator_client.post("/locations/new", data={"name": "Stores", "parent_id": str(building.id)})
    assert response.status_code == 303
    created = db.session.scalars(db.select(StockLocation).filter_by(name="Stores")).one()
    assert created.path == "Building A / Stores"


def test_location_page_shows_breadcrumb_children_and_stock(operator_client):
    building, room, shelf, bin_ = make_tree()
    db.session.add(StockItem(part=Part(name="LM358 op-amp"), location=shelf, quantity=Decimal(42)))
    db.session.commit()
    html = html_of(operator_client.get(f"/locations/{shelf.id}"))
    breadcrumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert f'/locations/{building.id}"' in breadcrumb and f'/locations/{room.id}"' in breadcrumb
    assert breadcrumb.index("Building A") < breadcrumb.index("Lab") < breadcrumb.index("Shelf 2")
    assert f'/locations/{bin_.id}"' in html and "Bin 7" in html
    assert "LM358 op-amp" in html and "42" in html


def test_moving_a_location_under_its_own_descendant_is_refused_at_any_depth(operator_client):
    building, room, shelf, bin_ = make_tree()
    form = html_of(operator_client.get(f"/locations/{building.id}/edit"))
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
    html = html_of(operator_client.get("/locations/?q=bin"))
    assert "Building A / Lab / Shelf 2 / Bin 7" in html and "1 found" in html


def stock_tree():
    """Building A / Lab / Shelf 2 / Bin 7 with stock on the shelf and in the bin, and an empty Annex."""
    building, room, shelf, bin_ = make_tree()
    part = Part(name="Fuse 1A")
    db.session.add_all([StockLocation(name="Annex"),
                        StockItem(part=part, location=shelf, quantity=Decimal(5)),
                        StockItem(part=part, location=bin_, quantity=Decimal(7), batch="LOT-7"),
                        StockItem(part=Part(name="Relay"), location=bin_, quantity=Decimal(1))])
    db.session.commit()
    return building, room, shelf, bin_


def test_the_tree_shows_each_top_location_with_its_stock_totals(viewer_client):
    building, room, *_ = stock_tree()
    html = html_of(viewer_client.get("/locations/tree"))
    assert html.index(">Annex<") < html.index(">Building A<")
    node = html.split(">Building A</a>")[1].split("</summary>")[0]
    assert "3 items in all · 0 right here" in node
    annex = html.split(">Annex</a>")[1].split("</div>")[0]
    assert "0 items" in annex
    # Opening a location loads its level (htmx), or without JavaScript follows the link to it.
    assert f'hx-get="/locations/tree?root={building.id}"' in html and f'href="/locations/tree?root={building.id}"' in html


def test_one_level_of_the_tree_for_htmx_and_the_tree_from_a_location(viewer_client, hx_client):
    building, room, shelf, bin_ = stock_tree()
    level = html_of(hx_client.get(f"/locations/tree?root={room.id}"))
    assert level.lstrip().startswith('<ul class="location-tree">') and "<html" not in level
    assert ">Shelf 2</a>" in level and "3 items in all · 1 right here" in level
    page = html_of(viewer_client.get(f"/locations/tree?root={shelf.id}"))
    assert "<html" in page and ">Bin 7</a>" in page and "2 items" in page
    breadcrumb = page.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert f'/locations/tree?root={room.id}"' in breadcrumb and "Building A" in breadcrumb


@pytest.mark.parametrize("root, status", [("999", 404), ("abc", 400)])
def test_a_tree_root_that_is_not_a_location_says_so(viewer_client, root, status):
    assert viewer_client.get(f"/locations/tree?root={root}").status_code == status


def test_a_loop_already_in_the_data_does_not_hang_the_tree(viewer_client):
    building, room, *_ = stock_tree()
    db.session.execute(db.text("UPDATE stock_location SET parent_id = :room WHERE id = :building"),
                       {"room": room.id, "building": building.id})
    db.session.commit()
    assert viewer_client.get(f"/locations/tree?root={room.id}").status_code == 200
    assert viewer_client.get(f"/locations/{room.id}?sub=1").status_code == 200


def test_a_location_page_can_show_the_stock_of_its_sub_locations(viewer_client):
    building, room, shelf, bin_ = stock_tree()
    here = html_of(viewer_client.get(f"/locations/{room.id}"))
    assert "No stock items." in here and "Fuse 1A" not in here
    assert f'href="/locations/{room.id}?sub=1#stock"' in here
    within = html_of(viewer_client.get(f"/locations/{room.id}?sub=1"))
    assert "3 stock items here and below." in within
    table = within.split('<table class="stock-items">')[1].split("</table>")[0]
    places = [chunk.split("</a>")[0] for chunk in table.split('">Shelf 2')[1:]]
    assert places == ["", " / Bin 7", " / Bin 7"]
    assert table.index(">Shelf 2<") < table.index(">Shelf 2 / Bin 7<")
    sub_levels = within.split("<h2>Sub-locations</h2>")[1].split("<h2")[0]
    assert ">Shelf 2</a>" in sub_levels and "3 items in all · 1 right here" in sub_levels


def test_a_level_with_very_much_stock_below_counts_up_to_a_cap(viewer_client, monkeypatch):
    """Beyond EXACT_LIMIT items below a level, each total stops at COUNT_CAP and says "+", as lists do."""
    from services import locations

    building, room, shelf, bin_ = stock_tree()
    monkeypatch.setattr(locations, "EXACT_LIMIT", 2)
    monkeypatch.setattr(locations, "COUNT_CAP", 1)
    html = html_of(viewer_client.get(f"/locations/tree?root={room.id}"))
    assert "1+ items in all · 1 right here" in html
    within = html_of(viewer_client.get(f"/locations/{room.id}?sub=1"))
    assert "1+ stock items here and below" in within
