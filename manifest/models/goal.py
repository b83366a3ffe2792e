import uuid
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, between, flag, non_negative, one_of, owner_fk

GOAL_TYPES = ("daily", "weekly", "monthly", "yearly")
GOAL_STATUSES = ("active", "completed", "cancelled", "paused")


class Goal(Model):
    __tablename__ = "goals"
    __table_args__ = (
        one_of("goal_type", GOAL_TYPES),
        one_of("status", GOAL_STATUSES),
        between("priority", 0, 5),
        *non_negative("target_value"),
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates_ordered"),
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
