"""A repeated workout keeps the one-time key of the form that made it

Revision ID: 0010_workout_repeat_key
Revises: 0009_streak_before_period
Create Date: 2026-12-05 10:15:00.000000

"Repeat this workout" sends a key rendered with the page; unique per user, so the same form sent
twice (a double click, a resend) finds the copy already made instead of making another. NULL for
every workout not made by a repeat.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_workout_repeat_key'
down_revision = '0009_streak_before_period'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workouts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('repeat_key', sa.Uuid(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_workouts_user_id_repeat_key'), ['user_id', 'repeat_key'])


def downgrade():
    with op.batch_alter_table('workouts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_workouts_user_id_repeat_key'), type_='unique')
        batch_op.drop_column('repeat_key')
