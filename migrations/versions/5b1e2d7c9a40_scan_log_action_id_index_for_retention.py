"""scan_log (action, id): retention prunes lookups apart from the rows of changes

Revision ID: 5b1e2d7c9a40
Revises: b7e4c1d9a2f3
Create Date: 2026-12-02 10:00:00.000000

services.scanlog.prune() deletes lookup scans (action 'navigate' or '') by count and age while rows
of changes are kept longer; this index lets it seek to the old lookups of each action instead of
walking past years of kept changes.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5b1e2d7c9a40'
down_revision = 'b7e4c1d9a2f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_scan_log_action_id', 'scan_log', ['action', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_scan_log_action_id', table_name='scan_log')
