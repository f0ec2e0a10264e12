"""The location tree in memory, from one query: paths, depths and sub-trees without a query per level.

Locations are few (hundreds, rarely thousands), so reading (id, name, parent) once is cheaper and
simpler than a recursive query for each question. A loop in the data (which the services refuse to
create) cannot hang a walk: every walk stops at a location it has already seen.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from extensions import db
from models import StockLocation

SEPARATOR = " / "  # as StockLocation.title_of joins names


@dataclass
class LocationTree:
    """Every location's name and parent, with the walks the lists and filters need."""

    names: dict[int, str]
    parents: dict[int, int | None]
    children: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))
    _paths: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for location_id, parent_id in self.parents.items():
            self.children[parent_id if parent_id in self.names else None].append(location_id)

    def chain(self, location_id: int) -> list[int]:
        """The ids from the root down to `location_id` (itself last)."""
        chain, node, seen = [], location_id, set()
        while node is not None and node in self.names and node not in seen:
            seen.add(node)
            chain.append(node)
            node = self.parents.get(node)
        return chain[::-1]

    def path(self, location_id: int) -> str:
        """'Building A / Lab / Shelf 2'."""
        if location_id not in self._paths:
            self._paths[location_id] = SEPARATOR.join(self.names[node] for node in self.chain(location_id))
        return self._paths[location_id]

    def level(self, location_id: int) -> int:
        """0 for a top-level location, 1 for its children, and so on."""
        return len(self.chain(location_id)) - 1

    def below(self, location_id: int, *, include_self: bool = False) -> set[int]:
        """Every location under `location_id`, at any depth (and itself when asked)."""
        found: set[int] = {location_id} if include_self else set()
        todo = [location_id]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                if child not in found and child != location_id:
                    found.add(child)
                    todo.append(child)
        return found

    def totals(self, direct: dict[int, int]) -> dict[int, int]:
        """Each location's number with all its sub-locations' added (children before parents)."""
        totals: dict[int, int] = {}
        order, todo, seen = [], list(self.roots()), set()
        while todo:  # depth-first, recording each location once
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                order.append(node)
                todo.extend(self.children.get(node, ()))
        for node in reversed(order):
            totals[node] = direct.get(node, 0) + sum(totals.get(child, 0) for child in self.children.get(node, ())
                                                     if child in seen and child != node)
        return totals

    def roots(self) -> list[int]:
        """The top-level locations."""
        return list(self.children.get(None, ()))


def load_tree() -> LocationTree:
    """The whole tree, from one query."""
    rows = db.session.execute(db.select(StockLocation.id, StockLocation.name, StockLocation.parent_id)).all()
    return LocationTree(names={row.id: row.name for row in rows}, parents={row.id: row.parent_id for row in rows})
