"""Real consumer processes (``huey_consumer manifest.worker.huey``) against Redis, the test database
and an SMTP server in-process: reminders arrive in the app and by email, exactly once, and a
failing SMTP server is retried and recorded without bringing the worker down."""

import os
import subprocess
import sys
import time as clock
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from manifest import jobs
from manifest.notifications import tasks

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def queue_on(redis_url: str | None, sqlite_path: str | None = None):
    """Enqueue from this process into the consumers' queue (Redis, or the embedded SQLite one)."""
    jobs.use_storage(redis_url, sqlite_path)
    try:
        yield
    finally:
        jobs.use_storage(None, None)


@pytest.fixture
def consumers(app, smtp, tmp_path):
    processes = []

    def start(count: int = 1, **env):
        for n in range(count):
            log = open(tmp_path / f"consumer-{n}.log", "wb")  # noqa: SIM115  (closed with the process)
            process = subprocess.Popen(
                [sys.executable, "-m", "huey.bin.huey_consumer", "manifest.worker.huey",
                 "--workers", "2", "--worker-type", "thread", "--delay", "0.05", "--max-delay", "0.5"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "APP_ENV": "development", "SECRET_KEY": app.secret_key,
                     "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                     "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port), "PYTHONPATH": str(ROOT), **env},
            )
            processes.append((process, log, tmp_path / f"consumer-{n}.log"))
        return processes

    yield start
    for process, log, _ in processes:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_until(condition, timeout: float = 40, what: str = ""):
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        value = condition()
        if value:
            return value
        clock.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def logs(processes) -> str:
    return "\n".join(path.read_text(errors="replace")[-3000:] for _, _, path in processes)


def _due_habit(kit, user, name="Meditate"):
    """A habit whose reminder time passed a minute or two ago, in a window the next run looks at."""
    now = datetime.now(UTC)
    at = (now - timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    habit_id = kit.habit(user["id"], name, at)
    kit.last_run(now - timedelta(minutes=10))
    return habit_id


def test_two_consumers_and_a_rerun_send_one_notification_and_one_email(app, kit, user, smtp, consumers, redis_url):
    processes = consumers(2, REDIS_URL=redis_url)
    _due_habit(kit, user)
    with queue_on(redis_url):
        for _ in range(4):
            tasks.send_due_reminders()
    try:
        wait_until(lambda: smtp.messages, what="the email")
        kit.last_run(datetime.now(UTC) - timedelta(minutes=10))  # the same window once more
        with queue_on(redis_url):
            tasks.send_due_reminders()
            tasks.send_due_reminders()
        wait_until(lambda: kit.notifications()[0]["status"] == "sent", what="the delivery record")
        clock.sleep(3)  # room for a duplicate to show up
    except AssertionError:
        pytest.fail("consumers did not deliver:\n" + logs(processes))
    [row] = kit.notifications()
    assert (row["title"], row["status"], row["attempts"], row["email"]) == ("Meditate", "sent", 1, True)
    [message] = smtp.messages
    assert message["Subject"] == "Meditate" and message["To"] == user["email"]
    assert all(process.poll() is None for process, _, _ in processes), logs(processes)


def test_a_failing_smtp_server_is_retried_by_the_consumer_then_recorded_as_failed(
        app, kit, user, smtp, consumers, redis_url):
    processes = consumers(1, REDIS_URL=redis_url, MAIL_RETRIES="2", MAIL_RETRY_DELAY="1")
    smtp.refuse = True
    _due_habit(kit, user)
    with queue_on(redis_url):
        tasks.send_due_reminders()
    try:
        wait_until(lambda: kit.notifications() and kit.notifications()[0]["status"] == "failed", what="failed")
    except AssertionError:
        pytest.fail("no failure recorded:\n" + logs(processes))
    [row] = kit.notifications()
    assert row["attempts"] == 3 and smtp.refused == 3 and "451" in row["last_error"]
    # The worker is still up and delivers the next email once the server is back.
    smtp.refuse = False
    _due_habit(kit, user, "Stretch")
    with queue_on(redis_url):
        tasks.send_due_reminders()
    [message] = wait_until(lambda: smtp.messages, what="the next email")
    assert message["Subject"] == "Stretch"
    assert processes[0][0].poll() is None


def test_a_consumer_on_the_embedded_sqlite_queue_delivers_too(app, kit, user, smtp, consumers, tmp_path):
    """What `make run` uses when REDIS_URL is unset."""
    queue = str(tmp_path / "huey.db")
    processes = consumers(1, REDIS_URL="", HUEY_SQLITE_PATH=queue)
    _due_habit(kit, user)
    with queue_on(None, queue):
        tasks.send_due_reminders()
    try:
        [message] = wait_until(lambda: smtp.messages, what="the email")
    except AssertionError:
        pytest.fail("the consumer did not deliver:\n" + logs(processes))
    assert message["Subject"] == "Meditate"
    assert wait_until(lambda: kit.notifications()[0]["status"] == "sent", what="the delivery record")


def test_two_consumers_push_a_reminder_to_a_device_once(push_app, kit, user, smtp, consumers, redis_url,
                                                        push_service, vapid_pair):
    from tests.notifications.conftest import add_device

    add_device(push_app, user["id"], push_service, "Phone")
    public, private = vapid_pair
    processes = consumers(2, REDIS_URL=redis_url, VAPID_PUBLIC_KEY=public, VAPID_PRIVATE_KEY=private,
                          PUSH_ALLOWED_HOSTS="127.0.0.1")
    _due_habit(kit, user)
    with queue_on(redis_url):
        for _ in range(3):
            tasks.send_due_reminders()
    try:
        wait_until(lambda: push_service.received, what="the push")
        clock.sleep(3)  # room for a duplicate to show up
    except AssertionError:
        pytest.fail("consumers did not push:\n" + logs(processes))
    [item] = push_service.received
    assert item.error is None and item.vapid_key == public
    payload = push_service.decrypt(item)
    assert payload["title"] == "Meditate" and [a["action"] for a in payload["actions"]] == ["done", "skip"]
