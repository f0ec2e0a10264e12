"""search indexes for the list pages; scan_log (user_id, id) for the history's user filter

Revision ID: 83304dd5c03d
Revises: c9c57e68d21d
Create Date: 2026-11-27 11:20:00.000000

The list pages' substring search scanned every row. SQLite gets an FTS5 trigram table per searched
table (external content, kept in sync by triggers) and a NOCASE index per searched column for
searches too short for trigrams (a prefix match); PostgreSQL gets a pg_trgm GIN index per searched
column, which serves ILIKE for both. These objects are named `*_search*` and are left out of the
models/schema comparison (services.search.is_search_machinery): models.py cannot declare them.

SQLite batch migrations copy and drop a table, which drops its triggers: a later migration that
batch-alters one of these tables must create its `*_search_*` triggers again
(tests/integration/test_search_index.py fails otherwise).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '83304dd5c03d'
down_revision = 'c9c57e68d21d'
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


def _sqlite_statements(table, columns):
    fts = f"{table}_search"
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete_old = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert_new = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert_new} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete_old} END",
        # Only when a searched column is set: the 'delete' must be given the values that were indexed.
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {cols} ON {table} BEGIN {delete_old} {insert_new} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ] + [f"CREATE INDEX ix_{table}_{c}_search ON {table} ({c} COLLATE NOCASE)" for c in columns]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        import sqlite3
        if sqlite3.sqlite_version_info < (3, 34):
            raise RuntimeError(f"SQLite {sqlite3.sqlite_version} has no FTS5 trigram tokenizer (3.34 or later has)")
        for table, columns in SEARCHED.items():
            for statement in _sqlite_statements(table, columns):
                op.execute(statement)
    elif dialect == "postgresql":
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, columns in SEARCHED.items():
            for c in columns:
                op.execute(f"CREATE INDEX ix_{table}_{c}_search ON {table} USING gin ({c} gin_trgm_ops)")

    # The history filtered by user pages newest-first by id: (user_id, id) serves that on PostgreSQL
    # (SQLite's index on user_id already ends in the rowid).
    op.drop_index("ix_scan_log_user_id", table_name="scan_log")
    op.create_index("ix_scan_log_user_id_id", "scan_log", ["user_id", "id"], unique=False)


def downgrade():
    op.drop_index("ix_scan_log_user_id_id", table_name="scan_log")
    op.create_index("ix_scan_log_user_id", "scan_log", ["user_id"], unique=False)
    dialect = op.get_bind().dialect.name
    for table, columns in SEARCHED.items():
        for c in columns:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_{c}_search")
        if dialect == "sqlite":
            for trigger in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_search_{trigger}")
            op.execute(f"DROP TABLE IF EXISTS {table}_search")
    # pg_trgm stays: other databases objects may use it, and it is harmless.
