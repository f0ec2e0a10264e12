"""Shared list pages: search `q`, whitelisted sort, pagination; a capped count and one page query."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from flask import request, url_for
from sqlalchemy import Select, func

from blueprints.shared.args import arg_number
from extensions import db
from services import search

PER_PAGE = 25
PAGE_SIZES = (25, 50, 100, 200)  # offered in the list's menu; any size up to the largest may be asked for
MAX_QUERY_LENGTH = 100
FEW_MATCHES = 500
# Counting stops here ("10,000+ found") and so does paging: a count or an OFFSET that walked a
# million rows would make the list as slow as the table is big.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class ListSpec:
    """How one model is listed: the base query, the searched columns and the sortable ones."""

    query: Callable[[], Select]
    search: tuple[Any, ...]
    sorts: dict[str, Any]
    default_sort: str
    tiebreak: Any
    options: tuple[Any, ...] = field(default=())
    # A joined table whose columns are searched -> the column of this query holding that table's id.
    search_keys: dict[str, Any] = field(default_factory=dict)

    def filtered(self, q: str, indexed: bool = True) -> Select:
        """The base query narrowed to rows where any searched column matches `q` (see services.search).

        `indexed` narrows through the search indexes first, which is what a search with few matches
        needs; without it each row is tested, which is quicker only when most rows match and the
        query walks a sort index until a page is full.
        """
        query = self.query()
        if q:
            if indexed:
                groups = search.groups(self.search, self.search_keys, self.tiebreak)
                query = query.where(self.tiebreak.in_(search.listed_ids(groups, self.tiebreak, q)))
            query = query.where(search.row_matches(self.search, q))
        return query

    def dense(self, q: str) -> tuple[bool, bool]:
        """Whether some searched table has over COUNT_CAP candidates, and whether that proves as many matches.

        Each probe stops after COUNT_CAP + 1 index entries; when the proof holds, the matches need no
        count of their own.
        """
        for group in search.groups(self.search, self.search_keys, self.tiebreak):
            if capped_count(group.candidates(q)) > COUNT_CAP:
                # The listed table's own candidates are its matches, except on SQLite where the FTS
                # index also folds non-ASCII case and LIKE does not.
                exact = group.key is self.tiebreak and (q.isascii() or not search.is_sqlite())
                return True, exact
        return False, False


@dataclass
class Page:
    """One page of a list, with what the template needs to draw links."""

    items: list
    total: int  # exact up to COUNT_CAP; COUNT_CAP + 1 means "more than COUNT_CAP"
    page: int
    per_page: int
    q: str
    sort: str
    endpoint: str
    extra_args: dict = field(default_factory=dict)

    @property
    def capped(self) -> bool:
        """Whether the count stopped at COUNT_CAP, so the true total is unknown and larger."""
        return self.total > COUNT_CAP

    @property
    def total_text(self) -> str:
        """The count as shown: "1,234" or "10,000+"."""
        return f"{COUNT_CAP:,}+" if self.capped else f"{self.total:,}"

    @property
    def pages(self) -> int:
        """How many pages can be shown (at least one; at most COUNT_CAP rows' worth)."""
        return max(1, -(-min(self.total, COUNT_CAP) // self.per_page))

    @property
    def first_index(self) -> int:
        """1-based number of the first row on this page."""
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        """1-based number of the last row on this page."""
        return min(self.total, self.page * self.per_page, COUNT_CAP)

    @property
    def page_sizes(self) -> list[int]:
        """The page sizes to offer: the usual ones and the one in use."""
        return sorted(set(PAGE_SIZES) | {self.per_page})

    def url(self, **changes) -> str:
        """This list's URL with some arguments changed (page, sort, q, per_page)."""
        per_page = self.per_page if self.per_page != PER_PAGE else None
        args = {**self.extra_args, "q": self.q or None, "sort": self.sort, "per_page": per_page, "page": self.page,
                **changes}
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
    """The first non-empty query argument of `names`, trimmed (a NUL never gets here: text_input.py)."""
    text = next((request.args[n] for n in names if request.args.get(n, "").strip()), "")
    return text.strip()[:MAX_QUERY_LENGTH]


def paginate(spec: ListSpec, endpoint: str, extra_args: dict | None = None) -> Page:
    """Read q, sort, page size and page from the request and fetch that page of `spec`."""
    sort = request.args.get("sort", spec.default_sort)
    if sort.removeprefix("-") not in spec.sorts:
        sort = spec.default_sort
    per_page = arg_number("per_page", PER_PAGE, minimum=1, maximum=PAGE_SIZES[-1])
    return fetch(spec, endpoint, search_text("q"), sort=sort, per_page=per_page, page=arg_number("page", 1, minimum=1),
                 extra_args=extra_args)


def fetch(spec: ListSpec, endpoint: str, q: str, *, sort: str | None = None, per_page: int = PER_PAGE, page: int = 1,
          extra_args: dict | None = None) -> Page:
    """One page of `spec` matching `q` in the order `sort` (a key of spec.sorts, "-" for descending)."""
    sort = sort or spec.default_sort
    total, query, walk = _narrow(spec, q)
    column = spec.sorts[sort.removeprefix("-")]
    if not walk:
        # Same order, but not the bare column: for the few matches of a search, walking the sort index
        # row by row until a page of them turns up is far slower than sorting just them.
        column = func.coalesce(column, column)
    order = column.desc() if sort.startswith("-") else column.asc()
    tiebreak = spec.tiebreak.desc() if sort.startswith("-") else spec.tiebreak.asc()
    pages = max(1, -(-min(total, COUNT_CAP) // per_page))
    page = min(page, pages)
    rows = db.session.scalars(
        query.options(*spec.options).order_by(order, tiebreak).limit(per_page).offset((page - 1) * per_page))
    return Page(list(rows.unique()), total, page, per_page, q, sort, endpoint, extra_args or {})


def top(spec: ListSpec, q: str, order: tuple, limit: int) -> list:
    """The first `limit` rows matching `q` in `order` (search as you type), as cheaply as a list page."""
    _total, query, walk = _narrow(spec, q)
    if not walk:
        order = tuple(func.coalesce(col, col) for col in order)
    return list(db.session.scalars(query.order_by(*order).limit(limit)).unique())


def capped_count(query: Select) -> int:
    """How many rows `query` gives, counting at most COUNT_CAP + 1 of them (select just an id: cheaper)."""
    limited = query.order_by(None).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(db.select(func.count()).select_from(limited)) or 0


def _narrow(spec: ListSpec, q: str) -> tuple[int, Select, bool]:
    """The (capped) count, the query for `q`, and whether the page query should walk the sort index.

    Without a search, or when a search matches very many rows, the page walks the sort index and
    stops after a page. Otherwise the search indexes find the matches; when there are at most
    FEW_MATCHES, their ids are collected once and the page query sorts just those.
    """
    if not q:
        query = spec.query()
        return capped_count(query.with_only_columns(spec.tiebreak)), query, True
    dense, proven = spec.dense(q)
    if dense:
        query = spec.filtered(q, indexed=False)
        return COUNT_CAP + 1 if proven else capped_count(query.with_only_columns(spec.tiebreak)), query, True
    query = spec.filtered(q)
    ids = db.session.scalars(query.with_only_columns(spec.tiebreak).order_by(None).limit(FEW_MATCHES + 1)).all()
    if len(ids) <= FEW_MATCHES:
        return len(ids), spec.query().where(spec.tiebreak.in_(ids)), False
    return capped_count(query.with_only_columns(spec.tiebreak)), query, False
