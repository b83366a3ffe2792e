"""Rows for progress tests, written straight to the database."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest import jobs
from manifest.extensions import db
from manifest.models import (
    DailyReview,
    Habit,
    HabitEntry,
    Measurement,
    ProgressSnapshot,
    User,
    Workout,
)


def add_workout(app, user_id, day: date, minutes: int = 30):
    with app.app_context():
        db.session.add(Workout(user_id=user_id, workout_date=day, duration_minutes=minutes, workout_type="cardio"))
        db.session.commit()


def add_review(app, user_id, day: date, mood: int | None = 6, energy: int | None = 6, **extra):
    with app.app_context():
        db.session.add(DailyReview(user_id=user_id, review_date=day, mood_rating=mood, energy_level=energy, **extra))
        db.session.commit()


def add_weight(app, user_id, day: date, kg: str, unit: str = "kg"):
    with app.app_context():
        db.session.add(Measurement(user_id=user_id, measured_on=day, weight=Decimal(kg), weight_unit=unit))
        db.session.commit()


def add_habit(app, user_id, created: date, done_days=(), name="Read"):
    with app.app_context():
        habit = Habit(user_id=user_id, name=name, created_at=datetime.combine(created, datetime.min.time(), tzinfo=UTC))
        db.session.add(habit)
        db.session.flush()
        for day in done_days:
            db.session.add(HabitEntry(habit_id=habit.id, entry_date=day, completed=True))
        db.session.commit()
        return habit.id


def snapshots(app, user_id, kind=None) -> dict:
    with app.app_context():
        query = sa.select(ProgressSnapshot).where(ProgressSnapshot.user_id == user_id)
        if kind:
            query = query.where(ProgressSnapshot.snapshot_type == kind)
        return {(s.snapshot_type, s.snapshot_date): s for s in db.session.scalars(query)}


def load_user(user_id) -> User:
    return db.session.get(User, user_id)


def age_account(app, user_id, days: int):
    """Make the account older, as if it had been made ``days`` ago."""
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == user_id).values(
            created_at=datetime.now(UTC) - timedelta(days=days)))
        db.session.commit()


@pytest.fixture
def immediate_jobs():
    """Tasks run inline, in the caller, as soon as they are enqueued (the worker's part)."""
    jobs.huey.immediate = True
    try:
        yield jobs.huey
    finally:
        jobs.huey.immediate = False
