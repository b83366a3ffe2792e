"""Background jobs of notifications. Each is idempotent: safe to run twice, or on two consumers."""

import os

from flask import current_app

from manifest.jobs import crontab, periodic_task, task
from manifest.notifications import push, reminders, services

# Read when the worker starts: a failing SMTP server is tried again after 30 s, 60 s, 120 s, 240 s.
MAIL_RETRIES = int(os.environ.get("MAIL_RETRIES") or 4)
MAIL_RETRY_DELAY = int(os.environ.get("MAIL_RETRY_DELAY") or 30)


@task(retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY, retry_backoff=2, context=True)
def deliver_email(notification_id, task=None):
    """Send one notification's email; the row is claimed first, so it is never sent twice."""
    retries_left = task.retries if task is not None else 0
    return services.deliver_email(notification_id, retries_left)


def enqueue_deliveries(ids) -> None:
    for notification_id in ids:
        deliver_email(notification_id)


@task(retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY, retry_backoff=2, context=True)
def deliver_push(delivery_id, task=None):
    """Push one notification to one device; the delivery is claimed first, so never twice."""
    retries_left = task.retries if task is not None else 0
    return push.deliver(delivery_id, retries_left)


def enqueue_pushes(ids) -> None:
    for delivery_id in ids:
        deliver_push(delivery_id)


# A run that fails on a passing fault (SQLite busy with another writer, a dropped connection) is
# tried again within seconds rather than at the next minute; a run is idempotent.
@periodic_task(crontab(minute="*"), retries=3, retry_delay=2)
def send_due_reminders():
    """Every minute: record the reminders due since the last run and send their emails and pushes."""
    due = reminders.run_all()
    enqueue_deliveries(due.emails)
    enqueue_pushes(due.pushes)
    enqueue_deliveries(reminders.stalled_deliveries())
    enqueue_pushes(push.stalled())
    current_app.logger.debug("reminders checked")
