import uuid
from datetime import date, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from manifest.models.base import Model, between, non_negative, one_of, owner_fk

INTENSITIES = ("low", "medium", "high")
WEIGHT_UNITS = ("lbs", "kg")
DISTANCE_UNITS = ("miles", "km", "meters")
SET_TYPES = ("normal", "warmup", "drop", "failure")


class Workout(Model):
    __tablename__ = "workouts"
    __table_args__ = (
        one_of("intensity", INTENSITIES, nullable=True),
        *non_negative("duration_minutes", "calories_burned"),
        between("mood_before", 1, 10),
        between("mood_after", 1, 10),
        sa.Index("ix_workouts_user_workout_date", "user_id", "workout_date"),
        # A repeat's one-time key: sending the same "Repeat this workout" form twice makes one copy.
        sa.UniqueConstraint("user_id", "repeat_key"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    workout_date: Mapped[date]
    workout_time: Mapped[time | None]
    workout_type: Mapped[str | None] = mapped_column(sa.String(50))
    workout_name: Mapped[str | None] = mapped_column(sa.String(255))
    duration_minutes: Mapped[int | None]
    calories_burned: Mapped[int | None]
    intensity: Mapped[str | None] = mapped_column(sa.String(10))
    location: Mapped[str | None] = mapped_column(sa.String(255))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    mood_before: Mapped[int | None] = mapped_column(sa.SmallInteger)
    mood_after: Mapped[int | None] = mapped_column(sa.SmallInteger)
    repeat_key: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)


class WorkoutExercise(Model):
    __tablename__ = "workout_exercises"
    __table_args__ = (
        one_of("weight_unit", WEIGHT_UNITS, nullable=True),
        one_of("distance_unit", DISTANCE_UNITS, nullable=True),
        *non_negative("sets", "reps", "weight", "distance", "duration_seconds", "rest_seconds"),
        sa.Index("ix_workout_exercises_workout_order", "workout_id", "order_index"),
    )

    workout_id: Mapped[uuid.UUID] = owner_fk("workouts.id", index=False)
    exercise_name: Mapped[str] = mapped_column(sa.String(255))
    exercise_type: Mapped[str | None] = mapped_column(sa.String(50))
    sets: Mapped[int | None]
    reps: Mapped[int | None]
    weight: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    weight_unit: Mapped[str | None] = mapped_column(sa.String(3))
    distance: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    distance_unit: Mapped[str | None] = mapped_column(sa.String(6))
    duration_seconds: Mapped[int | None]
    rest_seconds: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)
    order_index: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))

    # Loaded only where asked for (the search joins it): a lazy load per exercise would be a query per row.
    workout: Mapped[Workout] = relationship(lazy="raise", viewonly=True)


class WorkoutSet(Model):
    """One set of a strength exercise: its own reps and weight, so pyramids and drop sets can be logged."""

    __tablename__ = "workout_sets"
    __table_args__ = (
        one_of("weight_unit", WEIGHT_UNITS, nullable=True),
        one_of("set_type", SET_TYPES),
        *non_negative("reps", "weight", "position"),
        sa.Index("ix_workout_sets_exercise_position", "workout_exercise_id", "position"),
    )

    workout_exercise_id: Mapped[uuid.UUID] = owner_fk("workout_exercises.id", index=False)
    position: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    reps: Mapped[int | None]
    weight: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    weight_unit: Mapped[str | None] = mapped_column(sa.String(3))
    set_type: Mapped[str] = mapped_column(sa.String(10), default="normal", server_default="normal")
