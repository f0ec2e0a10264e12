"""List pages: search as you type (htmx fragment vs page), JS-off search, pagination, sort, selection."""
from __future__ import annotations

import pytest
from sqlalchemy import insert

from extensions import db
from models import Company, Part, StockItem, SupplierPart

LISTS = ["/parts/", "/locations/", "/stock-items/", "/companies/", "/supplier-parts/"]


def add_parts(count: int) -> None:
    """Bulk-add parts named 'Part 000' ... with IPNs P-000 ..."""
    db.session.execute(insert(Part), [{"name": f"Part {n:03d}", "ipn": f"P-{n:03d}", "description": "", "units": "",
                                        "active": True} for n in range(count)])
    db.session.commit()


def rows(html: str) -> list[str]:
    """The part names in a list's results, in order."""
    return [chunk.split("</bdi>")[0] for chunk in html.split('"><bdi>Part ')[1:]]


@pytest.mark.parametrize("url", LISTS)
def test_every_list_has_an_htmx_search_box_that_also_works_as_a_plain_form(operator_client, url):
    html = operator_client.get(url).get_data(as_text=True)
    search_form = html.split('<form id="search"')[1].split("</form>")[0]
    assert 'method="get"' in search_form and f'action="{url}"' in search_form
    assert 'name="q"' in search_form and f'hx-get="{url}"' in search_form
    assert 'hx-trigger="input changed delay:250ms, search"' in search_form
    assert 'hx-target="#results"' in search_form and 'hx-push-url="true"' in search_form
    assert 'id="results"' in html


def test_htmx_search_gets_only_the_results_block_with_vary(operator_client, hx_client):
    add_parts(3)
    db.session.add(Part(name="LM358 op-amp", ipn="IC-1"))
    db.session.commit()
    fragment = hx_client.get("/parts/?q=lm35")
    html = fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    assert html.lstrip().startswith('<div id="results"') and "<html" not in html
    assert "LM358 op-amp" in html and "Part 000" not in html and "1 found" in html
    page = operator_client.get("/parts/?q=lm35")
    assert "HX-Request" in page.headers["Vary"]
    full = page.get_data(as_text=True)
    assert "<html" in full and "LM358 op-amp" in full and "Part 000" not in full
    assert 'value="lm35"' in full  # the JS-off search keeps what was typed


def test_history_restore_gets_the_whole_page(operator_client):
    response = operator_client.get("/parts/?q=x", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.get_data(as_text=True)


def test_search_matches_ipn_and_treats_wildcards_literally(operator_client):
    add_parts(5)
    db.session.add_all([Part(name="100% cotton tape", ipn="T_1"), Part(name="Tape", ipn="TX1")])
    db.session.commit()
    assert rows(operator_client.get("/parts/?q=P-003").get_data(as_text=True)) == ["003"]
    html = operator_client.get("/parts/?q=100%25").get_data(as_text=True)
    assert "100% cotton tape" in html and "1 found" in html
    html = operator_client.get("/parts/?q=T_1").get_data(as_text=True)
    assert "1 found" in html and "TX1" not in html


def test_pagination_and_sort(operator_client):
    add_parts(60)
    first = operator_client.get("/parts/").get_data(as_text=True)
    assert "60 found" in first and "Page 1 of 3" in first
    assert rows(first)[:2] == ["000", "001"] and len(rows(first)) == 25
    assert 'href="/parts/?sort=name&amp;page=2"' in first
    third = operator_client.get("/parts/?page=3").get_data(as_text=True)
    assert rows(third) == [f"{n:03d}" for n in range(50, 60)]
    descending = operator_client.get("/parts/?sort=-name").get_data(as_text=True)
    assert rows(descending)[0] == "059" and 'aria-sort="descending"' in descending
    by_ipn = operator_client.get("/parts/?sort=-ipn&page=2").get_data(as_text=True)
    assert rows(by_ipn)[0] == "034"


@pytest.mark.parametrize("query", ["page=999", "sort=password_hash", "sort=--name", "q=" + "x" * 5000,
                                   "q=%25%25%25", "q=%5C"])
def test_odd_list_arguments_never_fail(operator_client, query):
    add_parts(30)
    response = operator_client.get(f"/parts/?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b"])
