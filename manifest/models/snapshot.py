import uuid
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, between, non_negative, one_of, owner_fk
from manifest.models.workout import WEIGHT_UNITS

SNAPSHOT_TYPES = ("weekly", "monthly", "yearly")


class ProgressSnapshot(Model):
    __tablename__ = "progress_snapshots"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "snapshot_date", "snapshot_type"),
        one_of("snapshot_type", SNAPSHOT_TYPES),
        one_of("weight_unit", WEIGHT_UNITS, nullable=True),
        *non_negative(
            "total_goals", "completed_goals", "active_habits", "total_workouts", "total_workout_minutes",
            "total_blog_entries", "weight",
        ),
        between("habit_completion_rate", 0, 100),
        between("average_daily_mood", 1, 10),
        between("average_energy_level", 1, 10),
        between("body_fat_percentage", 0, 100),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    snapshot_date: Mapped[date]
    snapshot_type: Mapped[str] = mapped_column(sa.String(10))
    total_goals: Mapped[int | None]
    completed_goals: Mapped[int | None]
    active_habits: Mapped[int | None]
    habit_completion_rate: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    total_workouts: Mapped[int | None]
    total_workout_minutes: Mapped[int | None]
    average_daily_mood: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 2))
    average_energy_level: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 2))
    total_blog_entries: Mapped[int | None]
    weight: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    weight_unit: Mapped[str | None] = mapped_column(sa.String(3))
    body_fat_percentage: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 1))
    notes: Mapped[str | None] = mapped_column(sa.Text)
