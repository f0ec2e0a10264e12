"""The API's list semantics, called directly: InvenTree's filters, the top level, lacked concepts."""
from __future__ import annotations

import pytest

from extensions import db
from models import StockLocation
from services import api_objects
from services.api_objects import NULL, ListQuery, codes, locations, roles
from services.location_tree import LocationTree, load_tree
from tests.integration.test_stock_data import make_store


@pytest.fixture
def shop(app):
    return make_store(item_count=2)


def _ids(kind, **values):
    return {row.id for row in api_objects.page(kind, ListQuery(values=values)).rows}


def _names(**values):
    page, tree, _ = locations.page(ListQuery(values=values))
    return sorted(tree.names[row.id] for row in page.rows)


def test_stock_by_location_follows_cascade_and_the_null_top_level(shop):
    on_a = {item.id for item in shop.items[:2]}
    assert _ids("stockitem", location=shop.store.id) == on_a | {shop.items[2].id}  # cascade is the default
    assert _ids("stockitem", location=shop.store.id, cascade=False) == set()
    assert _ids("stockitem", location=shop.shelf_a.id, cascade=False) == on_a
    assert len(_ids("stockitem", location=NULL)) == 3 and _ids("stockitem", location=NULL, cascade=False) == set()


def test_locations_by_parent_cascade_and_top_level(shop):
    assert _names() == ["Bin 1", "Shelf A", "Shelf B", "Store"]  # no filter: all, as InvenTree
    assert _names(cascade=False) == ["Store"]
    assert _names(parent=NULL) == ["Store"] and _names(parent=NULL, cascade=True) == _names()
    assert _names(parent=shop.store.id) == ["Shelf A", "Shelf B"]
    assert _names(parent=shop.store.id, cascade=True) == ["Bin 1", "Shelf A", "Shelf B"]
    assert _names(top_level=True) == ["Store"] and _names(structural=True) == []


@pytest.mark.parametrize("values, everything", [
    ({"variant_of": 1}, False), ({"variant_of": NULL}, True), ({"category": 3}, False), ({"category": NULL}, True),
    ({"assembly": True}, False), ({"assembly": False}, True), ({"component": True}, True),
    ({"component": False}, False), ({"starred": True}, False), ({"in_bom_for": 1}, False),
])
def test_part_filters_on_concepts_shelfscan_lacks(shop, values, everything):
    assert _ids("part", **values) == ({shop.resistor.id, shop.opamp.id} if everything else set())


def test_an_unknown_parameter_answers_an_empty_page_not_every_row(shop):
    assert api_objects.page("part", ListQuery(unknown=("has_pricing",))).count == 0


def test_in_stock_means_available_statuses_and_more_than_zero(shop):
    lost, empty = shop.items[0], shop.items[1]
    lost.status = "lost"
    empty.quantity = 0
    db.session.commit()
    assert _ids("stockitem", in_stock=True) == {shop.items[2].id}
    assert _ids("stockitem", in_stock=False) == {lost.id, empty.id}


def test_ordering_reads_a_plus_sent_unencoded_and_ignores_unknown_keys(shop):
    query = ListQuery(ordering=(" name",))  # "+name" as the app sends it arrives as " name"
    assert [row.name for row in api_objects.page("part", query).rows] == ["LM358", "Resistor 10k"]
    query = ListQuery(ordering=("-name", "nonsense"))
    assert [row.name for row in api_objects.page("part", query).rows] == ["Resistor 10k", "LM358"]


def test_search_needs_every_word(shop):
    assert api_objects.page("part", ListQuery(search="resistor 10k")).count == 1
    assert api_objects.page("part", ListQuery(search="resistor lm358")).count == 0


def test_the_tree_walks_paths_levels_and_sub_trees(shop):
    tree = load_tree()
    assert tree.path(shop.bin_1.id) == "Store / Shelf A / Bin 1" and tree.level(shop.bin_1.id) == 2
    assert tree.below(shop.store.id) == {shop.shelf_a.id, shop.shelf_b.id, shop.bin_1.id}
    assert tree.roots() == [shop.store.id]
    assert db.session.get(StockLocation, shop.bin_1.id).path == tree.path(shop.bin_1.id)


def test_a_loop_in_the_data_cannot_hang_a_walk():
    tree = LocationTree(names={1: "A", 2: "B"}, parents={1: 2, 2: 1})
    assert tree.path(1) == "B / A" and tree.below(1) == {2}


def test_status_codes_round_trip_and_missing_is_a_custom_state():
    for status in codes.STOCK_STATUS:
        assert codes.status_for_code(codes.display_code(status)) == status
    assert (codes.display_code("missing"), codes.custom_key("missing"), codes.custom_key("lost")) == (71, 71, None)
    assert codes.status_values()["MISSING"] == {"key": 71, "name": "MISSING", "label": "Missing",
                                                "color": "warning", "logical_key": 70, "custom": True}


def test_roles_say_what_the_api_lets_each_role_do():
    viewer, operator = roles.inventree_roles("viewer"), roles.inventree_roles("operator")
    assert viewer["stock"] == ["view"] and operator["stock"] == ["view", "change"]
    assert all(operator[area] is None for area in ("build", "purchase_order", "sales_order", "return_order"))
    assert not any("add" in (rights or []) or "delete" in (rights or []) for rights in operator.values())
    assert roles.inventree_permissions("admin")["company"] == ["view"]


def test_item_counts_add_up_the_sub_locations(shop):
    tree = load_tree()
    everywhere = locations.item_counts(tree)
    assert (everywhere[shop.store.id], everywhere[shop.shelf_a.id], everywhere[shop.bin_1.id]) == (3, 2, 0)
    assert locations.item_counts(tree, [shop.shelf_b.id])[shop.shelf_b.id] == 1  # only its sub-tree counted