def test_a_nul_in_a_search_is_a_400_saying_so(operator_client, query):
    response = operator_client.get(f"/parts/?{query}")
    assert response.status_code == 400 and "NUL character" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999", "%C2%B2"])
def test_a_page_that_is_not_a_page_number_is_a_400_saying_so(operator_client, page):
    response = operator_client.get(f"/parts/?page={page}")
    assert response.status_code == 400
    assert "page must be a whole number" in response.get_data(as_text=True)


def test_search_with_many_matches_counts_them_all(operator_client):
    add_parts(600)  # more than the few-matches shortcut handles
    html = operator_client.get("/parts/?q=Part&page=2").get_data(as_text=True)
    assert "600 found" in html and rows(html)[0] == "025"


def test_rows_can_be_selected_for_labels(operator_client):
    add_parts(2)
    html = operator_client.get("/parts/").get_data(as_text=True)
    selection = html.split('<form id="selection"')[1].split("</form>")[0]
    assert selection.count('type="checkbox" name="id"') == 2


def test_stock_and_supplier_lists_search_the_part_name(operator_client):
    part = Part(name="LM358 op-amp", ipn="IC-1")
    db.session.add_all([StockItem(part=part, quantity=5, batch="L7"),
                        SupplierPart(part=part, supplier=Company(name="DigiKey"), sku="296-X", mpn="LM358BIDDFR")])
    db.session.commit()
    assert "1 found" in operator_client.get("/stock-items/?q=lm358").get_data(as_text=True)
    assert "1 found" in operator_client.get("/supplier-parts/?q=biddfr").get_data(as_text=True)
    assert "1 found" in operator_client.get("/companies/?q=digi").get_data(as_text=True)


def test_a_page_size_can_be_chosen_and_is_kept_while_paging_and_sorting(operator_client, hx_client):
    add_parts(130)
    html = operator_client.get("/parts/?per_page=50").get_data(as_text=True)
    assert len(rows(html)) == 50 and "Page 1 of 3" in html and "1–50" in html
    assert '<option value="50" selected>50</option>' in html
    assert 'href="/parts/?sort=name&amp;per_page=50&amp;page=2"' in html
    assert 'href="/parts/?sort=-name&amp;per_page=50"' in html  # sorting keeps the size
    assert len(rows(operator_client.get("/parts/?per_page=200").get_data(as_text=True))) == 130
    # The menu belongs to the search form: a search (with or without JavaScript) keeps the size.
    menu = html.split('<select name="per_page"')[1].split("</select>")[0]
    assert 'form="search"' in menu and 'hx-include="#search"' in menu and 'hx-get="/parts/"' in menu
    fragment = hx_client.get("/parts/?per_page=100&q=Part").get_data(as_text=True)
    assert len(rows(fragment)) == 100


@pytest.mark.parametrize("size", ["0", "201", "ten"])
def test_a_page_size_out_of_range_is_a_400_saying_so(operator_client, size):
    response = operator_client.get(f"/parts/?per_page={size}")
    assert response.status_code == 400 and "per_page must be a whole number from 1 to 200" in response.get_data(as_text=True)


def test_the_parts_list_shows_each_parts_stock(operator_client):
    from decimal import Decimal

    from models import StockLocation

    shelf = StockLocation(name="Shelf")
    cable, fuse = Part(name="Cable", units="m"), Part(name="Fuse")
    db.session.add_all([StockItem(part=cable, location=shelf, quantity=Decimal("2.5")),
                        StockItem(part=cable, quantity=Decimal("10")), fuse])
    db.session.commit()
    html = operator_client.get("/parts/").get_data(as_text=True)
    assert "In stock" in html
    cable_row = html.split(">Cable</bdi></a>")[1].split("</tr>")[0]
    assert '<td class="num">12.5 <span class="hint"><bdi>m</bdi></span></td>' in cable_row
    assert '<span class="hint">none</span>' in html.split(">Fuse</bdi></a>")[1].split("</tr>")[0]
