import uuid
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import (
    Model,
    between,
    counter,
    flag,
    non_negative,
    one_of,
    owner_fk,
)

# "life": a long-term goal with no fixed period.
GOAL_TYPES = ("daily", "weekly", "monthly", "yearly", "life")
GOAL_STATUSES = ("active", "completed", "cancelled", "paused")
# How progress is measured: recorded entries, milestones done, its sub-goals, or a tracked
# source elsewhere in the app (see manifest/goals/sources.py).
GOAL_MEASURES = ("entries", "milestones", "children", "source")
# How a goal measured by its sub-goals combines them.
GOAL_ROLLUPS = ("average", "sum")


class Goal(Model):
    __tablename__ = "goals"
    __table_args__ = (
        one_of("goal_type", GOAL_TYPES),
        one_of("status", GOAL_STATUSES),
        between("priority", 0, 5),
        *non_negative("target_value"),
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        one_of("measure", GOAL_MEASURES),
        one_of("rollup", GOAL_ROLLUPS),
        sa.CheckConstraint("measure != 'source' OR (source_key IS NOT NULL AND source_id IS NOT NULL)",
                           name="source_linked"),
        sa.CheckConstraint("goal_type != 'life' OR NOT is_recurring", name="life_not_recurring"),
        sa.Index("ix_goals_user_status", "user_id", "status"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    parent_goal_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("goals.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(255))
    description: Mapped[str | None] = mapped_column(sa.Text)
    goal_type: Mapped[str] = mapped_column(sa.String(20))
    category: Mapped[str | None] = mapped_column(sa.String(100))
    target_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    target_unit: Mapped[str | None] = mapped_column(sa.String(50))
    current_value: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2), default=0, server_default=sa.text("0"))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(20), default="active", server_default="active")
    priority: Mapped[int] = mapped_column(sa.SmallInteger, default=0, server_default=sa.text("0"))
    is_recurring: Mapped[bool] = flag(False)
    recurrence_pattern: Mapped[str | None] = mapped_column(sa.String(50))
    completed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    measure: Mapped[str] = mapped_column(sa.String(20), default="entries", server_default="entries")
    rollup: Mapped[str] = mapped_column(sa.String(10), default="average", server_default="average")
    # A registered source and the id of the row it reads (a habit, say). No foreign key: the
    # id may point into any table, and a vanished row reads as "source unavailable".
    source_key: Mapped[str | None] = mapped_column(sa.String(50))
    source_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)


class GoalProgress(Model):
    __tablename__ = "goal_progress"
    __table_args__ = (
        *non_negative("percentage"),
        sa.Index("ix_goal_progress_goal_date", "goal_id", "progress_date"),
    )

    goal_id: Mapped[uuid.UUID] = owner_fk("goals.id", index=False)
    progress_date: Mapped[date]
    value: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2))
    percentage: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    notes: Mapped[str | None] = mapped_column(sa.Text)


class GoalMilestone(Model):
    """An ordered checklist item of a goal; done when done_at is set."""

    __tablename__ = "goal_milestones"
    __table_args__ = (
        *non_negative("position"),
        sa.Index("ix_goal_milestones_goal_position", "goal_id", "position"),
    )

    goal_id: Mapped[uuid.UUID] = owner_fk("goals.id", index=False)
    title: Mapped[str] = mapped_column(sa.String(255))
    position: Mapped[int] = counter()
    target_date: Mapped[date | None]
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
