"""Login throttling shared by every worker process through the database."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from manifest.extensions import db
from manifest.models import LoginFailure

Key = tuple[str, str]  # (scope, key): ("account", user id or identifier) / ("address", client IP)


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def seconds_locked(keys: list[Key]) -> int:
    """Seconds until any of ``keys`` may try again; 0 when none is locked."""
    now = datetime.now(UTC)
    cutoff = now - _window()
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    rows = db.session.execute(
        sa.select(LoginFailure.scope, LoginFailure.key, sa.func.count(), sa.func.min(LoginFailure.created_at))
        .where(
            sa.tuple_(LoginFailure.scope, LoginFailure.key).in_(keys),
            LoginFailure.created_at > cutoff,
        )
        .group_by(LoginFailure.scope, LoginFailure.key)
    ).all()
    wait = 0
    for _scope, _key, failures, oldest in rows:
        if failures >= limit:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            wait = max(wait, int((oldest + _window() - now).total_seconds()) + 1)
    return wait


def record_failure(keys: list[Key]) -> None:
    now = datetime.now(UTC)
    db.session.add_all(LoginFailure(scope=scope, key=key[:255], created_at=now) for scope, key in keys)
    # Failures older than the window no longer matter; pruning here keeps the table small.
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.created_at <= now - _window()))
    db.session.commit()


def clear(keys: list[Key]) -> None:
    db.session.execute(sa.delete(LoginFailure).where(sa.tuple_(LoginFailure.scope, LoginFailure.key).in_(keys)))
