"""Nutrition targets, unit preferences, workout sets, review steps and screen time, journal views

Revision ID: 0005_areas
Revises: 0004_goals
Create Date: 2026-11-24 20:44:34.311413

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_areas'
down_revision = '0004_goals'
branch_labels = None
depends_on = None

TARGETS = ('target_calories', 'target_protein_g', 'target_carbs_g', 'target_fat_g', 'target_fiber_g',
           'target_sugar_g', 'target_sodium_mg')


OLD_HEX = "color IS NULL OR (length(color) = 7 AND substr(color, 1, 1) = '#')"
NEW_HEX = ("color IS NULL OR (length(color) = 7 AND substr(color, 1, 1) = '#'"
           " AND ltrim(substr(color, 2), '0123456789abcdefABCDEF') = '')")


def _hex_check(condition: str) -> None:
    for table in ('habits', 'tags'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint('color_hex', type_='check')
            batch_op.create_check_constraint('color_hex', condition)


def upgrade():
    # Colors were checked for shape only; '#zzzzzz' got through. Bad ones already stored become NULL (the default).
    op.execute(f"UPDATE habits SET color = NULL WHERE NOT ({NEW_HEX})")
    op.execute(f"UPDATE tags SET color = NULL WHERE NOT ({NEW_HEX})")
    _hex_check(NEW_HEX)
    op.create_table('blog_entry_views',
    sa.Column('blog_entry_id', sa.Uuid(), nullable=False),
    sa.Column('visitor_key', sa.String(length=64), nullable=False),
    sa.Column('viewed_on', sa.Date(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['blog_entry_id'], ['blog_entries.id'], name=op.f('fk_blog_entry_views_blog_entry_id_blog_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blog_entry_views')),
    sa.UniqueConstraint('blog_entry_id', 'visitor_key', 'viewed_on', name=op.f('uq_blog_entry_views_blog_entry_id_visitor_key_viewed_on'))
    )
    op.create_table('workout_sets',
    sa.Column('workout_exercise_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('reps', sa.Integer(), nullable=True),
    sa.Column('weight', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('weight_unit', sa.String(length=3), nullable=True),
    sa.Column('set_type', sa.String(length=10), server_default='normal', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("set_type IN ('normal', 'warmup', 'drop', 'failure')", name=op.f('ck_workout_sets_set_type_allowed')),
    sa.CheckConstraint("weight_unit IS NULL OR weight_unit IN ('lbs', 'kg')", name=op.f('ck_workout_sets_weight_unit_allowed')),
    sa.CheckConstraint('position IS NULL OR position >= 0', name=op.f('ck_workout_sets_position_non_negative')),
    sa.CheckConstraint('reps IS NULL OR reps >= 0', name=op.f('ck_workout_sets_reps_non_negative')),
    sa.CheckConstraint('weight IS NULL OR weight >= 0', name=op.f('ck_workout_sets_weight_non_negative')),
    sa.ForeignKeyConstraint(['workout_exercise_id'], ['workout_exercises.id'], name=op.f('fk_workout_sets_workout_exercise_id_workout_exercises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workout_sets'))
    )
    with op.batch_alter_table('workout_sets', schema=None) as batch_op:
        batch_op.create_index('ix_workout_sets_exercise_position', ['workout_exercise_id', 'position'], unique=False)

    with op.batch_alter_table('daily_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('steps', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('screen_time_minutes', sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint('steps_non_negative', 'steps IS NULL OR steps >= 0')
        batch_op.create_check_constraint(
            'screen_time_minutes_range',
            'screen_time_minutes IS NULL OR (screen_time_minutes >= 0 AND screen_time_minutes <= 1440)')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weight_unit', sa.String(length=3), server_default='kg', nullable=False))
        batch_op.add_column(sa.Column('distance_unit', sa.String(length=5), server_default='km', nullable=False))
        batch_op.add_column(sa.Column('target_calories', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_protein_g', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_carbs_g', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_fat_g', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_fiber_g', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_sugar_g', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_sodium_mg', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('weight_unit_allowed', "weight_unit IN ('kg', 'lbs')")
        batch_op.create_check_constraint('distance_unit_allowed', "distance_unit IN ('km', 'miles')")
        for column in TARGETS:
            batch_op.create_check_constraint(f'{column}_non_negative', f'{column} IS NULL OR {column} >= 0')



def downgrade():
    _hex_check(OLD_HEX)
    with op.batch_alter_table('users', schema=None) as batch_op:
        for name in ('weight_unit_allowed', 'distance_unit_allowed', *(f'{c}_non_negative' for c in TARGETS)):
            batch_op.drop_constraint(name, type_='check')
        batch_op.drop_column('target_sodium_mg')
        batch_op.drop_column('target_sugar_g')
        batch_op.drop_column('target_fiber_g')
        batch_op.drop_column('target_fat_g')
        batch_op.drop_column('target_carbs_g')
        batch_op.drop_column('target_protein_g')
        batch_op.drop_column('target_calories')
        batch_op.drop_column('distance_unit')
        batch_op.drop_column('weight_unit')

    with op.batch_alter_table('daily_reviews', schema=None) as batch_op:
        batch_op.drop_constraint('screen_time_minutes_range', type_='check')
        batch_op.drop_constraint('steps_non_negative', type_='check')
        batch_op.drop_column('screen_time_minutes')
        batch_op.drop_column('steps')

    with op.batch_alter_table('workout_sets', schema=None) as batch_op:
        batch_op.drop_index('ix_workout_sets_exercise_position')

    op.drop_table('workout_sets')
    op.drop_table('blog_entry_views')
