"""Background jobs of progress: each idempotent (an upsert on the snapshot's unique key)."""

import sqlalchemy as sa
from flask import current_app

from manifest.extensions import db
from manifest.jobs import crontab, periodic_task, task
from manifest.models import User
from manifest.progress import services


def refresh_all() -> int:
    """Every active user's periods that closed since the last run (at each user's own midnight,
    so hourly), and any that an edit of a past day removed."""
    stored = 0
    for user in db.session.scalars(sa.select(User).where(User.is_active)):
        try:
            stored += services.refresh_closed(user)
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("snapshots of user %s failed; the next run tries again", user.id)
    return stored


@periodic_task(crontab(minute="7"), retries=2, retry_delay=30)
def take_snapshots():
    """Hourly: a period ends at midnight in its user's time zone, which is some hour in UTC."""
    current_app.logger.info("snapshots stored: %s", refresh_all())


@task(retries=2, retry_delay=10)
def backfill_user(user_id):
    """Store every closed period of one user: asked for by a page that found some missing (a
    first visit, or after a past day was edited). Idempotent, so asking twice is harmless."""
    user = db.session.get(User, user_id)
    if user is None:
        return 0
    stored = services.backfill(user)
    db.session.commit()
    return stored
