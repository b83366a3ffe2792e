"""Web Push: the devices a user subscribed, and the delivery of a notification to each of them.

Push is a channel like email, under the same settings and quiet hours: a reminder recorded once
(see reminders.py) gets one push_deliveries row per device, inserted with ON CONFLICT DO NOTHING,
and each row is claimed before it is sent, so a retry or a second consumer never pushes twice.
Payloads are encrypted for the browser (RFC 8291, aes128gcm) and signed with the server's VAPID
key (RFC 8292) by pywebpush; the HTTP request goes through the session of endpoints.py, which
connects only to push services.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

import sqlalchemy as sa
from flask import current_app
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from manifest import queries
from manifest.auth.session import safe_next_url
from manifest.extensions import db
from manifest.models import (
    Goal,
    Habit,
    Notification,
    NotificationSettings,
    PushDelivery,
    PushSubscription,
    User,
)
from manifest.notifications import actions, endpoints

# How long a push service keeps a message for a device that is offline: a reminder is worth
# little a day later.
TTL_SECONDS = 12 * 60 * 60
NAME_LENGTH = 100


def utc_now() -> datetime:
    return datetime.now(UTC)


def available() -> bool:
    """Whether this server can push at all (it has a VAPID key pair)."""
    config = current_app.config
    return bool(config.get("VAPID_PUBLIC_KEY") and config.get("VAPID_PRIVATE_KEY"))


def channel_on(row: NotificationSettings | None) -> bool:
    """Whether a user's notifications go to their devices (those they subscribed, if any)."""
    return available() and (row is None or row.push_enabled)


def _subject() -> str:
    """Who the push services may contact about our pushes: VAPID_SUBJECT, else the site's https
    address, else the sender address of the emails."""
    config = current_app.config
    if config.get("VAPID_SUBJECT"):
        return config["VAPID_SUBJECT"]
    if config["APP_BASE_URL"].startswith("https://"):
        return config["APP_BASE_URL"]
    return "mailto:" + (parseaddr(config["MAIL_FROM"])[1] or "manifest@localhost")


def new_key_pair() -> tuple[str, str]:
    """(public, private) as VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY take them: the public key as the
    browser's applicationServerKey (uncompressed P-256 point), the private one as its raw 32
    bytes, both base64url without padding."""
    from cryptography.hazmat.primitives import serialization

    vapid = Vapid()
    vapid.generate_keys()
    public = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    return _b64(public), _b64(private)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- devices ---------------------------------------------------------------------------------------

class InvalidSubscription(Exception):
    """What the browser sent cannot be used; the message is for the user."""


def _check_keys(p256dh: str, auth: str) -> None:
    try:
        public, secret = _unb64(p256dh or ""), _unb64(auth or "")
    except (binascii.Error, ValueError) as error:
        raise InvalidSubscription("The browser's push keys are not readable.") from error
    if len(public) != 65 or public[0] != 4 or len(secret) != 16:
        raise InvalidSubscription("The browser's push keys are not readable.")


def subscribe(user: User, endpoint: str, p256dh: str, auth: str, name: str) -> PushSubscription:
    """Add (or refresh) a device. The endpoint must pass the SSRF check; a browser subscribing
    again, for this account or another, updates its one row (one upsert)."""
    if not available():
        raise InvalidSubscription("This server has no push notifications set up.")
    try:
        endpoint = endpoints.check_endpoint(endpoint, current_app.config["PUSH_ALLOWED_HOSTS"])
    except endpoints.EndpointRefused as error:
        raise InvalidSubscription(str(error)) from error
    _check_keys(p256dh, auth)
    name = " ".join((name or "").split())[:NAME_LENGTH] or "This device"
    # A device moving to this account takes none of the previous account's pushes with it.
    db.session.execute(sa.delete(PushDelivery).where(PushDelivery.subscription_id.in_(
        sa.select(PushSubscription.id).where(PushSubscription.endpoint == endpoint,
                                             PushSubscription.user_id != user.id))))
    values = {"user_id": user.id, "p256dh": p256dh, "auth": auth, "name": name, "last_error": None}
    statement = queries.insert(PushSubscription).values(id=uuid.uuid4(), endpoint=endpoint, **values)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["endpoint"], set_={**values, "updated_at": sa.func.now()}))
    db.session.commit()
    return db.session.scalar(sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint))


