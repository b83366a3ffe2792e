"""Keep the longest streak before the open period, so a check-in today needs no history

Revision ID: 0009_streak_before_period
Revises: 0008_notifications
Create Date: 2026-12-05 09:00:00.000000

NULL until a habit's streaks are next computed from its whole history; until then a check-in
that undoes today's success recomputes from the history, as every check-in did before.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_streak_before_period'
down_revision = '0008_notifications'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('habits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('longest_before_period', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'longest_before_period_non_negative', 'longest_before_period IS NULL OR longest_before_period >= 0'
        )


def downgrade():
    with op.batch_alter_table('habits', schema=None) as batch_op:
        batch_op.drop_constraint('longest_before_period_non_negative', type_='check')
        batch_op.drop_column('longest_before_period')
