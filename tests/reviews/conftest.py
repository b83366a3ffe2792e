"""Helpers for the reviews tests: a user whose "today" cannot change mid-test, and the stored rows."""

from datetime import date

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import DailyReview, User


@pytest.fixture
def user(calm_user):
    return calm_user


@pytest.fixture
def today(calm_today) -> date:
    return calm_today


def rows(app, user_id) -> list[DailyReview]:
    """The user's stored reviews, oldest first, detached so they can be read after the context ends."""
    with app.app_context():
        found = list(db.session.scalars(
            sa.select(DailyReview).where(DailyReview.user_id == user_id).order_by(DailyReview.review_date)
        ))
        for row in found:
            db.session.expunge(row)
        return found


def row(app, user_id, day: date) -> DailyReview | None:
    return next((r for r in rows(app, user_id) if r.review_date == day), None)


def insert(app, user_id, day: date, **values) -> None:
    with app.app_context():
        db.session.add(DailyReview(user_id=user_id, review_date=day, **values))
        db.session.commit()


def owner(user_id) -> User:
    """The user row, inside an app context the caller holds."""
    return db.session.get(User, user_id)