def devices(user: User) -> list[PushSubscription]:
    return list(db.session.scalars(sa.select(PushSubscription).where(PushSubscription.user_id == user.id)
                                   .order_by(PushSubscription.created_at, PushSubscription.id)))


def remove(user: User, subscription: PushSubscription) -> None:
    db.session.delete(subscription)
    db.session.commit()


def forget_device(user: User, endpoint: str) -> None:
    """The device logging out stops getting this account's pushes: a shared device would otherwise
    show them to whoever uses it next. Runs in the caller's transaction; another account's device
    with that endpoint is left alone."""
    if endpoint:
        db.session.execute(sa.delete(PushSubscription).where(
            PushSubscription.user_id == user.id, PushSubscription.endpoint == endpoint))


# --- delivering ------------------------------------------------------------------------------------

def fan_out(user: User, notification_id: uuid.UUID) -> list[uuid.UUID]:
    """One delivery per device of the user for this notification; the ids this call inserted.
    Runs inside the caller's transaction."""
    subscription_ids = list(db.session.scalars(
        sa.select(PushSubscription.id).where(PushSubscription.user_id == user.id)))
    inserted = []
    for subscription_id in subscription_ids:
        statement = queries.insert(PushDelivery).values(
            id=uuid.uuid4(), notification_id=notification_id, subscription_id=subscription_id,
        ).on_conflict_do_nothing(index_elements=["notification_id", "subscription_id"]).returning(PushDelivery.id)
        new_id = db.session.execute(statement).scalar()
        if new_id is not None:
            inserted.append(new_id)
    return inserted


def payload(notification: Notification) -> dict:
    """What the service worker shows: the text, where a click leads, and the buttons."""
    target = actions.target_of(notification)
    habit = goal = None
    if target is not None:
        model = Habit if target.kind == "habit" else Goal
        row = db.session.get(model, target.id)
        if row is not None and row.user_id == notification.user_id:
            habit, goal = (row, None) if target.kind == "habit" else (None, row)
    return {
        "title": notification.title, "body": notification.message,
        "url": safe_next_url(notification.link) or "/notifications",  # a path of this site, whatever the row says
        "tag": notification.dedupe_key, "actions": actions.buttons(notification, habit=habit, goal=goal),
    }


def claim(delivery_id: uuid.UUID) -> bool:
    """Take a pending delivery for this try alone (one UPDATE: two consumers cannot both send)."""
    result = db.session.execute(
        sa.update(PushDelivery).where(PushDelivery.id == delivery_id, PushDelivery.status == "pending")
        .values(status="sending", attempts=PushDelivery.attempts + 1, updated_at=sa.func.now()))
    db.session.commit()
    return result.rowcount == 1


def _finish(delivery_id: uuid.UUID, **values) -> None:
    db.session.execute(sa.update(PushDelivery).where(PushDelivery.id == delivery_id)
                       .values(updated_at=sa.func.now(), **values))
    db.session.commit()


class DeliveryFailed(Exception):
    """The push service could not be reached or answered with a passing error; tried again later."""


# Answers meaning the subscription is gone for good (RFC 8030: 404 Not Found, 410 Gone).
GONE = (404, 410)
# Answers worth another try: too many requests, the service's own trouble.
PASSING = (408, 429, 500, 502, 503, 504)


