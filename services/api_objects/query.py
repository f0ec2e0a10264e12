"""The machinery of the API's list endpoints: typed filters, search, ordering and one page.

Each list is declared once (lists.py) as a ListSpec: which query parameters filter and how, which
only change what an answer includes (`flags`, such as part_detail), and how it may be ordered. A
parameter that is neither is a concept Shelfscan does not have, and the answer is an empty page,
never every row: the InvenTree app asks `part/?variant_of=12` to count a part's variants, and all
parts would read as fifty variants.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from sqlalchemy import func, or_

from extensions import db

# A filter's answer meaning "nothing can match" (a concept we lack, asked for positively).
EMPTY = object()
KINDS = ("bool", "ref", "id", "int", "text")
NULL = None  # a "ref" filter given "null": rows where the reference is not set


@dataclass(frozen=True)
class Filter:
    """One query parameter that narrows a list: how its text is read, and what it does."""

    kind: str
    apply: Callable[[Any, Any, Mapping[str, Any]], Any]  # (query, value, all values) -> query or EMPTY

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown filter kind {self.kind!r}")


@dataclass(frozen=True)
class ListSpec:
    """How one object list is queried."""

    base: Callable[[], Any]
    tiebreak: Any
    search: tuple = ()
    filters: Mapping[str, Filter] = field(default_factory=dict)
    orderings: Mapping[str, tuple] = field(default_factory=dict)
    default_order: tuple = ()
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ListQuery:
    """A list request, read and typed: filter values by name, parameters nobody knows, paging."""

    values: Mapping[str, Any] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()
    search: str = ""
    ordering: tuple[str, ...] = ()
    limit: int = 100
    offset: int = 0


@dataclass
class Page:
    """One page of rows and how many match in all."""

    count: int
    rows: list


def like(term: str) -> str:
    """A case-insensitive LIKE pattern that matches `term` literally."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def searched(query, columns, term: str):
    """Rows where every word of `term` is in one of `columns` (case-insensitive), as InvenTree searches."""
    for word in term.split():
        pattern = like(word)
        query = query.where(or_(*(func.lower(func.coalesce(column, "")).like(pattern, escape="\\")
                                  for column in columns)))
    return query


def order_keys(ordering: tuple[str, ...], known: Mapping[str, Any]) -> list[tuple[Any, bool]]:
    """(key's value in `known`, descending) for each known ordering key; others are ignored, as
    Django REST framework ignores them. A '+' sent unencoded arrives as a space: it is stripped."""
    keys = []
    for raw in ordering:
        name = raw.strip().lstrip("+")
        descending = name.startswith("-")
        name = name.lstrip("-")
        if name in known:
            keys.append((known[name], descending))
    return keys


def filtered(spec: ListSpec, request: ListQuery):
    """The spec's query with the request's filters and search applied, or EMPTY."""
    if request.unknown:
        return EMPTY
    query = spec.base()
    for name, value in request.values.items():
        query = spec.filters[name].apply(query, value, request.values)
        if query is EMPTY:
            return EMPTY
    if request.search.strip():
        query = searched(query, spec.search, request.search)
    return query


def run(spec: ListSpec, request: ListQuery) -> Page:
    """One page of a list: count, then the ordered rows of the page."""
    query = filtered(spec, request)
    if query is EMPTY:
        return Page(0, [])
    count = db.session.execute(db.select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    columns = []
    for expressions, descending in order_keys(request.ordering, spec.orderings) or [(spec.default_order, False)]:
        columns += [column.desc() if descending else column.asc() for column in expressions]
    rows = db.session.execute(query.order_by(*columns, spec.tiebreak).limit(request.limit).offset(request.offset))
    return Page(count, list(rows.scalars().unique()))


def empty_if_true(query, value, _values):
    """A boolean filter on a concept Shelfscan lacks: asking for it matches nothing, its absence everything."""
    return EMPTY if value else query


def empty_if_false(query, value, _values):
    """A boolean filter on something every row is: asking for its absence matches nothing."""
    return query if value else EMPTY


def empty_unless_null(query, value, _values):
    """A reference to a concept Shelfscan lacks: 'null' (not set) matches every row, an id none."""
    return query if value is NULL else EMPTY


LACKED_TRUE = Filter("bool", empty_if_true)
ALWAYS_TRUE = Filter("bool", empty_if_false)
LACKED_REF = Filter("ref", empty_unless_null)
NO_OP_BOOL = Filter("bool", lambda query, _value, _values: query)
