"""Login failures, counted in the database so throttling holds across worker processes.

Revision ID: 0002_login_failures
Revises: 0001_initial
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_login_failures'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failures',
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("scope IN ('account', 'address')", name=op.f('ck_login_failures_scope_allowed')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_scope_key_created', ['scope', 'key', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_scope_key_created')

    op.drop_table('login_failures')
