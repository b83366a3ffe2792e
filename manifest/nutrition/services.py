"""The food log: every query is scoped to its owner, whose user object is always the first argument.

Pages load in a constant number of statements: the day's entries, favorites and recent foods
are one query each, and a week is one grouped query.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import abort

from manifest import queries
from manifest.extensions import db
from manifest.models import Food, User
from manifest.models.nutrition import MEAL_TYPES
from manifest.nutrition import logic
from manifest.nutrition.logic import NUTRIENTS, Totals

ENTRY_FIELDS = ("food_name", "portion_size", "meal_time", *NUTRIENTS, "notes")
QUICK_LIMIT = 8
SUGGEST_LIMIT = 6


class FoodError(Exception):
    """A refused change, with the form field it is about (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- reading -------------------------------------------------------------------------------

def get_food(user: User, food_id: uuid.UUID) -> Food:
    """The user's entry, or 404: another user's id looks exactly like one that never existed."""
    food = db.session.scalar(sa.select(Food).where(Food.id == food_id, Food.user_id == user.id))
    if food is None:
        abort(404)
    return food


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


@dataclass
class Meal:
    meal_type: str
    entries: list[Food]
    totals: Totals

    @property
    def label(self) -> str:
        return logic.MEAL_LABELS[self.meal_type]


@dataclass
class DayLog:
    day: date
    meals: dict[str, Meal]
    totals: Totals
    targets: list[logic.TargetProgress]
    favorites: list[Food]
    recent: list[Food]

    @property
    def calories(self) -> logic.TargetProgress:
        return self.targets[0]

    @property
    def has_targets(self) -> bool:
        return any(t.target is not None for t in self.targets)


def _meals(entries: list[Food]) -> dict[str, Meal]:
    grouped: dict[str, list[Food]] = {meal: [] for meal in MEAL_TYPES}
    for entry in entries:
        grouped[entry.meal_type].append(entry)
    return {meal: Meal(meal, rows, logic.totals(rows)) for meal, rows in grouped.items()}


def day_log(user: User, day: date) -> DayLog:
    """Everything the day page shows, in three statements."""
    entries = _day_entries(user, day)
    meals = _meals(entries)
    day_totals = logic.totals(entries)
    return DayLog(
        day=day, meals=meals, totals=day_totals, targets=logic.progress(day_totals, logic.user_targets(user)),
        favorites=favorites(user), recent=recent(user),
    )


@dataclass(frozen=True)
class DaySummary:
    """Calories (and the rest) eaten on a day against the user's targets, for Today."""

    day: date
    totals: Totals
    targets: list[logic.TargetProgress]

    @property
    def calories(self) -> logic.TargetProgress:
        return self.targets[0]

    @property
    def entries(self) -> int:
        return self.totals.count


def _sums_by_day(user: User, first: date, last: date) -> dict[date, Totals]:
    columns = [sa.func.sum(getattr(Food, n)).label(n) for n in NUTRIENTS]
    rows = db.session.execute(
        sa.select(Food.meal_date, sa.func.count().label("entries"), *columns)
        .where(Food.user_id == user.id, Food.meal_date.between(first, last))
        .group_by(Food.meal_date)
    ).all()
    return {
        row.meal_date: Totals({n: Decimal(getattr(row, n) or 0) for n in NUTRIENTS}, row.entries)
        for row in rows
    }


def day_summary(user: User, day: date) -> DaySummary:
    """One statement: the day's totals, with progress against the targets kept on the user."""
    found = _sums_by_day(user, day, day).get(day, Totals())
    return DaySummary(day, found, logic.progress(found, logic.user_targets(user)))


@dataclass(frozen=True)
class WeekDay:
    day: date
    totals: Totals


@dataclass
class Week:
    start: date
    days: list[WeekDay]
    average: Totals
    targets: list[logic.TargetProgress]  # the average day against the targets

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    def series(self, nutrient: str) -> list[tuple[str, Decimal | None]]:
        """Chart points: unlogged days are gaps, not zeros."""
        return [(f"{d.day:%a}", d.totals[nutrient] if d.totals.count else None) for d in self.days]


def week(user: User, day: date) -> Week:
    """Monday to Sunday around ``day``: one grouped statement."""
    days = logic.week_days(day)
    sums = _sums_by_day(user, days[0], days[-1])
    rows = [WeekDay(d, sums.get(d, Totals())) for d in days]
    average = logic.average([r.totals for r in rows])
    return Week(days[0], rows, average, logic.progress(average, logic.user_targets(user)))


# --- writing -------------------------------------------------------------------------------

def _clean(data: dict) -> dict:
    values = {}
    for name in ENTRY_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            value = " ".join(value.split()) if name != "notes" else value.strip()
            value = value or None
        values[name] = value
    return values


def _is_favorite_name(user: User, name: str) -> bool:
    """A food starred before stays a favorite when logged again by hand."""
    return bool(db.session.scalar(
        sa.select(sa.literal(True)).where(
            Food.user_id == user.id, Food.is_favorite.is_(True), sa.func.lower(Food.food_name) == name.lower()
        ).limit(1)
    ))


def add_food(user: User, day: date, meal_type: str, data: dict) -> Food:
    if meal_type not in MEAL_TYPES:
        raise FoodError("Choose breakfast, lunch, dinner or a snack.", "meal_type")
    values = _clean(data)
    food = Food(user_id=user.id, meal_date=day, meal_type=meal_type, **values)
    food.is_favorite = _is_favorite_name(user, food.food_name)
    db.session.add(food)
    db.session.commit()
    return food


def update_food(user: User, food_id: uuid.UUID, data: dict) -> Food:
    food = get_food(user, food_id)
    meal_type = data.get("meal_type") or food.meal_type
    if meal_type not in MEAL_TYPES:
        raise FoodError("Choose breakfast, lunch, dinner or a snack.", "meal_type")
    for name, value in _clean(data).items():
        setattr(food, name, value)
    food.meal_type = meal_type
    db.session.commit()
    return food


def delete_food(user: User, food_id: uuid.UUID) -> Food:
    food = get_food(user, food_id)
    db.session.delete(food)
    db.session.commit()
    return food


def set_favorite(user: User, food_id: uuid.UUID, favorite: bool) -> Food:
    """Star or unstar a food: every entry of the user with that name, so the favorites list (one row
    per name) and the stars on the log always agree."""
    food = get_food(user, food_id)
    db.session.execute(
        sa.update(Food)
        .where(Food.user_id == user.id, sa.func.lower(Food.food_name) == food.food_name.lower())
        .values(is_favorite=favorite)
        .execution_options(synchronize_session="fetch")
    )
    db.session.commit()
    return food


def repeat_food(user: User, food_id: uuid.UUID, day: date, meal_type: str) -> Food:
    """Log a past food again, as it was, on ``day`` in ``meal_type``."""
    past = get_food(user, food_id)
    if meal_type not in MEAL_TYPES:
        raise FoodError("Choose breakfast, lunch, dinner or a snack.", "meal_type")
    food = Food(
        user_id=user.id, meal_date=day, meal_type=meal_type, is_favorite=past.is_favorite,
        **{name: getattr(past, name) for name in ENTRY_FIELDS if name not in ("meal_time", "notes")},
    )
    db.session.add(food)
    db.session.commit()
    return food


def copy_meal(user: User, from_day: date, from_meal: str, to_day: date, to_meal: str) -> int:
    """Copy every entry of one meal into another: one INSERT ... SELECT, whatever the number of entries.
    Returns how many were copied."""
    if from_meal not in MEAL_TYPES or to_meal not in MEAL_TYPES:
        raise FoodError("Choose breakfast, lunch, dinner or a snack.", "from_meal")
    if (from_day, from_meal) == (to_day, to_meal):
        raise FoodError("Choose another day or meal to copy from.", "from_day")
    source = list(db.session.scalars(
        sa.select(Food).where(Food.user_id == user.id, Food.meal_date == from_day, Food.meal_type == from_meal)
        .order_by(Food.meal_time.is_(None), Food.meal_time, Food.created_at, Food.id)
    ))
    if not source:
        label = logic.MEAL_LABELS[from_meal].lower()
        raise FoodError(f"Nothing was logged for {label} on {from_day:%a} {from_day.day} {from_day:%b}.", "from_day")
    copied = [
        {"id": uuid.uuid4(), "user_id": user.id, "meal_date": to_day, "meal_type": to_meal,
         "is_favorite": past.is_favorite, **{name: getattr(past, name) for name in ENTRY_FIELDS}}
        for past in source
    ]
    db.session.execute(sa.insert(Food), copied)
    db.session.commit()
    return len(copied)


def prefill(user: User, food_id: uuid.UUID, portion: str | None) -> dict:
    """Form values from a past entry: its name and nutrients, scaled to ``portion`` when comparable."""
    past = get_food(user, food_id)
    portion = " ".join((portion or "").split()) or past.portion_size
    values = logic.scale_nutrients({n: getattr(past, n) for n in NUTRIENTS}, past.portion_size, portion)
    return {"food_name": past.food_name, "portion_size": portion, **values}
