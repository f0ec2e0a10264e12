"""The start page: counts that open their lists, your latest scans, the latest stock changes, and the
search over every kind of object; Supplier parts in the navigation."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from extensions import db
from models import Company, Part, ScanLog, StockItem, StockLocation, StockTracking, SupplierPart, User


@pytest.fixture
def stocked(app, users):
    """A part of each kind whose searchable text holds "Q7", and some history."""
    shelf = StockLocation(name="Shelf Q7")
    part = Part(name="Relay Q7", ipn="RL-1", description="5 V coil")
    supplier = Company(name="Q7 Supply", website="https://q7.example")
    item = StockItem(part=part, location=shelf, quantity=Decimal(4), batch="LOT-Q7")
    db.session.add_all([shelf, part, supplier, item,
                        SupplierPart(part=part, supplier=supplier, sku="SKU-Q7", mpn="RLY-5")])
    db.session.flush()
    item.tracking.append(StockTracking(action="counted", user_id=users["operator"].id, quantity_before=Decimal(5),
                                       quantity_after=Decimal(4), to_location_id=shelf.id, from_location_id=shelf.id))
    db.session.commit()
    return {"part": part, "item": item, "shelf": shelf, "supplier": supplier}


def test_counts_open_their_lists(viewer_client, stocked):
    html = viewer_client.get("/").get_data(as_text=True)
    for url, label in (("/parts/", "Parts"), ("/stock-items/", "Stock items"), ("/locations/", "Locations"),
                       ("/companies/", "Companies"), ("/supplier-parts/", "Supplier parts")):
        assert re.search(rf'<a href="{url}"><strong>1</strong> {label}</a>', html), label


def test_supplier_parts_are_in_the_navigation(viewer_client):
    nav = viewer_client.get("/").get_data(as_text=True).split('<nav aria-label="Sections">')[1].split("</nav>")[0]
    assert 'href="/supplier-parts/"' in nav and "Supplier parts" in nav


def test_the_start_page_shows_your_own_latest_scans_and_the_latest_stock_changes(client_for, users, stocked):
    mine = ScanLog(source="wedge", raw=b"SSP1", data="MINE\x1dCODE", result="match", object_type="part",
                   object_id=stocked["part"].id, user_id=users["viewer"].id)
    theirs = ScanLog(source="dialog", raw=b"X", data="THEIRS-CODE", result="no_match", user_id=users["admin"].id)
    db.session.add_all([mine, theirs])
    db.session.commit()
    html = client_for("viewer").get("/").get_data(as_text=True)
    scans = html.split('id="recent-scans"')[1].split("</section>")[0]
    assert f'<a href="/parts/{stocked["part"].id}">' in scans and ">GS<" in scans and "MINE" in scans
    assert "THEIRS-CODE" not in scans and "Everyone's scans" not in scans  # that link is for admins
    changes = html.split('id="recent-changes"')[1].split("</section>")[0]
    assert "counted" in changes and "5 → 4" in changes and "Relay Q7 x 4" in changes and "operator" in changes
    assert f'href="/stock-items/{stocked["item"].id}"' in changes


def test_one_search_finds_every_kind_of_object(viewer_client, stocked):
    html = viewer_client.get("/search?q=q7").get_data(as_text=True)
    for kind in ("part", "stock_item", "stock_location", "company", "supplier_part"):
        assert f'id="found-{kind}"' in html, kind
    assert f'href="/parts/{stocked["part"].id}">Relay Q7</a>' in html
    assert f'href="/locations/{stocked["shelf"].id}">Shelf Q7</a>' in html
    assert "SKU-Q7" in html and "LOT-Q7" in html


def test_search_shows_a_few_of_each_kind_and_links_to_the_whole_list(viewer_client):
    db.session.add_all([Part(name=f"Fuse {n}A") for n in range(1, 13)])
    db.session.commit()
    html = viewer_client.get("/search?q=fuse").get_data(as_text=True)
    found = html.split('id="found-part"')[1].split("</section>")[0]
    assert found.count("<li>") == 5 and "12 found" in found
    assert 'href="/parts/?q=fuse&amp;sort=name">See all 12 parts</a>' in found
    assert [m for m in re.findall(r">(Fuse \d+A)<", found)] == ["Fuse 1A", "Fuse 2A", "Fuse 3A", "Fuse 4A", "Fuse 5A"]


def test_search_without_javascript_and_with_htmx(viewer_client, client_for, stocked):
    home = viewer_client.get("/").get_data(as_text=True)
    form = home.split('class="toolbar global-search"')[1].split("</form>")[0]
    assert 'method="get" action="/search"' in form and 'name="q"' in form and 'hx-get="/search"' in form
    fragment = client_for("viewer", htmx=True).get("/search?q=relay")
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="search-results"') and "<html" not in html and "Relay Q7" in html
    assert "HX-Request" in fragment.headers["Vary"]


@pytest.mark.parametrize("q, expected", [("", "Type a name"), ("zzzz-nothing", "Nothing found for “zzzz-nothing”."),
                                         ("<b>x</b>", "Nothing found for “&lt;b&gt;x&lt;/b&gt;”.")])
def test_an_empty_or_fruitless_search_says_so(viewer_client, q, expected):
    html = viewer_client.get("/search", query_string={"q": q}).get_data(as_text=True)
    assert expected in html and "<b>x</b>" not in html


def test_search_needs_a_signed_in_user(client):
    assert client.get("/search?q=x").status_code in (302, 303, 401)