def send(subscription: PushSubscription, data: dict):
    """Encrypt and post one message; returns the push service's response (raises WebPushException)."""
    config = current_app.config
    session = endpoints.guarded_session(config["PUSH_ALLOWED_HOSTS"])
    try:
        return webpush(
            {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
            data=json.dumps(data, separators=(",", ":")),
            vapid_private_key=Vapid.from_string(config["VAPID_PRIVATE_KEY"]),
            vapid_claims={"sub": _subject()},
            ttl=TTL_SECONDS, timeout=config["PUSH_TIMEOUT_SECONDS"], requests_session=session,
            headers={"Urgency": "normal"},
        )
    finally:
        session.close()


def deliver(delivery_id: uuid.UUID, retries_left: int) -> str:
    """Push one delivery once. Returns what happened; raises DeliveryFailed when a later try
    should follow (the row is pending again)."""
    if not claim(delivery_id):
        return "already handled"
    delivery = db.session.get(PushDelivery, delivery_id)
    subscription = db.session.get(PushSubscription, delivery.subscription_id)
    notification = db.session.get(Notification, delivery.notification_id)
    row = db.session.scalar(sa.select(NotificationSettings).where(NotificationSettings.user_id == notification.user_id))
    if subscription.user_id != notification.user_id:
        # The device moved to another account since: this push is not theirs to see.
        _finish(delivery_id, status="failed", last_error="The device now belongs to another account.")
        return "moved"
    if not channel_on(row):
        _finish(delivery_id, status="failed", last_error="Push notifications were turned off.")
        return "turned off"
    try:
        send(subscription, payload(notification))
    except Exception as error:  # a claimed row must never stay "sending"
        status = getattr(getattr(error, "response", None), "status_code", None)
        message = _describe(error, status)
        if status in GONE:
            # The browser dropped the subscription (uninstalled, permission revoked): forget the device.
            db.session.delete(subscription)  # its deliveries go with it (ON DELETE CASCADE)
            db.session.commit()
            return "gone"
        # A refused endpoint stays refused; a name that did not resolve may resolve next time.
        refused = isinstance(error, endpoints.EndpointRefused) and not isinstance(error, endpoints.Unresolved)
        retry = retries_left > 0 and (status is None or status in PASSING) and not refused
        _finish(delivery_id, status="pending" if retry else "failed", last_error=message)
        db.session.execute(sa.update(PushSubscription).where(PushSubscription.id == subscription.id)
                           .values(last_error=message))
        db.session.commit()
        if retry:
            raise DeliveryFailed(message) from error
        current_app.logger.warning("Push %s failed for good: %s", delivery_id, message)
        return "failed"
    _finish(delivery_id, status="sent", last_error=None)
    db.session.execute(sa.update(PushSubscription).where(PushSubscription.id == subscription.id)
                       .values(last_used_at=utc_now(), last_error=None))
    db.session.commit()
    return "sent"


def _describe(error: Exception, status: int | None) -> str:
    if isinstance(error, WebPushException) and status is not None:
        return f"The push service answered {status}."[:300]
    # EndpointRefused and connection errors: the cause, but never the endpoint's secret path.
    text = str(error) if isinstance(error, endpoints.EndpointRefused) else type(error).__name__
    return text[:300]


def stalled(now: datetime | None = None, older_than: timedelta = timedelta(minutes=15)) -> list[uuid.UUID]:
    """Deliveries whose task was lost (a consumer died): pending again after a while, enqueued again
    (harmless: a delivery claims its row first)."""
    now = now or utc_now()
    db.session.execute(sa.update(PushDelivery).where(
        PushDelivery.status == "sending", PushDelivery.updated_at < now - older_than,
    ).values(status="pending", updated_at=sa.func.now()))
    db.session.commit()
    return list(db.session.scalars(sa.select(PushDelivery.id).where(
        PushDelivery.status == "pending", PushDelivery.updated_at < now - older_than,
        PushDelivery.created_at > now - timedelta(seconds=TTL_SECONDS),
    ).limit(500)))
