"""The food log: every query is scoped to its owner, whose user object is always the first argument.

Pages load in a constant number of statements: the day's entries, favorites and recent foods
are one query each, and a week is one grouped query.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa

from manifest import queries
from manifest.extensions import db
from manifest.forms import FieldError, not_in_future
from manifest.models import Food, User
from manifest.models.nutrition import MEAL_TYPES
from manifest.nutrition import logic, pages
from manifest.nutrition.logic import NUTRIENTS, Totals
from manifest.timeutil import local_today

if TYPE_CHECKING:
    from manifest.nutrition.forms import FoodEntry, MealSlot

ENTRY_FIELDS = ("food_name", "portion_size", "meal_time", *NUTRIENTS, "notes")
QUICK_LIMIT = 8
SUGGEST_LIMIT = 6


# --- reading -------------------------------------------------------------------------------

def _day_entries(user: User, day: date) -> list[Food]:
    return list(db.session.scalars(
        sa.select(Food).where(Food.user_id == user.id, Food.meal_date == day)
        .order_by(Food.meal_time.is_(None), Food.meal_time, Food.created_at, Food.id)
    ))


def _latest_per_name(user: User, *conditions, limit: int) -> list[Food]:
    """The newest entry of each distinct food name (case-insensitive) among the user's entries that
    match ``conditions``, newest first: one statement with a window function."""
    name = sa.func.lower(Food.food_name)
    ranked = (
        sa.select(Food.id, sa.func.row_number().over(
            partition_by=name, order_by=(Food.meal_date.desc(), Food.created_at.desc(), Food.id)).label("rank"))
        .where(Food.user_id == user.id, *conditions)
        .subquery()
    )
    return list(db.session.scalars(
        sa.select(Food).join(ranked, ranked.c.id == Food.id)
        .where(ranked.c.rank == 1, Food.user_id == user.id)
        .order_by(Food.meal_date.desc(), Food.created_at.desc(), Food.id)
        .limit(limit)
    ))


def favorites(user: User) -> list[Food]:
    return _latest_per_name(user, Food.is_favorite.is_(True), limit=QUICK_LIMIT * 2)


def recent(user: User, before: date | None = None) -> list[Food]:
    """Foods eaten lately (not favorites: those have their own list)."""
    conditions = [Food.is_favorite.is_(False)]
    if before is not None:
        conditions.append(Food.meal_date <= before)
    return _latest_per_name(user, *conditions, limit=QUICK_LIMIT)


def suggestions(user: User, text: str | None) -> list[Food]:
    """Past foods whose name contains ``text``, the newest entry of each, names starting with it first."""
    text = " ".join((text or "").split())[:100]
    if len(text) < 1:
        return []
    found = _latest_per_name(
        user, queries.contains(Food.food_name, text), limit=SUGGEST_LIMIT * 3,
    )
    lowered = text.lower()
    found.sort(key=lambda f: (not f.food_name.lower().startswith(lowered), f.food_name.lower()))
    return found[:SUGGEST_LIMIT]


def day_log(user: User, day: date) -> pages.DayLog:
    """Everything the day page shows, in three statements."""
    return pages.day_log(day, _day_entries(user, day), logic.user_targets(user), favorites(user), recent(user))


# Today asks for one day's sums on every request: built once, the user and days are parameters.
_SUMS_BY_DAY = (
    sa.select(Food.meal_date, sa.func.count().label("entries"), *(sa.func.sum(getattr(Food, n)).label(n) for n in NUTRIENTS))
    .where(Food.user_id == sa.bindparam("user_id", type_=sa.Uuid),
           Food.meal_date.between(sa.bindparam("first", type_=sa.Date), sa.bindparam("last", type_=sa.Date)))
    .group_by(Food.meal_date)
)


def _sums_by_day(user: User, first: date, last: date) -> dict[date, Totals]:
    rows = db.session.execute(_SUMS_BY_DAY, {"user_id": user.id, "first": first, "last": last}).all()
    return {
        row.meal_date: Totals({n: Decimal(getattr(row, n) or 0) for n in NUTRIENTS}, row.entries,
                              frozenset(n for n in NUTRIENTS if getattr(row, n) is None))
        for row in rows
    }


def day_summary(user: User, day: date) -> pages.DaySummary:
    """One statement: the day's totals, with progress against the targets kept on the user."""
    return pages.day_summary(day, _sums_by_day(user, day, day).get(day, Totals()), logic.user_targets(user))


