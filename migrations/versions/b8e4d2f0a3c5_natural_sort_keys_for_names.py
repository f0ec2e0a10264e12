"""natural sort keys for part, location and company names (10R after 2R)

Revision ID: b8e4d2f0a3c5
Revises: a7d3c1e9f2b4
Create Date: 2026-12-05 19:30:00.000000

Lists sorted by name put "10R" before "2R". Each named table gets `name_key`, the name case-folded
with every run of digits written as its length and then its digits (models.natural_key), compared
byte by byte ("C" collation on PostgreSQL), and an index on (name_key, id) that a list walks page by
page. The ORM keeps the key (models.NaturalNameMixin); existing rows get theirs here, in batches.
Plain ALTER TABLE ADD COLUMN, not a batch migration: that would drop the search triggers.
"""
import re

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b8e4d2f0a3c5'
down_revision = 'a7d3c1e9f2b4'
branch_labels = None
depends_on = None

TABLES = ("part", "stock_location", "company")
LENGTH = 200
BATCH = 5000
_DIGITS = re.compile(r"[0-9]+")


def _number_key(match):
    digits = match.group().lstrip("0") or "0"
    length = len(digits)
    return f"{length}{digits}" if length < 10 else f":{length:02d}{digits}" if length < 100 else f";{length:03d}{digits}"


def natural_key(name):
    """A frozen copy of models.natural_key as of this revision (migrations do not import app code)."""
    return _DIGITS.sub(_number_key, (name or "").casefold())[:LENGTH]


def _fill(table):
    """Set name_key on every existing row, BATCH rows at a time, in id order."""
    conn = op.get_bind()
    rows = sa.table(table, sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("name_key", sa.String))
    update = rows.update().where(rows.c.id == sa.bindparam("row_id")).values(name_key=sa.bindparam("key"))
    last = 0
    while True:
        batch = conn.execute(sa.select(rows.c.id, rows.c.name).where(rows.c.id > last)
                             .order_by(rows.c.id).limit(BATCH)).all()
        if not batch:
            return
        conn.execute(update, [{"row_id": row.id, "key": natural_key(row.name)} for row in batch])
        last = batch[-1].id


def upgrade():
    key_type = sa.String(LENGTH).with_variant(sa.String(LENGTH, collation="C"), "postgresql")
    for table in TABLES:
        op.add_column(table, sa.Column("name_key", key_type, server_default="", nullable=False))
        _fill(table)
        op.create_index(f"ix_{table}_name_key", table, ["name_key", "id"], unique=False)


def downgrade():
    for table in TABLES:
        op.drop_index(f"ix_{table}_name_key", table_name=table)
        # Not a batch migration (it would drop the search triggers): SQLite has DROP COLUMN since 3.35.
        op.execute(f"ALTER TABLE {table} DROP COLUMN name_key")
