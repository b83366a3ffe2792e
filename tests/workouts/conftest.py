"""Helpers for the workout tests: rows made directly, the database read back, each in its own app context."""

import uuid
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import User, Workout, WorkoutExercise, WorkoutSet


class Kit:
    def __init__(self, app):
        self.app = app

    def workout(self, user_id, day: date | None = None, **fields) -> uuid.UUID:
        with self.app.app_context():
            row = Workout(user_id=user_id, workout_date=day or date.today(), **{"workout_type": "strength", **fields})
            db.session.add(row)
            db.session.commit()
            return row.id

    def exercise(self, workout_id, name="Squat", **fields) -> uuid.UUID:
        with self.app.app_context():
            row = WorkoutExercise(workout_id=workout_id, exercise_name=name, **fields)
            db.session.add(row)
            db.session.commit()
            return row.id

    def set(self, exercise_id, reps=5, weight="100", unit="kg", set_type="normal", position=0) -> uuid.UUID:
        with self.app.app_context():
            row = WorkoutSet(workout_exercise_id=exercise_id, reps=reps,
                             weight=None if weight is None else Decimal(weight),
                             weight_unit=unit if weight is not None else None, set_type=set_type, position=position)
            db.session.add(row)
            db.session.commit()
            return row.id

    def lift(self, user_id, day, name="Squat", sets=((5, "100"),), unit="kg") -> tuple[uuid.UUID, uuid.UUID]:
        """A workout with one exercise and its sets; answers (workout id, exercise id)."""
        workout_id = self.workout(user_id, day, workout_name="Lifting", workout_time=time(18))
        exercise_id = self.exercise(workout_id, name, exercise_type="strength")
        for n, (reps, weight) in enumerate(sets):
            self.set(exercise_id, reps, weight, unit, position=n)
        return workout_id, exercise_id

    def count(self, model, **where) -> int:
        with self.app.app_context():
            query = sa.select(sa.func.count()).select_from(model)
            for name, value in where.items():
                query = query.where(getattr(model, name) == value)
            return db.session.scalar(query)

    def get(self, model, row_id):
        with self.app.app_context():
            row = db.session.get(model, row_id)
            if row is not None:
                db.session.expunge(row)
            return row

    def rows(self, model, **where) -> list:
        with self.app.app_context():
            query = sa.select(model)
            for name, value in where.items():
                query = query.where(getattr(model, name) == value)
            found = list(db.session.scalars(query))
            for row in found:
                db.session.expunge(row)
            return found

    def set_units(self, user_id, weight_unit="kg", distance_unit="km"):
        with self.app.app_context():
            db.session.execute(sa.update(User).where(User.id == user_id)
                               .values(weight_unit=weight_unit, distance_unit=distance_unit))
            db.session.commit()

    def snapshot(self) -> tuple:
        """Every workout row, to show nothing changed."""
        with self.app.app_context():
            return tuple(
                tuple(sorted(tuple(str(v) for v in row) for row in db.session.execute(sa.select(table)).all()))
                for table in (Workout.__table__, WorkoutExercise.__table__, WorkoutSet.__table__)
            )


@pytest.fixture
def kit(app):
    return Kit(app)


@pytest.fixture
def yesterday() -> date:
    return date.today() - timedelta(days=1)


@pytest.fixture
def user(calm_user):
    """Ana lives where midnight is hours away, so "today" holds still during a test."""
    return calm_user
