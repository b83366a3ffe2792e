"""Notifications: the list, read marks, settings, unsubscribe and the delivery of one email.

Every function takes the user first and touches only their rows.
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from manifest import queries
from manifest.auth.session import safe_next_url
from manifest.extensions import db
from manifest.models import Notification, NotificationSettings, User
from manifest.notifications import mail, pages, push, reminders

PAGE_SIZE = 50
SETTING_FIELDS = (
    "in_app_enabled", "email_enabled", "push_enabled", "habit_reminders", "review_reminders", "goal_reminders",
    "weekly_digest", "review_reminder_time", "reminder_before_hours", "quiet_start", "quiet_end",
)


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- the bell and the list -------------------------------------------------------------------

def _visible(user: User):
    return sa.and_(Notification.user_id == user.id, Notification.in_app)


def unread_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(
        _visible(user), sa.not_(Notification.is_read), Notification.status != "skipped")) or 0


def latest(user: User, limit: int = PAGE_SIZE) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(_visible(user))
                                   .order_by(Notification.scheduled_at.desc(), Notification.id).limit(limit)))


def mark_read(user: User, notification: Notification) -> None:
    notification.is_read = True
    db.session.commit()


def mark_all_read(user: User) -> int:
    result = db.session.execute(sa.update(Notification).where(
        Notification.user_id == user.id, sa.not_(Notification.is_read)).values(is_read=True))
    db.session.commit()
    return result.rowcount


def destination(notification: Notification) -> str | None:
    """Where opening it leads: only a path of this site, whatever the row says."""
    return safe_next_url(notification.link)


# --- settings ----------------------------------------------------------------------------------

def settings_row(user: User) -> NotificationSettings | None:
    return db.session.scalar(sa.select(NotificationSettings).where(NotificationSettings.user_id == user.id))


def current_settings(user: User) -> NotificationSettings:
    """The saved settings, or the defaults (not saved: reading never writes)."""
    row = settings_row(user)
    if row is not None:
        return row
    columns = NotificationSettings.__table__.c
    return NotificationSettings(user_id=user.id, **{
        name: columns[name].default.arg if columns[name].default is not None else None for name in SETTING_FIELDS
    })


def save_settings(user: User, values: dict) -> None:
    """One upsert: two tabs saving at once cannot make a second row."""
    changes = {name: values[name] for name in SETTING_FIELDS if name in values}
    statement = queries.insert(NotificationSettings).values(id=uuid.uuid4(), user_id=user.id, **changes)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["user_id"], set_={**changes, "updated_at": sa.func.now()}))
    db.session.commit()


def send_test(user: User) -> reminders.Deliveries:
    """A notification now on the user's channels: the email to send, if any, and one push per device."""
    row = settings_row(user)
    _, email = reminders.channels(user, row)
    now = utc_now()
    new_id = reminders.record(user, "test", f"test:{uuid.uuid4()}", pages.TEST_TEXT, now,
                              in_app=True, email=email, late=False, now=now)
    pushes = push.fan_out(user, new_id) if push.channel_on(row) else []
    db.session.commit()
    return reminders.Deliveries([new_id] if email else [], pushes)


# --- unsubscribe ---------------------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="notifications-unsubscribe")


def unsubscribe_token(user: User) -> str:
    return _serializer().dumps(str(user.id))


def user_for_token(token: str) -> User | None:
    """The user a signed unsubscribe token names; None when forged or the account is gone."""
    try:
        user_id = uuid.UUID(_serializer().loads(token))
    except (BadSignature, ValueError, TypeError):
        return None
    return db.session.get(User, user_id)


def unsubscribe(user: User) -> None:
    save_settings(user, {"email_enabled": False})


# --- delivering one email ----------------------------------------------------------------------

def claim(notification_id: uuid.UUID) -> bool:
    """Take a pending email for this delivery alone: one UPDATE, so two consumers (or a retry and a
    re-enqueued copy) cannot both send it."""
    result = db.session.execute(
        sa.update(Notification).where(Notification.id == notification_id, Notification.status == "pending")
        .values(status="sending", attempts=Notification.attempts + 1, updated_at=sa.func.now())
    )
    db.session.commit()
    return result.rowcount == 1


def _finish(notification_id: uuid.UUID, **values) -> None:
    db.session.execute(sa.update(Notification).where(Notification.id == notification_id)
                       .values(updated_at=sa.func.now(), **values))
    db.session.commit()


class DeliveryFailed(Exception):
    """The SMTP server refused or could not be reached; the task tries again later."""


def deliver_email(notification_id: uuid.UUID, retries_left: int) -> str:
    """Send one notification's email once. Returns what happened; raises DeliveryFailed when a
    later try should follow (the row is pending again)."""
    if not claim(notification_id):
        return "already handled"
    notification = db.session.get(Notification, notification_id)
    user = db.session.get(User, notification.user_id)
    row = settings_row(user)
    if row is not None and not row.email_enabled:
        _finish(notification_id, status="sent" if notification.in_app else "skipped", last_error=None)
        return "unsubscribed"
    try:
        mail.send(mail.build(notification, user, unsubscribe_token(user)))
    except Exception as error:  # a claimed row must never stay "sending": retry, then fail
        final = retries_left <= 0
        _finish(notification_id, status="failed" if final else "pending", last_error=str(error)[:300])
        if final:
            current_app.logger.warning("Email for notification %s failed for good: %s", notification_id, error)
            return "failed"
        raise DeliveryFailed(str(error)) from error
    _finish(notification_id, status="sent", sent_at=utc_now(), last_error=None)
    return "sent"
