"""Body measurements and year in review sharing

Revision ID: 0014_measurements
Revises: 0013_push_subscriptions
Create Date: 2026-12-05 11:26:23.834285

A measurements log (weight, body fat, waist, each in the unit it was entered in) read by the body
page, Today's body region, snapshots and the weight goal sources; and year_reviews, the user's
choice to share a year in review as a public page (unique per user and year).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_measurements'
down_revision = '0013_push_subscriptions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('body_measurements',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('weight', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('weight_unit', sa.String(length=3), nullable=True),
    sa.Column('body_fat_percentage', sa.Numeric(precision=4, scale=1), nullable=True),
    sa.Column('waist', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('waist_unit', sa.String(length=2), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("waist_unit IS NULL OR waist_unit IN ('cm', 'in')", name=op.f('ck_body_measurements_waist_unit_allowed')),
    sa.CheckConstraint("weight_unit IS NULL OR weight_unit IN ('lbs', 'kg')", name=op.f('ck_body_measurements_weight_unit_allowed')),
    sa.CheckConstraint('body_fat_percentage IS NULL OR (body_fat_percentage >= 0 AND body_fat_percentage <= 100)', name=op.f('ck_body_measurements_body_fat_percentage_range')),
    sa.CheckConstraint('waist IS NULL OR waist >= 0', name=op.f('ck_body_measurements_waist_non_negative')),
    sa.CheckConstraint('waist IS NULL OR waist_unit IS NOT NULL', name=op.f('ck_body_measurements_waist_has_unit')),
    sa.CheckConstraint('weight IS NOT NULL OR body_fat_percentage IS NOT NULL OR waist IS NOT NULL', name=op.f('ck_body_measurements_something_measured')),
    sa.CheckConstraint('weight IS NULL OR weight >= 0', name=op.f('ck_body_measurements_weight_non_negative')),
    sa.CheckConstraint('weight IS NULL OR weight_unit IS NOT NULL', name=op.f('ck_body_measurements_weight_has_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_body_measurements_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_body_measurements'))
    )
    with op.batch_alter_table('body_measurements', schema=None) as batch_op:
        batch_op.create_index('ix_body_measurements_user_measured_on', ['user_id', 'measured_on'], unique=False)

    op.create_table('year_reviews',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('is_public', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('year IS NULL OR (year >= 1900 AND year <= 2999)', name=op.f('ck_year_reviews_year_range')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_year_reviews_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_year_reviews')),
    sa.UniqueConstraint('user_id', 'year', name=op.f('uq_year_reviews_user_id_year'))
    )


def downgrade():
    op.drop_table('year_reviews')
    with op.batch_alter_table('body_measurements', schema=None) as batch_op:
        batch_op.drop_index('ix_body_measurements_user_measured_on')

    op.drop_table('body_measurements')
