"""The schema is made by the migrations, and the migrations match the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from extensions import db
from services.search import is_search_machinery


def test_migrated_schema_equals_models(app):
    """Autogenerate against the migrated database finds nothing to change.

    The search indexes are left out, as migrations/env.py leaves them out of autogenerate: models.py
    cannot declare an FTS table or a dialect-only index (tests/integration/test_search_index.py
    checks them instead).
    """
    def include_name(name, type_, parent_names):
        return not is_search_machinery(name)

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True,
                                                         "include_name": include_name})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_every_model_table_exists(app):
    """Every table the models declare was created by the migrations."""
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_sqlite_runs_with_wal_and_foreign_keys(app):
    """SQLite connections have WAL and foreign keys on."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
