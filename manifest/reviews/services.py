"""Daily reviews: every query and rule, always scoped to the owner (the first argument)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from manifest import queries
from manifest.charts import line_chart
from manifest.extensions import db
from manifest.filters import short_date
from manifest.forms import FieldError
from manifest.models import DailyReview, User
from manifest.reviews import logic
from manifest.reviews.forms import FIELD_NAMES
from manifest.reviews.pages import Day, Overview, ReviewStatus, average, calendar_weeks

TREND_DAYS = 30
TABLE = DailyReview.__table__
FIELD_COLUMNS = tuple(TABLE.c[name] for name in FIELD_NAMES)


def _any_filled():
    """True for a review with at least one answer: a row whose fields were all cleared is no review."""
    return sa.or_(*(column.is_not(None) for column in FIELD_COLUMNS))


def day_of(day: date, today: date, review: DailyReview | None, previous_intentions: str | None = None) -> Day:
    """The day page's view of a review just saved (its previous intentions are not needed)."""
    return Day(day, today, review, previous_intentions, FIELD_NAMES)


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
    return Day(day, today, rows.get(day), before.tomorrow_intentions if before else None, FIELD_NAMES)


def save_fields(user: User, day: date, today: date, values: dict) -> DailyReview:
    """Write the given fields of the day's review (None clears one) and leave every other field alone.

    One atomic INSERT ... ON CONFLICT DO UPDATE: the first save of a day creates the row, and
    two first saves arriving together (two tabs, a double tap) still make one row.
    """
    if day > today:
        raise FieldError("That day has not happened yet; review it when it comes.")
    unknown = set(values) - set(FIELD_NAMES)
    if unknown or not values:
        raise FieldError("Nothing to save.")
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

# Today asks on every request: the statement is built once, the user and days are parameters.
_STATUS = sa.select(
    DailyReview.review_date,
    sum((sa.case((column.is_not(None), 1), else_=0) for column in FIELD_COLUMNS), sa.literal(0)),
    DailyReview.tomorrow_intentions,
).where(
    DailyReview.user_id == sa.bindparam("user_id", type_=sa.Uuid),
    DailyReview.review_date.in_((sa.bindparam("day", type_=sa.Date), sa.bindparam("eve", type_=sa.Date))),
)


def review_status(user: User, day: date) -> ReviewStatus:
    """Whether the day's review exists, how many of its fields are filled, and the intentions set
    for the day the evening before: both days in one query, for Today."""
    eve = day - timedelta(days=1)
    by_day = {row[0]: row for row in db.session.execute(_STATUS, {"user_id": user.id, "day": day, "eve": eve})}
    own, before = by_day.get(day), by_day.get(eve)
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

OVERVIEW_COLUMNS = (
    DailyReview.review_date, DailyReview.mood_rating, DailyReview.energy_level, DailyReview.sleep_hours,
    DailyReview.highlights, DailyReview.accomplishments,
)


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
    weeks = calendar_weeks(month, today, {
        row.review_date: row.mood_rating for row in rows if month <= row.review_date <= last})
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
        "mood": average(row.mood_rating for row in window if row),
        "energy": average(row.energy_level for row in window if row),
        "sleep": average(row.sleep_hours for row in window if row),
    }
    return Overview(
        today=today, month=month, weeks=weeks,
        month_reviews=[row for row in reversed(rows) if month <= row.review_date <= last],
        streaks=logic.review_streaks(reviewed, today), total_reviews=len(reviewed),
        charts=charts, averages=averages,
    )
