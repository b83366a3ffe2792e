"""Exports and imports of a user's data, and a habit's imported rhythm

Revision ID: 0012_data_exports
Revises: 0011_api_tokens
Create Date: 2026-12-05 11:45:00.000000

data_exports and data_imports are jobs with their progress; imported_rows remembers every row an
import made under the id it had in the file, so the same file imported twice adds nothing. A habit
from Loop Habit Tracker keeps its rhythm ("2 times in 3 days") for the strength score.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_data_exports'
down_revision = '0011_api_tokens'
branch_labels = None
depends_on = None


def _job_columns():
    return [
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('status', sa.String(length=10), server_default='queued', nullable=False),
        sa.Column('done_units', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
        sa.Column('total_units', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def upgrade():
    op.create_table(
        'data_exports',
        *_job_columns(),
        sa.Column('file_name', sa.String(length=100), nullable=True),
        sa.Column('file_size', sa.BigInteger(), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('error', sa.String(length=300), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')",
                           name=op.f('ck_data_exports_status_allowed')),
        sa.CheckConstraint('done_units IS NULL OR done_units >= 0', name=op.f('ck_data_exports_done_units_non_negative')),
        sa.CheckConstraint('total_units IS NULL OR total_units >= 0',
                           name=op.f('ck_data_exports_total_units_non_negative')),
        sa.CheckConstraint('file_size IS NULL OR file_size >= 0', name=op.f('ck_data_exports_file_size_non_negative')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_data_exports_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_exports')),
    )
    op.create_index('ix_data_exports_user_created', 'data_exports', ['user_id', 'created_at'], unique=False)

    op.create_table(
        'data_imports',
        *_job_columns(),
        sa.Column('source', sa.String(length=20), nullable=True),
        sa.Column('label', sa.String(length=255), nullable=False),
        sa.Column('upload_name', sa.String(length=100), nullable=True),
        sa.Column('file_size', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
        sa.Column('preview', sa.JSON(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "status IN ('uploaded', 'ready', 'refused', 'queued', 'running', 'done', 'failed', 'cancelled')",
            name=op.f('ck_data_imports_status_allowed')),
        sa.CheckConstraint("source IS NULL OR source IN ('manifest', 'loop', 'habitbull', 'strong')",
                           name=op.f('ck_data_imports_source_allowed')),
        sa.CheckConstraint('done_units IS NULL OR done_units >= 0', name=op.f('ck_data_imports_done_units_non_negative')),
        sa.CheckConstraint('total_units IS NULL OR total_units >= 0',
                           name=op.f('ck_data_imports_total_units_non_negative')),
        sa.CheckConstraint('file_size IS NULL OR file_size >= 0', name=op.f('ck_data_imports_file_size_non_negative')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_data_imports_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_imports')),
    )
    op.create_index('ix_data_imports_user_created', 'data_imports', ['user_id', 'created_at'], unique=False)

    op.create_table(
        'imported_rows',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('area', sa.String(length=30), nullable=False),
        sa.Column('source_id', sa.Uuid(), nullable=False),
        sa.Column('row_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_imported_rows_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_rows')),
        sa.UniqueConstraint('user_id', 'area', 'source_id', name=op.f('uq_imported_rows_user_id_area_source_id')),
    )

    with op.batch_alter_table('habits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rhythm_times', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('rhythm_days', sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_habits_rhythm_valid'),
            "(rhythm_times IS NULL AND rhythm_days IS NULL)"
            " OR (rhythm_times IS NOT NULL AND rhythm_days IS NOT NULL"
            " AND rhythm_times >= 1 AND rhythm_days >= rhythm_times AND rhythm_days <= 366)")


def downgrade():
    with op.batch_alter_table('habits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_habits_rhythm_valid'), type_='check')
        batch_op.drop_column('rhythm_days')
        batch_op.drop_column('rhythm_times')
    op.drop_table('imported_rows')
    op.drop_index('ix_data_imports_user_created', table_name='data_imports')
    op.drop_table('data_imports')
    op.drop_index('ix_data_exports_user_created', table_name='data_exports')
    op.drop_table('data_exports')
