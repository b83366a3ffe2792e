"""Goals filled from the food log: the average daily calories or protein over a goal's days.

There is one thing to link to, the user's whole log, so its option id is the user's own id; a
request naming any other id (a goal copied from someone else, say) gets no answer.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.goals.sources import SourceOption, SourceRequest, register_source
from manifest.models import Food, User
from manifest.nutrition.logic import SHOWN_STEP

CALORIES = "nutrition.calories"
PROTEIN = "nutrition.protein"
COLUMNS = {CALORIES: Food.calories, PROTEIN: Food.protein_grams}
# An average is rounded as the food pages show it: whole kcal, protein to a tenth of a gram.
STEP = {CALORIES: SHOWN_STEP["calories"], PROTEIN: SHOWN_STEP["protein_grams"]}
# Built once, with the user and the range as parameters.
DAILY_SUMS = (
    sa.select(Food.meal_date, sa.func.sum(Food.calories).label("calories"),
              sa.func.sum(Food.protein_grams).label("protein"))
    .where(Food.user_id == sa.bindparam("user_id"), Food.meal_date.between(sa.bindparam("first"), sa.bindparam("last")))
    .group_by(Food.meal_date)
    .order_by(Food.meal_date)
)


def average_per_day(user: User, requests: Sequence[SourceRequest]) -> dict[SourceRequest, Decimal]:
    """Each request's average over the days in its range that have entries (0 when none do).

    One grouped statement for every request: daily sums over the overall range, then running
    totals so that each request is two binary searches.
    """
    mine = [r for r in requests if r.source_id == user.id and r.key in COLUMNS]
    if not mine:
        return {}
    first, last = min(r.start for r in mine), max(r.end for r in mine)
    rows = db.session.execute(DAILY_SUMS, {"user_id": user.id, "first": first, "last": last}).all()
    days = [row.meal_date for row in rows]
    running = {CALORIES: [Decimal(0)], PROTEIN: [Decimal(0)]}
    for row in rows:
        running[CALORIES].append(running[CALORIES][-1] + Decimal(row.calories or 0))
        running[PROTEIN].append(running[PROTEIN][-1] + Decimal(row.protein or 0))
    answers = {}
    for request in mine:
        low, high = bisect_left(days, request.start), bisect_right(days, request.end)
        logged = high - low
        total = running[request.key][high] - running[request.key][low]
        answers[request] = (total / logged).quantize(STEP[request.key], rounding=ROUND_HALF_UP) if logged else Decimal(0)
    return answers


def _options(unit: str):
    def options(user: User) -> list[SourceOption]:
        return [SourceOption(id=user.id, name="All my meals", unit=unit)]
    return options


register_source(CALORIES, "Average daily calories", "kcal", average_per_day, _options("kcal"))
register_source(PROTEIN, "Average daily protein", "g", average_per_day, _options("g"))
