import uuid
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import (
    Model,
    between,
    counter,
    flag,
    hex_color,
    non_negative,
    one_of,
    owner_fk,
)

HABIT_FREQUENCIES = ("daily", "weekly", "custom")


class Habit(Model):
    __tablename__ = "habits"
    __table_args__ = (
        one_of("frequency", HABIT_FREQUENCIES),
        hex_color(),
        sa.CheckConstraint("target_days IS NULL OR target_days >= 1", name="target_days_positive"),
        *non_negative("current_streak", "longest_streak", "total_completions"),
        sa.Index("ix_habits_user_active", "user_id", "is_active"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    name: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[str | None] = mapped_column(sa.Text)
    frequency: Mapped[str] = mapped_column(sa.String(20), default="daily", server_default="daily")
    target_days: Mapped[int | None]
    category: Mapped[str | None] = mapped_column(sa.String(100))
    color: Mapped[str | None] = mapped_column(sa.String(7))
    icon: Mapped[str | None] = mapped_column(sa.String(50))
    reminder_time: Mapped[time | None]
    is_active: Mapped[bool] = flag(True)
    current_streak: Mapped[int] = counter()
    longest_streak: Mapped[int] = counter()
    total_completions: Mapped[int] = counter()


class HabitEntry(Model):
    __tablename__ = "habit_entries"
    __table_args__ = (
        sa.UniqueConstraint("habit_id", "entry_date"),
        between("mood", 1, 10),
    )

    habit_id: Mapped[uuid.UUID] = owner_fk("habits.id", index=False)
    entry_date: Mapped[date]
    completed: Mapped[bool] = flag(False)
    completed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    mood: Mapped[int | None] = mapped_column(sa.SmallInteger)
