"""printers and print jobs: labels sent straight to Zebra, Brother QL and CUPS printers

Revision ID: d4f1a2b3c5e6
Revises: 5b1e2d7c9a40
Create Date: 2026-12-05 21:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f1a2b3c5e6'
down_revision = '5b1e2d7c9a40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'printer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('address', sa.String(length=300), nullable=False),
        sa.Column('media_width_mm', sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column('media_height_mm', sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column('dpi', sa.Integer(), nullable=False),
        sa.Column('model', sa.String(length=40), nullable=False),
        sa.Column('default_templates', sa.JSON(), nullable=False),
        sa.Column('is_default', sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('zpl', 'brother_ql', 'cups')", name='ck_printer_kind'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_table(
        'print_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('printer_id', sa.Integer(), nullable=True),
        sa.Column('printer_name', sa.String(length=100), nullable=False),
        sa.Column('template_id', sa.Integer(), nullable=True),
        sa.Column('object_type', sa.String(length=20), nullable=False),
        sa.Column('object_ids', sa.JSON(), nullable=False),
        sa.Column('copies', sa.Integer(), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('labels', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('is_test', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['printer_id'], ['printer.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['template_id'], ['label_template.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_print_job_created_at', 'print_job', ['created_at'], unique=False)
    op.create_index('ix_print_job_printer_id', 'print_job', ['printer_id'], unique=False)
    op.create_index('ix_print_job_user_id', 'print_job', ['user_id'], unique=False)


def downgrade():
    op.drop_index('ix_print_job_user_id', table_name='print_job')
    op.drop_index('ix_print_job_printer_id', table_name='print_job')
    op.drop_index('ix_print_job_created_at', table_name='print_job')
    op.drop_table('print_job')
    op.drop_table('printer')
