"""View models of the review pages, built from loaded rows: pure (no database, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from manifest.reviews import logic


def filled_count(review, names) -> int:
    """How many of the named fields the review answers (0 without a review)."""
    if review is None:
        return 0
    return sum(getattr(review, name) is not None for name in names)


@dataclass
class Day:
    day: date
    today: date
    review: Any  # the DailyReview, or None before its first answer
    previous_intentions: str | None
    names: tuple[str, ...] = ()  # every field a review has

    @property
    def filled(self) -> int:
        return filled_count(self.review, self.names)

    @property
    def total(self) -> int:
        return len(self.names)

    @property
    def editable(self) -> bool:
        return self.day <= self.today

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next_day(self) -> date | None:
        following = self.day + timedelta(days=1)
        return following if following <= self.today else None


@dataclass(frozen=True)
class ReviewStatus:
    day: date
    exists: bool
    filled: int
    total: int
    intentions: str | None = None  # what the previous day's review meant to do on this day

    @property
    def started(self) -> bool:
        return self.filled > 0

    @property
    def complete(self) -> bool:
        return self.filled == self.total


@dataclass(frozen=True)
class CalendarDay:
    day: date
    mood: int | None
    reviewed: bool
    future: bool
    today: bool

    @property
    def mood_class(self) -> str:
        if self.mood is not None:
            return f"mood-{self.mood}"
        return "reviewed" if self.reviewed else ("future" if self.future else "empty")


@dataclass
class Overview:
    today: date
    month: date
    weeks: list[list[CalendarDay | None]]
    month_reviews: list
    streaks: logic.Streaks
    total_reviews: int
    charts: dict[str, Any] = field(default_factory=dict)
    averages: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def previous_month(self) -> date | None:
        return logic.shift_month(self.month, -1)

    @property
    def next_month(self) -> date | None:
        following = logic.shift_month(self.month, 1)
        return following if following is not None and following <= self.today else None

    @property
    def is_current_month(self) -> bool:
        return self.month == logic.month_start(self.today)


def calendar_weeks(month: date, today: date, moods: dict[date, int | None]) -> list[list[CalendarDay | None]]:
    """The month's weeks (None outside the month); ``moods`` has every reviewed day of it."""
    return [
        [
            None if day is None else CalendarDay(
                day=day, mood=moods.get(day), reviewed=day in moods, future=day > today, today=day == today,
            )
            for day in week
        ]
        for week in logic.month_weeks(month)
    ]


def average(values) -> Decimal | None:
    present = [Decimal(v) for v in values if v is not None]
    if not present:
        return None
    return (sum(present) / len(present)).quantize(Decimal("0.1"))