def week(user: User, day: date) -> pages.Week:
    """Monday to Sunday around ``day``: one grouped statement."""
    days = logic.week_days(day)
    return pages.week(days, _sums_by_day(user, days[0], days[-1]), logic.user_targets(user))


# --- writing: every change takes the user's own rows (manifest.ownership) --------------------

MEAL_REFUSED = "Choose breakfast, lunch, dinner or a snack."


def _is_favorite_name(user: User, name: str) -> bool:
    """A food starred before stays a favorite when logged again by hand."""
    return bool(db.session.scalar(
        sa.select(sa.literal(True)).where(
            Food.user_id == user.id, Food.is_favorite.is_(True), sa.func.lower(Food.food_name) == name.lower()
        ).limit(1)
    ))


def add_food(user: User, day: date, meal_type: str, entry: FoodEntry) -> Food:
    if meal_type not in MEAL_TYPES:
        raise FieldError(MEAL_REFUSED, "meal_type")
    not_in_future(day, local_today(user), "meal_date")
    food = Food(user_id=user.id, meal_date=day, meal_type=meal_type, **entry.columns())
    food.is_favorite = _is_favorite_name(user, food.food_name)
    db.session.add(food)
    db.session.commit()
    return food


def update_food(food: Food, entry: FoodEntry) -> Food:
    meal_type = entry.meal_type or food.meal_type
    if meal_type not in MEAL_TYPES:
        raise FieldError(MEAL_REFUSED, "meal_type")
    for name, value in entry.columns().items():
        setattr(food, name, value)
    food.meal_type = meal_type
    db.session.commit()
    return food


def delete_food(food: Food) -> None:
    db.session.delete(food)
    db.session.commit()


def set_favorite(user: User, food: Food, favorite: bool) -> Food:
    """Star or unstar a food: every entry of the user with that name, so the favorites list (one row
    per name) and the stars on the log always agree."""
    db.session.execute(
        sa.update(Food)
        .where(Food.user_id == user.id, sa.func.lower(Food.food_name) == food.food_name.lower())
        .values(is_favorite=favorite)
        .execution_options(synchronize_session="fetch")
    )
    db.session.commit()
    return food


def repeat_food(user: User, past: Food, to: MealSlot) -> Food:
    """Log a past food again, as it was, on a day in a meal."""
    if to.meal_type not in MEAL_TYPES:
        raise FieldError(MEAL_REFUSED, "meal_type")
    not_in_future(to.day, local_today(user), "day")
    food = Food(
        user_id=user.id, meal_date=to.day, meal_type=to.meal_type, is_favorite=past.is_favorite,
        **{name: getattr(past, name) for name in ENTRY_FIELDS if name not in ("meal_time", "notes")},
    )
    db.session.add(food)
    db.session.commit()
    return food


def copy_meal(user: User, source: MealSlot, to: MealSlot) -> int:
    """Copy every entry of one meal into another: one INSERT ... SELECT, whatever the number of entries.
    Returns how many were copied."""
    if source.meal_type not in MEAL_TYPES or to.meal_type not in MEAL_TYPES:
        raise FieldError(MEAL_REFUSED, "from_meal")
    if source == to:
        raise FieldError("Choose another day or meal to copy from.", "from_day")
    not_in_future(to.day, local_today(user))
    rows = list(db.session.scalars(
        sa.select(Food).where(Food.user_id == user.id, Food.meal_date == source.day, Food.meal_type == source.meal_type)
        .order_by(Food.meal_time.is_(None), Food.meal_time, Food.created_at, Food.id)
    ))
    if not rows:
        label, day = logic.MEAL_LABELS[source.meal_type].lower(), source.day
        raise FieldError(f"Nothing was logged for {label} on {day:%a} {day.day} {day:%b}.", "from_day")
    copied = [
        {"id": uuid.uuid4(), "user_id": user.id, "meal_date": to.day, "meal_type": to.meal_type,
         "is_favorite": past.is_favorite, **{name: getattr(past, name) for name in ENTRY_FIELDS}}
        for past in rows
    ]
    db.session.execute(sa.insert(Food), copied)
    db.session.commit()
    return len(copied)


def prefill(past: Food, portion: str | None) -> dict:
    """Form values from a past entry: its name and nutrients, scaled to ``portion`` when comparable."""
    portion = " ".join((portion or "").split()) or past.portion_size
    values = logic.scale_nutrients({n: getattr(past, n) for n in NUTRIENTS}, past.portion_size, portion)
    return {"food_name": past.food_name, "portion_size": portion, **values}
