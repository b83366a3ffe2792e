"""Goals: life goals, milestones, and how progress is measured (entries, milestones, sub-goals, a source)

Revision ID: 0004_goals
Revises: 0003_habit_schedules
Create Date: 2026-11-24 18:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_goals'
down_revision = '0003_habit_schedules'
branch_labels = None
depends_on = None

PERIOD_TYPES = "'daily', 'weekly', 'monthly', 'yearly'"


def upgrade():
    op.create_table('goal_milestones',
    sa.Column('goal_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('position', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('position IS NULL OR position >= 0', name=op.f('ck_goal_milestones_position_non_negative')),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_goal_milestones_goal_id_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_milestones'))
    )
    with op.batch_alter_table('goal_milestones', schema=None) as batch_op:
        batch_op.create_index('ix_goal_milestones_goal_position', ['goal_id', 'position'], unique=False)

    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('measure', sa.String(length=20), server_default='entries', nullable=False))
        batch_op.add_column(sa.Column('rollup', sa.String(length=10), server_default='average', nullable=False))
        batch_op.add_column(sa.Column('source_key', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('source_id', sa.Uuid(), nullable=True))
        # A long-term "life" goal has no fixed period.
        batch_op.drop_constraint('goal_type_allowed', type_='check')
        batch_op.create_check_constraint('goal_type_allowed', f"goal_type IN ({PERIOD_TYPES}, 'life')")
        batch_op.create_check_constraint(
            'measure_allowed', "measure IN ('entries', 'milestones', 'children', 'source')")
        batch_op.create_check_constraint('rollup_allowed', "rollup IN ('average', 'sum')")
        batch_op.create_check_constraint(
            'source_linked', "measure != 'source' OR (source_key IS NOT NULL AND source_id IS NOT NULL)")
        batch_op.create_check_constraint('life_not_recurring', "goal_type != 'life' OR NOT is_recurring")


def downgrade():
    # The old schema knows no life goals: keep them, as the longest period it has.
    op.execute("UPDATE goals SET goal_type = 'yearly' WHERE goal_type = 'life'")
    with op.batch_alter_table('goals', schema=None) as batch_op:
        for name in ('life_not_recurring', 'source_linked', 'rollup_allowed', 'measure_allowed', 'goal_type_allowed'):
            batch_op.drop_constraint(name, type_='check')
        batch_op.create_check_constraint('goal_type_allowed', f"goal_type IN ({PERIOD_TYPES})")
        batch_op.drop_column('source_id')
        batch_op.drop_column('source_key')
        batch_op.drop_column('rollup')
        batch_op.drop_column('measure')

    with op.batch_alter_table('goal_milestones', schema=None) as batch_op:
        batch_op.drop_index('ix_goal_milestones_goal_position')

    op.drop_table('goal_milestones')
