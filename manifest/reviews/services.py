"""Daily reviews: every query and rule, always scoped to the owner (the first argument)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from manifest import queries
from manifest.charts import LineChart, line_chart
from manifest.extensions import db
from manifest.filters import short_date
from manifest.models import DailyReview, User
from manifest.reviews import logic
from manifest.reviews.forms import FIELD_NAMES

TREND_DAYS = 30
TABLE = DailyReview.__table__
FIELD_COLUMNS = tuple(TABLE.c[name] for name in FIELD_NAMES)


class ReviewError(ValueError):
    """A save the rules refuse; the message is shown to the user."""


def _any_filled():
    """True for a review with at least one answer: a row whose fields were all cleared is no review."""
    return sa.or_(*(column.is_not(None) for column in FIELD_COLUMNS))


def filled_count(review) -> int:
    if review is None:
        return 0
    return sum(getattr(review, name) is not None for name in FIELD_NAMES)


# --- one day -----------------------------------------------------------------------------

@dataclass
class Day:
    day: date
    today: date
    review: DailyReview | None
    previous_intentions: str | None

    @property
    def filled(self) -> int:
        return filled_count(self.review)

    @property
    def total(self) -> int:
        return len(FIELD_NAMES)

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


def day_review(user: User, day: date, today: date) -> Day:
    """The day's review and the intentions set the evening before, in one query."""
    rows = {
        review.review_date: review
        for review in db.session.scalars(
            sa.select(DailyReview).where(
                DailyReview.user_id == user.id,
                DailyReview.review_date.in_((day, day - timedelta(days=1))),
            )
        )
    }
    before = rows.get(day - timedelta(days=1))
    return Day(day, today, rows.get(day), before.tomorrow_intentions if before else None)


def save_fields(user: User, day: date, today: date, values: dict) -> DailyReview:
    """Write the given fields of the day's review (None clears one) and leave every other field alone.

    One atomic INSERT ... ON CONFLICT DO UPDATE: the first save of a day creates the row, and
    two first saves arriving together (two tabs, a double tap) still make one row.
    """
    if day > today:
        raise ReviewError("That day has not happened yet; review it when it comes.")
    unknown = set(values) - set(FIELD_NAMES)
    if unknown or not values:
        raise ReviewError("Nothing to save.")
    insert = queries.insert(DailyReview).values(id=uuid.uuid4(), user_id=user.id, review_date=day, **values)
    changes = {name: insert.excluded[name] for name in values}
    changes["updated_at"] = sa.func.now()
    statement = insert.on_conflict_do_update(index_elements=["user_id", "review_date"], set_=changes)
    review = db.session.scalars(
        statement.returning(DailyReview), execution_options={"populate_existing": True}
    ).one()
    # The row just came back from the write: the answer is rendered from it as it is.
    queries.commit_keeping_loaded()
    return review


# --- for Today ---------------------------------------------------------------------------

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


def review_status(user: User, day: date) -> ReviewStatus:
    """Whether the day's review exists, how many of its fields are filled, and the intentions set
    for the day the evening before: both days in one query, for Today."""
    counted = sum((sa.case((column.is_not(None), 1), else_=0) for column in FIELD_COLUMNS), sa.literal(0))
    rows = db.session.execute(
        sa.select(DailyReview.review_date, counted, DailyReview.tomorrow_intentions).where(
            DailyReview.user_id == user.id, DailyReview.review_date.in_((day, day - timedelta(days=1))))
    ).all()
    by_day = {row[0]: row for row in rows}
    own, before = by_day.get(day), by_day.get(day - timedelta(days=1))
    return ReviewStatus(
        day=day, exists=own is not None, filled=int(own[1]) if own else 0, total=len(FIELD_NAMES),
        intentions=before[2] if before else None,
    )


def intentions_for(user: User, day: date) -> str | None:
    """What the user meant to do on ``day``: the intentions written in the previous day's review."""
    return db.session.scalar(
        sa.select(DailyReview.tomorrow_intentions).where(
            DailyReview.user_id == user.id, DailyReview.review_date == day - timedelta(days=1)
        )
    )


# --- the reviews page --------------------------------------------------------------------

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
    charts: dict[str, LineChart | None] = field(default_factory=dict)
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


OVERVIEW_COLUMNS = (
    DailyReview.review_date, DailyReview.mood_rating, DailyReview.energy_level, DailyReview.sleep_hours,
    DailyReview.highlights, DailyReview.accomplishments,
)


def _average(values) -> Decimal | None:
    present = [Decimal(v) for v in values if v is not None]
    if not present:
        return None
    return (sum(present) / len(present)).quantize(Decimal("0.1"))


def overview(user: User, month: date, today: date) -> Overview:
    """The month calendar, 30-day trends and streaks in two queries, whatever the history's length:
    the reviewed days (dates only, for the streaks) and the rows of the month and the trend window."""
    month = logic.month_start(month)
    last = logic.month_end(month)
    trend_days = logic.days_back(today, TREND_DAYS)
    reviewed = list(db.session.scalars(
        sa.select(DailyReview.review_date).where(DailyReview.user_id == user.id, _any_filled())
    ))
    in_month = DailyReview.review_date.between(month, last)
    in_trend = DailyReview.review_date.between(trend_days[0], today)
    rows = db.session.execute(
        sa.select(*OVERVIEW_COLUMNS)
        .where(DailyReview.user_id == user.id, sa.or_(in_month, in_trend), _any_filled())
        .order_by(DailyReview.review_date)
    ).all()
    by_day = {row.review_date: row for row in rows}
    weeks = [
        [
            None if day is None else CalendarDay(
                day=day, mood=by_day[day].mood_rating if day in by_day else None, reviewed=day in by_day,
                future=day > today, today=day == today,
            )
            for day in week
        ]
        for week in logic.month_weeks(month)
    ]
    window = [by_day.get(day) for day in trend_days]

    def series(column: str):
        return [(short_date(day), getattr(row, column) if row else None) for day, row in zip(trend_days, window)]

    charts = {
        "mood": line_chart(series("mood_rating"), low=1, high=10),
        "energy": line_chart(series("energy_level"), low=1, high=10),
        "sleep": line_chart(series("sleep_hours"), low=0, high=max(
            [12, *(float(row.sleep_hours) for row in window if row and row.sleep_hours is not None)])),
    }
    averages = {
        "mood": _average(row.mood_rating for row in window if row),
        "energy": _average(row.energy_level for row in window if row),
        "sleep": _average(row.sleep_hours for row in window if row),
    }
    return Overview(
        today=today, month=month, weeks=weeks,
        month_reviews=[row for row in reversed(rows) if month <= row.review_date <= last],
        streaks=logic.review_streaks(reviewed, today), total_reviews=len(reviewed),
        charts=charts, averages=averages,
    )
