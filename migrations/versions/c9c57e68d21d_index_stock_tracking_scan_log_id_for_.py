"""index stock_tracking.scan_log_id for scan-log pruning

Revision ID: c9c57e68d21d
Revises: 30f2aa13a1b8
Create Date: 2026-11-27 08:22:48.739824

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9c57e68d21d'
down_revision = '30f2aa13a1b8'
branch_labels = None
depends_on = None


def upgrade():
    # Deleting scan-log rows sets stock_tracking.scan_log_id to NULL; without this index every
    # deleted scan scans the whole stock_tracking table.
    with op.batch_alter_table('stock_tracking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_tracking_scan_log_id'), ['scan_log_id'], unique=False)


def downgrade():
    with op.batch_alter_table('stock_tracking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_tracking_scan_log_id'))
