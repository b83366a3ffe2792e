import uuid
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

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

# daily: every day; weekly: target_days times a week, any days; custom: the weekdays in weekday_mask.
HABIT_FREQUENCIES = ("daily", "weekly", "custom")
HABIT_TYPES = ("yes_no", "numeric")
TARGET_DIRECTIONS = ("at_least", "at_most")


class Habit(Model):
    __tablename__ = "habits"
    __table_args__ = (
        one_of("frequency", HABIT_FREQUENCIES),
        hex_color(),
        sa.CheckConstraint("target_days IS NULL OR target_days >= 1", name="target_days_positive"),
        *non_negative("current_streak", "longest_streak", "total_completions", "longest_before_period"),
        one_of("habit_type", HABIT_TYPES),
        one_of("target_direction", TARGET_DIRECTIONS),
        sa.CheckConstraint("frequency != 'weekly' OR (target_days IS NOT NULL AND target_days BETWEEN 1 AND 7)", name="weekly_times"),
        sa.CheckConstraint("frequency != 'custom' OR (weekday_mask IS NOT NULL AND weekday_mask BETWEEN 1 AND 127)", name="custom_weekdays"),
        sa.CheckConstraint("habit_type != 'numeric' OR (target_value IS NOT NULL AND target_value > 0)", name="numeric_target"),
        sa.Index("ix_habits_user_active", "user_id", "is_active"),
        sa.CheckConstraint(
            "(rhythm_times IS NULL AND rhythm_days IS NULL)"
            " OR (rhythm_times IS NOT NULL AND rhythm_days IS NOT NULL"
            " AND rhythm_times >= 1 AND rhythm_days >= rhythm_times AND rhythm_days <= 366)",
            name="rhythm_valid",
        ),
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
    # Bit n set = scheduled on weekday n (0 = Monday), for frequency "custom".
    weekday_mask: Mapped[int | None] = mapped_column(sa.SmallInteger)
    habit_type: Mapped[str] = mapped_column(sa.String(10), default="yes_no", server_default="yes_no")
    target_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    unit: Mapped[str | None] = mapped_column(sa.String(30))
    target_direction: Mapped[str] = mapped_column(sa.String(10), default="at_least", server_default="at_least")
    position: Mapped[int] = counter()
    # The last local day on which current_streak holds if nothing more is recorded.
    streak_valid_until: Mapped[date | None]
    # The longest streak before the period still open (today, or this week) when the streaks
    # were computed: with it a check-in today updates them without reading the history.
    longest_before_period: Mapped[int | None]
    # A rhythm our schedules cannot say ("2 times in 3 days", from Loop Habit Tracker): the strength
    # score follows it exactly; the schedule holds the nearest weekly count. Cleared by a schedule edit.
    rhythm_times: Mapped[int | None] = mapped_column(sa.SmallInteger)
    rhythm_days: Mapped[int | None] = mapped_column(sa.SmallInteger)

    pauses: Mapped[list["HabitPause"]] = relationship(
        order_by="HabitPause.start_date", passive_deletes=True, cascade="all, delete-orphan"
    )


class HabitEntry(Model):
    __tablename__ = "habit_entries"
    __table_args__ = (
        sa.UniqueConstraint("habit_id", "entry_date"),
        between("mood", 1, 10),
        *non_negative("value"),
        sa.CheckConstraint("NOT (completed AND skipped)", name="done_or_skipped"),
    )

    habit_id: Mapped[uuid.UUID] = owner_fk("habits.id", index=False)
    entry_date: Mapped[date]
    completed: Mapped[bool] = flag(False)
    completed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    mood: Mapped[int | None] = mapped_column(sa.SmallInteger)
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    skipped: Mapped[bool] = flag(False)


class HabitPause(Model):
    """A stretch of days (inclusive) on which a habit neither counts nor breaks streaks."""

    __tablename__ = "habit_pauses"
    __table_args__ = (
        sa.CheckConstraint("end_date >= start_date", name="dates_ordered"),
        sa.Index("ix_habit_pauses_habit_start", "habit_id", "start_date"),
    )

    habit_id: Mapped[uuid.UUID] = owner_fk("habits.id", index=False)
    start_date: Mapped[date]
    end_date: Mapped[date]
