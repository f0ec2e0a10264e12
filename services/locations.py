"""Locations as a tree: each level with its stock totals, and the stock of a location and all below it.

Totals and sub-trees come from recursive queries over stock_location.parent_id, one per level shown,
so the work follows what is on the page, not the size of the whole tree. The recursion uses UNION,
not UNION ALL, and a depth bound: a loop already in the data (which saving refuses to make) cannot
make it run forever.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Text, case, cast, func, literal, select
from sqlalchemy.orm import contains_eager

from extensions import db
from models import Part, StockItem, StockLocation, natural_key

MAX_CHILDREN = 200  # sub-locations shown per level; the list pages have the rest
MAX_ITEMS = 200  # stock items shown on a location's page
ITEMS_SCANNED = 2000  # items (by id) the page picks its MAX_ITEMS from, sorted by place and part
COUNT_CAP = 10_000
# Below one level of the tree, up to this many stock items are counted exactly; beyond it each count
# stops at COUNT_CAP ("10,000+"), as the lists do, so a level costs the same at any size.
EXACT_LIMIT = 100_000
MAX_DEPTH = 64
_LOCATION = StockLocation.__table__


@dataclass
class Node:
    """One location in the tree, with how many sub-locations it has and how much stock is in and below it."""

    location: StockLocation
    children: int
    items_here: int  # exact up to COUNT_CAP, COUNT_CAP + 1 beyond (see EXACT_LIMIT)
    items_within: int  # here and in every sub-location, at any depth; the same bound

    @property
    def here_text(self) -> str:
        """The items right here as shown: "12" or "10,000+"."""
        return _shown(self.items_here)

    @property
    def within_text(self) -> str:
        """The items here and below as shown."""
        return _shown(self.items_within)


def _shown(count: int) -> str:
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"


def _count_upto(query, limit: int) -> int:
    """How many rows `query` gives, counting at most limit + 1 of them."""
    return db.session.scalar(select(func.count()).select_from(query.limit(limit + 1).subquery())) or 0


@dataclass
class Level:
    """The sub-locations of one location (or the top-level ones), as many as are shown of them."""

    nodes: list[Node]
    total: int


def _subtrees(root_ids):
    """A recursive CTE (root, id, path, depth): every location within each root, the root itself at path ''."""
    # Typed alike in both halves, as PostgreSQL wants of a recursive query.
    base = (select(_LOCATION.c.id.label("root"), _LOCATION.c.id.label("id"), cast(literal(""), Text).label("path"),
                   cast(literal(0), Integer).label("depth"))
            .where(_LOCATION.c.id.in_(root_ids)).cte("subtree", recursive=True))
    child = _LOCATION.alias("child")
    path = cast(case((base.c.path == "", child.c.name), else_=base.c.path + " / " + child.c.name), Text)
    return base.union(select(base.c.root, child.c.id, path, base.c.depth + 1)
                      .where(child.c.parent_id == base.c.id, base.c.depth < MAX_DEPTH))


def level(parent_id: int | None) -> Level:
    """The sub-locations of `parent_id` (None: the top-level locations) by name, with their totals."""
    where = _LOCATION.c.parent_id.is_(None) if parent_id is None else _LOCATION.c.parent_id == parent_id
    total = db.session.scalar(select(func.count()).select_from(_LOCATION).where(where)) or 0
    locations = list(db.session.scalars(db.select(StockLocation).where(where)
                                        .order_by(StockLocation.name_key, StockLocation.id).limit(MAX_CHILDREN)))
    ids = [location.id for location in locations]
    children = dict(db.session.execute(select(_LOCATION.c.parent_id, func.count()).where(_LOCATION.c.parent_id.in_(ids))
                                       .group_by(_LOCATION.c.parent_id)).all())
    here, within = _item_counts(ids)
    nodes = [Node(location, children.get(location.id, 0), here.get(location.id, 0), within.get(location.id, 0))
             for location in locations]
    return Level(nodes, total)


def _item_counts(ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Stock items right at each location and within its sub-tree: exact, or capped per location when
    more than EXACT_LIMIT are below the whole level."""
    sub = _subtrees(ids)
    below = select(StockItem.id).where(StockItem.location_id.in_(select(sub.c.id)))
    if _count_upto(below, EXACT_LIMIT) <= EXACT_LIMIT:
        here = db.session.execute(select(StockItem.location_id, func.count()).where(StockItem.location_id.in_(ids))
                                  .group_by(StockItem.location_id)).all()
        within = db.session.execute(select(sub.c.root, func.count(StockItem.id)).select_from(sub)
                                    .join(StockItem, StockItem.location_id == sub.c.id).group_by(sub.c.root)).all()
        return dict(here), dict(within)
    here = {i: _count_upto(select(StockItem.id).where(StockItem.location_id == i), COUNT_CAP) for i in ids}
    within = {i: _count_upto(select(StockItem.id).where(StockItem.location_id.in_(
        select(sub.c.id).where(sub.c.root == i))), COUNT_CAP) for i in ids}
    return here, within


@dataclass
class StockWithin:
    """Stock items in a location and below it, each with where it is relative to that location."""

    items: list[StockItem]
    places: dict[int, str]  # by item id: "" for right here, else where below, e.g. "Shelf 2 / Bin 7"
    total: int  # exact up to COUNT_CAP, COUNT_CAP + 1 beyond

    @property
    def total_text(self) -> str:
        """The count as shown: "1,234" or "10,000+"."""
        return _shown(self.total)


def stock_within(location: StockLocation) -> StockWithin:
    """The stock in `location` and all its sub-locations: up to MAX_ITEMS, by place and then part name."""
    sub = _subtrees([location.id])
    in_tree = select(sub.c.id)
    total = _count_upto(select(StockItem.id).where(StockItem.location_id.in_(in_tree)), COUNT_CAP)
    # Bounded work however much is below: the page's items are picked from the first ITEMS_SCANNED the
    # location index gives (no order asked: sorting every item below a big location is what this avoids),
    # and only the MAX_ITEMS shown are loaded.
    scanned = select(StockItem.id).where(StockItem.location_id.in_(in_tree)).limit(ITEMS_SCANNED)
    rows = db.session.execute(
        db.select(StockItem, sub.c.path).join(sub, sub.c.id == StockItem.location_id).join(StockItem.part)
        .where(StockItem.id.in_(scanned)).options(contains_eager(StockItem.part))
        .order_by(sub.c.path != "", sub.c.path, Part.name_key, StockItem.id).limit(MAX_ITEMS)).all()
    places = {item.id: path for item, path in rows}
    # Shown by place as people read it (Bin 2 before Bin 10), each place's items by part name.
    shown = sorted((item for item, _ in rows), key=lambda item: (places[item.id] != "", natural_key(places[item.id])))
    return StockWithin(shown, places, total)
