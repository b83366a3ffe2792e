"""Notifications, notification settings and periodic job runs

Revision ID: 0008_notifications
Revises: 0007_search_indexes
Create Date: 2026-12-05 08:41:16.300819

Reminders and other notifications are rows: the unique (user_id, dedupe_key) makes every job that
creates one idempotent. job_runs remembers when the reminder job last looked, so a worker that was
down finds what it missed.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_notifications'
down_revision = '0007_search_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_runs',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    sa.UniqueConstraint('name', name=op.f('uq_job_runs_name'))
    )
    op.create_table('notification_settings',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('in_app_enabled', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('email_enabled', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('habit_reminders', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('review_reminders', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('goal_reminders', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('weekly_digest', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('review_reminder_time', sa.Time(), nullable=True),
    sa.Column('reminder_before_hours', sa.SmallInteger(), server_default=sa.text('24'), nullable=False),
    sa.Column('quiet_start', sa.Time(), nullable=True),
    sa.Column('quiet_end', sa.Time(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('reminder_before_hours IS NULL OR (reminder_before_hours >= 1 AND reminder_before_hours <= 720)', name=op.f('ck_notification_settings_reminder_before_hours_range')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_settings')),
    sa.UniqueConstraint('user_id', name=op.f('uq_notification_settings_user_id'))
    )
    op.create_table('notifications',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('dedupe_key', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=10), server_default='pending', nullable=False),
    sa.Column('in_app', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('email', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('is_read', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("kind IN ('habit', 'review', 'goal', 'digest', 'test')", name=op.f('ck_notifications_kind_allowed')),
    sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed', 'skipped')", name=op.f('ck_notifications_status_allowed')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_notifications_attempts_non_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'dedupe_key', name=op.f('uq_notifications_user_id_dedupe_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_status_updated', ['status', 'updated_at'], unique=False)
        batch_op.create_index('ix_notifications_user_scheduled', ['user_id', 'scheduled_at'], unique=False)



def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_scheduled')
        batch_op.drop_index('ix_notifications_status_updated')

    op.drop_table('notifications')
    op.drop_table('notification_settings')
    op.drop_table('job_runs')
