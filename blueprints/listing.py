"""Shared list pages: search `q`, whitelisted sort, pagination; one count and one page query."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from flask import request, url_for
from sqlalchemy import Select, func, or_

from extensions import db

PER_PAGE = 25
MAX_QUERY_LENGTH = 100
FEW_MATCHES = 500


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so `%` and `_` in a search match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class ListSpec:
    """How one model is listed: the base query, the searched columns and the sortable ones."""

    query: Callable[[], Select]
    search: tuple[Any, ...]
    sorts: dict[str, Any]
    default_sort: str
    tiebreak: Any
    options: tuple[Any, ...] = field(default=())

    def filtered(self, q: str) -> Select:
        """The base query narrowed to rows where any searched column contains `q`."""
        query = self.query()
        if q:
            pattern = f"%{escape_like(q)}%"
            # SQLite's LIKE already ignores ASCII case and ilike() would wrap both sides in lower(),
            # which makes a search of 100000 rows three times slower.
            sqlite = db.session.get_bind().dialect.name == "sqlite"
            query = query.where(or_(*(col.like(pattern, escape="\\") if sqlite else col.ilike(pattern, escape="\\")
                                      for col in self.search)))
        return query


@dataclass
class Page:
    """One page of a list, with what the template needs to draw links."""

    items: list
    total: int
    page: int
    per_page: int
    q: str
    sort: str
    endpoint: str
    extra_args: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def first_index(self) -> int:
        """1-based number of the first row on this page."""
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        """1-based number of the last row on this page."""
        return min(self.total, self.page * self.per_page)

    def url(self, **changes) -> str:
        """This list's URL with some arguments changed (page, sort, q)."""
        args = {**self.extra_args, "q": self.q or None, "sort": self.sort, "page": self.page, **changes}
        args = {k: v for k, v in args.items() if v not in (None, "")}
        if args.get("page") == 1:
            args.pop("page")
        return url_for(self.endpoint, **args)

    def sort_url(self, key: str) -> str:
        """The URL that sorts by `key`, flipping direction if already sorted by it."""
        return self.url(sort=f"-{key}" if self.sort == key else key, page=None)

    def sort_mark(self, key: str) -> str:
        """An arrow showing whether the list is sorted by `key`."""
        return {key: "▲", f"-{key}": "▼"}.get(self.sort, "")

    def aria_sort(self, key: str) -> str:
        """The aria-sort value of a column header."""
        return {key: "ascending", f"-{key}": "descending"}.get(self.sort, "none")


def search_text(*names: str) -> str:
    """The first non-empty query argument of `names`, trimmed; NUL removed (PostgreSQL text cannot hold it)."""
    text = next((request.args[n] for n in names if request.args.get(n, "").strip()), "")
    return text.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]


def _int_arg(name: str, default: int) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) < 10 else default


def paginate(spec: ListSpec, endpoint: str, extra_args: dict | None = None) -> Page:
    """Read q, sort and page from the request and fetch that page of `spec`."""
    q = search_text("q")
    sort = request.args.get("sort", spec.default_sort)
    if sort.removeprefix("-") not in spec.sorts:
        sort = spec.default_sort
    column = spec.sorts[sort.removeprefix("-")]
    if q:
        # Same order, but not the bare column: for a search, walking the sort index row by row until a
        # page of matches turns up is far slower than scanning once and sorting the matches.
        column = func.coalesce(column, column)
    order = column.desc() if sort.startswith("-") else column.asc()
    tiebreak = spec.tiebreak.desc() if sort.startswith("-") else spec.tiebreak.asc()

    query = spec.filtered(q)
    total, query = _count(spec, query, q)
    per_page = PER_PAGE
    pages = max(1, -(-total // per_page))
    page = min(max(1, _int_arg("page", 1)), pages)
    rows = db.session.scalars(
        query.options(*spec.options).order_by(order, tiebreak).limit(per_page).offset((page - 1) * per_page))
    return Page(list(rows.unique()), total, page, per_page, q, sort, endpoint, extra_args or {})


def _count(spec: ListSpec, query: Select, q: str) -> tuple[int, Select]:
    """Count the rows of `query`; for a search with few matches also narrow it to their ids.

    A search is a scan of every row. When it matches few rows, walking the sort index for them would
    scan again row by row; so one scan collects up to FEW_MATCHES ids, and the page query sorts just those.
    """
    if q:
        ids = db.session.scalars(query.with_only_columns(spec.tiebreak).order_by(None).limit(FEW_MATCHES + 1)).all()
        if len(ids) <= FEW_MATCHES:
            return len(ids), spec.query().where(spec.tiebreak.in_(ids))
    total = db.session.scalar(db.select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return total, query
