"""server-side sessions; longer sign-in throttle keys; user.session_version goes

Revision ID: b7e4c1d9a2f3
Revises: b8e4d2f0a3c5
Create Date: 2026-12-05 19:00:00.000000

Signing out must end a session for every copy of its cookies, so sessions live in `user_session`
(services/sessions.py) and the per-user session_version they replace is dropped. It is dropped with
a plain ALTER TABLE (SQLite 3.35+ and PostgreSQL alike): a batch migration would copy and drop the
`user` table, and with foreign keys on, dropping it would fire the ON DELETE actions of every table
that points at users. The throttle keys grow to hold a username and an address together.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e4c1d9a2f3'
down_revision = 'b8e4d2f0a3c5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_user_session_key_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)
    op.execute('ALTER TABLE "user" DROP COLUMN session_version')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.alter_column('key', existing_type=sa.String(length=120), type_=sa.String(length=200),
                              existing_nullable=False)


def downgrade():
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.alter_column('key', existing_type=sa.String(length=200), type_=sa.String(length=120),
                              existing_nullable=False)
    op.add_column('user', sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
        batch_op.drop_index(batch_op.f('ix_user_session_created_at'))
    op.drop_table('user_session')
