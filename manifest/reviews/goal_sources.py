"""Goals filled from daily reviews: average mood, energy and sleep, total steps and water.

There is one thing to link to, the user's own reviews, so the only option's id is the user's id;
a request naming any other id belongs to somebody else and gets no answer.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.goals.sources import SourceOption, SourceRequest, register_source
from manifest.models import DailyReview, User

# key -> (column, label, unit, kind)
METRICS = {
    "review.mood": (DailyReview.mood_rating, "Average mood (daily reviews)", "/10", "average"),
    "review.energy": (DailyReview.energy_level, "Average energy (daily reviews)", "/10", "average"),
    "review.sleep": (DailyReview.sleep_hours, "Average sleep (daily reviews)", "hours", "average"),
    "review.steps": (DailyReview.steps, "Total steps (daily reviews)", "steps", "total"),
    "review.water": (DailyReview.water_intake_ml, "Total water (daily reviews)", "ml", "total"),
}

# Every metric of the user's reviews in a range of days, by day. Built once, with the user and the
# range as parameters; a call reads the columns of the metrics it is asked for.
DAILY = (
    sa.select(DailyReview.review_date, *(column for column, *_ in METRICS.values()))
    .where(DailyReview.user_id == sa.bindparam("user_id"),
           DailyReview.review_date.between(sa.bindparam("first"), sa.bindparam("last")))
    .order_by(DailyReview.review_date)
)
COLUMN_OF = {key: position for position, key in enumerate(METRICS, start=1)}


def compute(user: User, requests: Sequence[SourceRequest]) -> dict[SourceRequest, Decimal]:
    """Every request in one query over the overall range: per metric, running sums and counts of
    the recorded days, so each request is two binary searches. Days without a value do not count
    towards an average; a range without any value averages 0."""
    mine = [r for r in requests if r.source_id == user.id and r.key in METRICS]
    if not mine:
        return {}
    keys = sorted({r.key for r in mine})
    first, last = min(r.start for r in mine), max(r.end for r in mine)
    rows = db.session.execute(DAILY, {"user_id": user.id, "first": first, "last": last}).all()
    running = {}
    for key in keys:
        index = COLUMN_OF[key]
        days, sums, counts = [], [Decimal(0)], [0]
        for row in rows:
            value = row[index]
            if value is None:
                continue
            days.append(row.review_date)
            sums.append(sums[-1] + Decimal(value))
            counts.append(counts[-1] + 1)
        running[key] = (days, sums, counts)
    answers = {}
    for request in mine:
        days, sums, counts = running[request.key]
        low, high = bisect_left(days, request.start), bisect_right(days, request.end)
        total, count = sums[high] - sums[low], counts[high] - counts[low]
        if METRICS[request.key][3] == "total":
            answers[request] = total
        else:
            answers[request] = (total / count).quantize(Decimal("0.01")) if count else Decimal(0)
    return answers


def options(user: User) -> list[SourceOption]:
    return [SourceOption(user.id, "Your daily reviews", "")]


def _options_for(key: str):
    unit = METRICS[key][2]
    return lambda user: [SourceOption(o.id, o.name, unit) for o in options(user)]


for _key, (_column, _label, _unit, _kind) in METRICS.items():
    register_source(_key, _label, _unit, compute, _options_for(_key))
