"""Object endpoints under InvenTree's URLs and field names, with search and limit/offset pages."""
from __future__ import annotations

import pytest

from tests.api_fixtures import auth, make_inventory, token_for


@pytest.fixture
def get(client, users):
    """GET as a viewer, sending the empty JSON body the InvenTree client sends."""
    token = token_for(users["viewer"])

    def send(path):
        return client.get(path, json={}, headers=auth(token))

    return send


@pytest.fixture
def inventory(app):
    """A small inventory."""
    return make_inventory()


def test_part_detail_uses_inventree_names(get, inventory):
    body = get(f"/api/part/{inventory['part']}/").get_json()
    assert body["pk"] == inventory["part"] and body["name"] == "10k resistor" and body["IPN"] == "R-10K"
    assert body["web_url"] == f"/parts/{inventory['part']}"


def test_the_inventree_clients_double_slash_urls_answer_without_a_redirect(get, inventory):
    response = get(f"/api/part//{inventory['part']}/")
    assert response.status_code == 200 and response.get_json()["pk"] == inventory["part"]


def test_stock_item_detail(get, inventory):
    body = get(f"/api/stock/{inventory['stockitem']}/").get_json()
    assert (body["part"], body["location"], body["supplier_part"]) == (
        inventory["part"], inventory["location"], inventory["supplierpart"])
    assert body["quantity"] == 250 and body["batch"] == "B7" and body["serial"] == "" and body["status"] == 10


def test_location_detail(get, inventory):
    body = get(f"/api/stock/location/{inventory['location']}/").get_json()
    assert body["parent"] == inventory["root"] and body["pathstring"] == "Building A / Shelf 2"


def test_supplier_part_detail(get, inventory):
    body = get(f"/api/company/part/{inventory['supplierpart']}/").get_json()
    assert (body["SKU"], body["MPN"], body["supplier"]) == ("C25804", "0603WAF1002T5E", inventory["company"])
    assert body["supplier_detail"]["name"] == "LCSC" and body["part"] == inventory["part"]


@pytest.mark.parametrize("path", ["/api/part/999999/", "/api/stock/999999/", "/api/stock/location/999999/",
                                  "/api/company/part/999999/"])
def test_unknown_objects_are_json_404s(get, inventory, path):
    response = get(path)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json" and response.get_json()["detail"]


def test_lists_search_and_paginate(get, inventory):
    parts = get("/api/part/?search=resistor").get_json()
    assert parts["count"] == 1 and parts["results"][0]["IPN"] == "R-10K"
    page = get("/api/part/?limit=1&offset=1").get_json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["previous"] and page["next"] is None
    assert get("/api/stock/?search=10k").get_json()["count"] == 1
    # InvenTree's ?location= includes sub-locations unless ?cascade=false
    assert get(f"/api/stock/?location={inventory['root']}").get_json()["count"] == 1
    assert get(f"/api/stock/?location={inventory['root']}&cascade=false").get_json()["count"] == 0
    assert get(f"/api/stock/location/?parent={inventory['root']}").get_json()["results"][0]["name"] == "Shelf 2"
    assert get("/api/company/part/?search=lcsc").get_json()["results"][0]["SKU"] == "C25804"
    assert get("/api/part/?search=100%25").get_json()["count"] == 0  # % is literal, not a wildcard


@pytest.mark.parametrize("query", ["limit=x", "limit=0", "limit=100000", "offset=-1", "part=abc"])
def test_bad_paging_and_filters_are_400(get, inventory, query):
    response = get(f"/api/stock/?{query}")
    assert response.status_code == 400 and response.headers["Content-Type"] == "application/json"
