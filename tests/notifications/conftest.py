"""Fixtures for notifications: a real SMTP server in-process (aiosmtpd), Huey in immediate mode for
the tests that ask for it, Redis for the tests that run a real consumer, and rows made directly."""

import os
import socket
import threading
import time as clock
import uuid
from datetime import UTC, datetime, time

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from manifest import jobs
from manifest.extensions import db
from manifest.models import Habit, JobRun, Notification, NotificationSettings, User

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() == "true"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """What the SMTP server received; ``refuse`` makes it answer every message with a 451."""

    def __init__(self):
        self.messages: list = []
        self.raw: list[bytes] = []  # as received, before parsing
        self.refuse = False
        self.refused = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        if self.refuse:
            with self._lock:
                self.refused += 1
            return "451 Try again later"
        with self._lock:
            self.raw.append(envelope.content)
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 20) -> list:
        deadline = clock.monotonic() + timeout
        while clock.monotonic() < deadline and len(self.messages) < count:
            clock.sleep(0.05)
        return list(self.messages)


@pytest.fixture
def smtp():
    """A real SMTP server on a free local port."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def mail_app(app, smtp, monkeypatch):
    """The test app sending email to the in-process server."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp.port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 5)
    return app


@pytest.fixture
def immediate_jobs():
    """Tasks run inline, in the caller, as soon as they are enqueued."""
    jobs.huey.immediate = True
    try:
        yield jobs.huey
    finally:
        jobs.huey.immediate = False


@pytest.fixture
def redis_url():
    """A dedicated, emptied Redis database; skipped locally without Redis, a failure in CI."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        reason = f"Redis is not reachable at {REDIS_URL}: {error}"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the worker must be tested against Redis)", pytrace=False)
        pytest.skip(reason)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


class Kit:
    """Rows made and read directly, each call in its own app context."""

    def __init__(self, app):
        self.app = app

    def habit(self, user_id, name="Meditate", at=time(7, 0), **values) -> uuid.UUID:
        with self.app.app_context():
            habit = Habit(user_id=user_id, name=name, reminder_time=at, **values)
            db.session.add(habit)
            db.session.commit()
            return habit.id

    def settings(self, user_id, **values) -> None:
        with self.app.app_context():
            db.session.add(NotificationSettings(user_id=user_id, **values))
            db.session.commit()

    def set_timezone(self, user_id, zone: str) -> None:
        with self.app.app_context():
            db.session.execute(sa.update(User).where(User.id == user_id).values(timezone=zone))
            db.session.commit()

    def last_run(self, moment: datetime) -> None:
        with self.app.app_context():
            db.session.execute(sa.delete(JobRun))
            db.session.add(JobRun(name="reminders", last_run_at=moment))
            db.session.commit()

    def notifications(self, user_id=None) -> list[dict]:
        with self.app.app_context():
            query = sa.select(Notification).order_by(Notification.scheduled_at, Notification.dedupe_key)
            if user_id is not None:
                query = query.where(Notification.user_id == user_id)
            return [
                {c: getattr(n, c) for c in ("id", "user_id", "kind", "dedupe_key", "title", "message", "link",
                                             "status", "attempts", "email", "in_app", "is_read", "last_error",
                                             "sent_at")}
                for n in db.session.scalars(query)
            ]

    def notify(self, user_id, title="Meditate", link="/", **values) -> uuid.UUID:
        with self.app.app_context():
            row = Notification(user_id=user_id, kind="habit", dedupe_key=f"test:{uuid.uuid4()}", title=title,
                               message=f"Time for {title}.", link=link, scheduled_at=datetime.now(UTC),
                               status="sent", **values)
            db.session.add(row)
            db.session.commit()
            return row.id

    def run(self, now: datetime):
        from manifest.notifications import reminders

        with self.app.app_context():
            return reminders.run(now)


@pytest.fixture
def kit(app):
    return Kit(app)


@pytest.fixture
def push_service():
    """A push service on a free local port (see push_service.py)."""
    from tests.notifications.push_service import PushService

    service = PushService().start()
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture(scope="session")
def vapid_pair():
    from manifest.notifications.push import new_key_pair

    return new_key_pair()


@pytest.fixture
def push_app(app, push_service, vapid_pair, monkeypatch):
    """The test app with VAPID keys, allowed to push to the local service."""
    public, private = vapid_pair
    monkeypatch.setitem(app.config, "VAPID_PUBLIC_KEY", public)
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", private)
    monkeypatch.setitem(app.config, "VAPID_SUBJECT", "mailto:admin@example.com")
    monkeypatch.setitem(app.config, "PUSH_ALLOWED_HOSTS", ["127.0.0.1"])
    return app


def add_device(app, user_id, service, name="Phone"):
    """Subscribe a device of the user on the local push service; returns (subscription id, browser)."""
    from manifest.notifications import push

    endpoint, browser = service.subscribe(f"{name.lower().replace(' ', '-')}-{uuid.uuid4().hex[:8]}")
    with app.app_context():
        user = db.session.get(User, user_id)
        return push.subscribe(user, endpoint, browser.p256dh, browser.auth, name).id, browser
