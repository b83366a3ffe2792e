"""Web Push: the devices (browser push subscriptions) of each user, and the delivery of each
notification to each device."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, counter, one_of, owner_fk

# pending: waiting to be sent; sending: claimed by one delivery; sent: the push service took it;
# failed: refused for good, or still failing after the last try.
PUSH_DELIVERY_STATUSES = ("pending", "sending", "sent", "failed")


class PushSubscription(Model):
    """One browser on one device that asked to be notified. The endpoint is unique: a browser that
    subscribes again for another account moves to that account (a shared device gets the pushes
    of whoever asked last, never of both)."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (sa.UniqueConstraint("endpoint"),)

    user_id: Mapped[uuid.UUID] = owner_fk()
    endpoint: Mapped[str] = mapped_column(sa.String(1000))
    # The browser's keys (base64url): its P-256 public key and the shared authentication secret.
    p256dh: Mapped[str] = mapped_column(sa.String(200))
    auth: Mapped[str] = mapped_column(sa.String(100))
    name: Mapped[str] = mapped_column(sa.String(100))
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.String(300))


class PushDelivery(Model):
    """A notification on its way to one device: unique per pair, so a second run, a retry or a
    second consumer never pushes it twice."""

    __tablename__ = "push_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("notification_id", "subscription_id"),
        one_of("status", PUSH_DELIVERY_STATUSES),
        sa.CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        sa.Index("ix_push_deliveries_status_updated", "status", "updated_at"),
    )

    notification_id: Mapped[uuid.UUID] = owner_fk("notifications.id", index=False)
    subscription_id: Mapped[uuid.UUID] = owner_fk("push_subscriptions.id")
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", server_default="pending")
    attempts: Mapped[int] = counter()
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
