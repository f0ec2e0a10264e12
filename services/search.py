"""Substring search over model columns, served by search indexes instead of a scan of every row.

Each searched table has search machinery made by the migrations (see SEARCHED): on SQLite an FTS5
trigram table `<table>_search` kept in sync by triggers; on PostgreSQL a pg_trgm GIN index per column.
The index only proposes candidates; the same LIKE (SQLite) or ILIKE (PostgreSQL) as a plain scan
decides, so results are what they were before the indexes: a case-insensitive substring match.

A trigram index cannot serve a search of one or two characters, so those have an index of their
own (migration a7d3c1e9f2b4), and are a substring match too ("L1" finds "Shelf L1-3"): on SQLite a
second FTS5 trigram table `<table>_search_short` over the values with U+001F around each character,
where "L1" is the trigram "L␟1"; on PostgreSQL a GIN index on search_short_grams(column), the value's
one- and two-character pieces in lower case. Each searched column also has a NOCASE index on SQLite
(`equals`, a whole value in any case).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, column, func, literal, literal_column, or_, select, table
from sqlalchemy.dialects.postgresql import array

from extensions import db

MIN_TRIGRAM = 3
SPACER = "\x1f"  # what the short-term FTS tables put around each character (see the module docstring)
# What the migrations index for search, by table: every column a list page searches. A test checks
# that the lists search no column outside this, so a new searched column comes with its migration.
SEARCHED = {
    "part": ("name", "ipn"),
    "stock_item": ("serial", "batch"),
    "supplier_part": ("sku", "mpn", "manufacturer_name"),
    "company": ("name", "description", "website"),
    "stock_location": ("name", "description"),
}
SEARCH_SUFFIX = "_search"


def is_search_machinery(name: str | None) -> bool:
    """Whether a schema object belongs to the search indexes (kept by migrations, not models.py).

    Covers the FTS tables (`part_search`, `part_search_short`), their shadow tables
    (`part_search_data`, ...) and the per-column indexes (`ix_part_name_search`,
    `ix_part_name_short_search`).
    """
    return bool(name) and (name.endswith(SEARCH_SUFFIX) or any(
        name.startswith(f"{t}{SEARCH_SUFFIX}_") for t in SEARCHED))


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so `%` and `_` in a search match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def is_sqlite() -> bool:
    """Whether the session talks to SQLite."""
    return db.session.get_bind().dialect.name == "sqlite"


def pattern(q: str) -> str:
    """The LIKE pattern of a search: the text anywhere in the value."""
    return f"%{escape_like(q)}%"


def row_matches(columns: tuple[Any, ...], q: str) -> ColumnElement[bool]:
    """Whether any of `columns` matches `q`, checked row by row (the test that decides)."""
    like = pattern(q)
    # SQLite's LIKE already ignores ASCII case, and ilike() would wrap both sides in lower(), which
    # no index serves; PostgreSQL's ILIKE is what its trigram indexes serve.
    if is_sqlite():
        return or_(*(col.like(like, escape="\\") for col in columns))
    matches = or_(*(col.ilike(like, escape="\\") for col in columns))
    if len(q) >= MIN_TRIGRAM:
        return matches
    # No trigram in one or two characters: the GIN index of their pieces finds the rows, and the
    # planner can only use it when the condition is here, on the listed table itself.
    piece = array([func.lower(literal(q, String))])
    return or_(*(func.search_short_grams(col).op("@>")(piece) for col in columns)) & matches


def equals(column: Any, text: str) -> ColumnElement[bool]:
    """Whether `column` equals `text`, ignoring case as the search does; an index serves it (the NOCASE
    index on SQLite, the trigram index on PostgreSQL)."""
    exact = escape_like(text)
    return column.like(exact, escape="\\") if is_sqlite() else column.ilike(exact, escape="\\")


def _fts_phrase(q: str, names: tuple[str, ...]) -> str:
    """An FTS5 query: `q` as one phrase (a substring, for the trigram tokenizer) in some columns."""
    return "{%s} : \"%s\"" % (" ".join(names), q.replace('"', '""'))


def candidates(columns: tuple[Any, ...], q: str) -> Select:
    """Ids of the rows of the columns' table that may match `q`, found through its search index."""
    owner = columns[0].table
    short = len(q) < MIN_TRIGRAM
    if is_sqlite():
        fts = table(f"{owner.name}{SEARCH_SUFFIX}{'_short' if short else ''}", column("rowid"))
        phrase = spaced(q) if short else q
        match = literal_column(fts.name).op("MATCH")(_fts_phrase(phrase, tuple(c.key for c in columns)))
        return select(fts.c.rowid).where(match)
    return select(owner.c.id).where(row_matches(columns, q))


def spaced(q: str) -> str:
    """A one- or two-character search as the short-term FTS tables spell it: "L1" is "L␟1", "L" is "␟L␟"."""
    return SPACER.join(q) if len(q) == 2 else f"{SPACER}{q}{SPACER}"


@dataclass(frozen=True)
class SearchGroup:
    """Searched columns of one table, and the column of the listed query that holds that table's id."""

    key: Any
    columns: tuple[Any, ...]

    def candidates(self, q: str) -> Select:
        """Candidate ids of the searched table."""
        return candidates(self.columns, q)


def groups(columns: tuple[Any, ...], keys: dict[str, Any], own_key: Any) -> list[SearchGroup]:
    """The searched columns grouped by table; `keys` maps a joined table to the column naming its rows."""
    by_table: dict[str, list] = {}
    for col in columns:
        by_table.setdefault(col.table.name, []).append(col)
    return [SearchGroup(keys.get(name, own_key), tuple(cols)) for name, cols in by_table.items()]


def listed_ids(search_groups: list[SearchGroup], own_key: Any, q: str) -> Select:
    """Ids of the listed rows whose searched tables have candidates for `q` (one UNION of index lookups)."""
    parts = [select(own_key).where(g.key.in_(g.candidates(q))) if g.key is not own_key else g.candidates(q)
             for g in search_groups]
    return parts[0] if len(parts) == 1 else parts[0].union(*parts[1:])
