"""Notifications (the in-app list and the delivery record of every reminder), each user's
notification settings, and the last run of each periodic job."""

import uuid
from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, between, counter, flag, one_of, owner_fk

NOTIFICATION_KINDS = ("habit", "review", "goal", "digest", "test")
# pending: waiting for its email; sending: claimed by one delivery; sent: delivered on every channel;
# failed: the email could not be sent after the last try; skipped: found too late to be worth sending.
NOTIFICATION_STATUSES = ("pending", "sending", "sent", "failed", "skipped")


class Notification(Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # The idempotency key of every job that creates one: a second run or consumer inserts nothing.
        sa.UniqueConstraint("user_id", "dedupe_key"),
        one_of("kind", NOTIFICATION_KINDS),
        one_of("status", NOTIFICATION_STATUSES),
        sa.CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        sa.Index("ix_notifications_user_scheduled", "user_id", "scheduled_at"),
        sa.Index("ix_notifications_status_updated", "status", "updated_at"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    kind: Mapped[str] = mapped_column(sa.String(10))
    dedupe_key: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(200))
    message: Mapped[str] = mapped_column(sa.Text)
    # A path inside the app (never another site): where the user acts on it.
    link: Mapped[str | None] = mapped_column(sa.String(300))
    scheduled_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", server_default="pending")
    in_app: Mapped[bool] = flag(True)
    email: Mapped[bool] = flag(False)
    attempts: Mapped[int] = counter()
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    is_read: Mapped[bool] = flag(False)
    # When a button of its push notification (Done, Skip, +1) was used: each works once.
    acted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class NotificationSettings(Model):
    """One row per user, written the first time they save the settings; absent means the defaults."""

    __tablename__ = "notification_settings"
    __table_args__ = (
        sa.UniqueConstraint("user_id"),
        between("reminder_before_hours", 1, 720),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    in_app_enabled: Mapped[bool] = flag(True)
    email_enabled: Mapped[bool] = flag(True)
    push_enabled: Mapped[bool] = flag(True)
    habit_reminders: Mapped[bool] = flag(True)
    review_reminders: Mapped[bool] = flag(True)
    goal_reminders: Mapped[bool] = flag(True)
    weekly_digest: Mapped[bool] = flag(True)
    # NULL: no review reminder (the user picks the evening time).
    review_reminder_time: Mapped[time | None]
    reminder_before_hours: Mapped[int] = mapped_column(sa.SmallInteger, default=24, server_default=sa.text("24"))
    quiet_start: Mapped[time | None]
    quiet_end: Mapped[time | None]


class JobRun(Model):
    """When a periodic job last finished, so the next run looks back exactly that far."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(sa.String(50), unique=True)
    last_run_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
