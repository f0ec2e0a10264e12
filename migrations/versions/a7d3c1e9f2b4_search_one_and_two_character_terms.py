"""search indexes for one- and two-character terms (a substring, as longer terms)

Revision ID: a7d3c1e9f2b4
Revises: 83304dd5c03d
Create Date: 2026-12-05 19:00:00.000000

A trigram index cannot serve a search shorter than three characters, so "L1" only found values
beginning with it. This adds an index for those terms, per searched table (services/search.py):

- SQLite: a second FTS5 trigram table `<table>_search_short` over the searched columns with a
  separator (U+001F) put before, between and after their characters: "L1-S2" is indexed as
  "␟L␟1␟-␟S␟2␟", so the two characters "L1" are the trigram "L␟1" and one character "L" is "␟L␟".
  Its content is the view `<table>_search_short_source` (which spells the values so); triggers keep
  it in step, the delete side BEFORE the change so the view still shows the old values.
- PostgreSQL: `search_short_grams(text)`, every one- and two-character piece of a value in lower
  case, and a GIN index on it per searched column (`ix_<table>_<column>_short_search`).

The names end in or start with `<table>_search` so the model comparison leaves them out
(services.search.is_search_machinery). A later SQLite batch migration of one of these tables drops
the triggers and must create them again (tests/integration/test_search_index.py fails otherwise).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7d3c1e9f2b4'
down_revision = '83304dd5c03d'
branch_labels = None
depends_on = None

# A frozen copy of services.search.SEARCHED as of this revision (migrations do not import app code).
SEARCHED = {
    "part": ("name", "ipn"),
    "stock_item": ("serial", "batch"),
    "supplier_part": ("sku", "mpn", "manufacturer_name"),
    "company": ("name", "description", "website"),
    "stock_location": ("name", "description"),
}
PG_FUNCTION = """
CREATE FUNCTION search_short_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(v.l, i, n)), '{}')
    FROM (SELECT lower(value) AS l) AS v, generate_series(1, char_length(v.l)) AS i, (VALUES (1), (2)) AS k(n)
    WHERE i + n - 1 <= char_length(v.l)
$$
"""


def _spaced(column):
    """SQL for the column's value with U+001F before, between and after its characters (NULL stays NULL)."""
    return (f"(WITH RECURSIVE g(i, s) AS (SELECT 0, char(31) UNION ALL "
            f"SELECT i + 1, s || substr(t.{column}, i + 1, 1) || char(31) FROM g WHERE i < length(t.{column})) "
            f"SELECT s FROM g WHERE i = length(t.{column}))")


def _sqlite_statements(table, columns):
    fts, source = f"{table}_search_short", f"{table}_search_short_source"
    cols = ", ".join(columns)
    select = f"SELECT id, {cols} FROM {source}"
    return [
        f"CREATE VIEW {source} AS SELECT t.id AS id, "
        + ", ".join(f"{_spaced(c)} AS {c}" for c in columns) + f" FROM {table} AS t",
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{source}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) {select} WHERE id = new.id; END",
        f"CREATE TRIGGER {fts}_delete BEFORE DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) SELECT 'delete', id, {cols} FROM {source} WHERE id = old.id; END",
        f"CREATE TRIGGER {fts}_update_old BEFORE UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) SELECT 'delete', id, {cols} FROM {source} WHERE id = old.id; END",
        f"CREATE TRIGGER {fts}_update_new AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) {select} WHERE id = new.id; END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table, columns in SEARCHED.items():
            for statement in _sqlite_statements(table, columns):
                op.execute(statement)
    elif dialect == "postgresql":
        op.execute(PG_FUNCTION)
        for table, columns in SEARCHED.items():
            for c in columns:
                op.execute(f"CREATE INDEX ix_{table}_{c}_short_search ON {table} USING gin (search_short_grams({c}))")


def downgrade():
    dialect = op.get_bind().dialect.name
    for table, columns in SEARCHED.items():
        if dialect == "sqlite":
            for trigger in ("insert", "delete", "update_old", "update_new"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_search_short_{trigger}")
            op.execute(f"DROP TABLE IF EXISTS {table}_search_short")
            op.execute(f"DROP VIEW IF EXISTS {table}_search_short_source")
        else:
            for c in columns:
                op.execute(f"DROP INDEX IF EXISTS ix_{table}_{c}_short_search")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS search_short_grams(text)")
