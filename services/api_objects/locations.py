"""The stock-location list, worked out on the in-memory tree: InvenTree orders and filters locations
by their path and depth, which no column holds, and locations are few enough to sort in Python.

?parent= and ?cascade= follow InvenTree (stock/api.py StockLocationFilter): with a parent, cascade
lists its whole sub-tree and without cascade only its children; without a parent, every location,
unless ?cascade=false or ?top_level=true ask for the top level; parent=null (what app versions below
API 174 send for the top level) is the top level, or every location with cascade.
"""
from __future__ import annotations

from sqlalchemy import func, select

from extensions import db
from models import StockItem, StockLocation
from services.api_objects.query import EMPTY, NULL, LACKED_TRUE, NO_OP_BOOL, Filter, ListQuery, Page, order_keys
from services.location_tree import LocationTree, load_tree

FLAGS = frozenset({"path_detail"})
MAX_IN_LIST = 500  # more locations than this: count them all rather than send a long IN list
# Names only: these are read by `matching` below, not applied to a query.
FILTERS = {"parent": Filter("ref", lambda q, v, _: q), "cascade": NO_OP_BOOL, "top_level": NO_OP_BOOL,
           "name": Filter("text", lambda q, v, _: q), "structural": LACKED_TRUE, "external": LACKED_TRUE}


def item_counts(tree: LocationTree, ids: list[int] | None = None) -> dict[int, int]:
    """Stock items in each location and all its sub-locations (InvenTree's `items`): right for `ids`
    (every location when None), whose sub-trees alone are counted when they are few."""
    query = select(StockItem.location_id, func.count()).where(StockItem.location_id.is_not(None))
    if ids is not None:
        needed = set().union(*(tree.below(i, include_self=True) for i in ids)) if ids else set()
        if len(needed) <= MAX_IN_LIST:
            query = query.where(StockItem.location_id.in_(needed))
    direct = dict(db.session.execute(query.group_by(StockItem.location_id)).all())
    return tree.totals(direct)


def matching(tree: LocationTree, values: dict) -> list[int] | object:
    """The ids the filters select, or EMPTY."""
    if values.get("structural") or values.get("external"):
        return EMPTY
    parent = values.get("parent", NULL)
    if parent is not NULL:
        if parent not in tree.names:
            return EMPTY
        ids = tree.below(parent) if values.get("cascade", False) else set(tree.children.get(parent, ()))
    elif "parent" in values:  # parent=null: the top level, or everything with cascade
        ids = set(tree.names) if values.get("cascade", False) else set(tree.roots())
    elif values.get("cascade", True) is False or (values.get("top_level") and not values.get("cascade", False)):
        ids = set(tree.roots())
    else:
        ids = set(tree.names)
    if "name" in values:
        ids = {i for i in ids if tree.names[i].lower() == values["name"].lower()}
    return list(ids)


def _searched(tree: LocationTree, ids: list[int], term: str, descriptions: dict[int, str]) -> list[int]:
    words = term.lower().split()
    return [i for i in ids if all(word in tree.names[i].lower() or word in descriptions[i].lower()
                                  or word in tree.path(i).lower() for word in words)]


def page(request: ListQuery) -> tuple[Page, LocationTree, dict[int, int]]:
    """One page of locations, with the tree and item counts the answer is built from."""
    tree = load_tree()
    ids = EMPTY if request.unknown else matching(tree, dict(request.values))
    if ids is EMPTY:
        return Page(0, []), tree, {}
    by_items = any(key.strip().lstrip("+-") == "items" for key in request.ordering)
    counts = item_counts(tree) if by_items else {}
    if request.search.strip():
        descriptions = dict(db.session.execute(select(StockLocation.id, StockLocation.description)).all())
        ids = _searched(tree, ids, request.search, descriptions)
    keys = {"name": lambda i: tree.names[i].lower(), "pathstring": lambda i: tree.path(i).lower(),
            "items": lambda i: counts.get(i, 0), "level": tree.level}
    ids.sort(key=lambda i: (tree.path(i).lower(), i))
    for key, descending in reversed(order_keys(request.ordering, keys)):
        ids.sort(key=key, reverse=descending)  # stable: earlier keys win
    chosen = ids[request.offset:request.offset + request.limit]
    rows = {row.id: row for row in db.session.execute(select(StockLocation).where(StockLocation.id.in_(chosen))).scalars()}
    return Page(len(ids), [rows[i] for i in chosen if i in rows]), tree, counts or item_counts(tree, chosen)
