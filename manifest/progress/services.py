"""Reads and writes of progress: snapshots, measurements, the rows insights read. Every function
takes the user first and reads only that user's rows.

A snapshot is stored for a closed period only; the period still running is computed live on
every visit, so it is never stale. Closed periods are written by the periodic job, by
``flask snapshots backfill``, and on a visit that finds one missing (the first visit, or after a
past day was edited: manifest/progress/freshness.py removes the snapshots such an edit outdates).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from manifest import queries
from manifest.extensions import db
from manifest.forms import FieldError, not_in_future
from manifest.goals.logic import Period
from manifest.habits import logic as habit_logic
from manifest.habits.rules import schedule_from
from manifest.models import (
    BlogEntry,
    DailyReview,
    Food,
    Goal,
    GoalProgress,
    Habit,
    HabitEntry,
    HabitPause,
    Measurement,
    ProgressSnapshot,
    User,
    Workout,
)
from manifest.progress import insights as insight_logic
from manifest.progress import logic
from manifest.timeutil import local_date, local_today
from manifest.units import convert_weight

# How many periods the progress page charts, by kind.
WINDOW = {"weekly": 26, "monthly": 24, "yearly": 10}
INSIGHT_DAYS = 365


# --- loading a user's history ---------------------------------------------------------------

def _habits(user: User, since: date) -> list[logic.HabitHistory]:
    habits = db.session.execute(
        sa.select(Habit.id, Habit.created_at, Habit.is_active, Habit.frequency, Habit.target_days, Habit.weekday_mask)
        .where(Habit.user_id == user.id)).all()
    marks: dict[uuid.UUID, dict] = defaultdict(dict)
    for habit_id, day, completed, skipped in db.session.execute(
            sa.select(HabitEntry.habit_id, HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped)
            .join(Habit, Habit.id == HabitEntry.habit_id)
            .where(Habit.user_id == user.id, HabitEntry.entry_date >= since)):
        marks[habit_id][day] = habit_logic.Mark.SKIPPED if skipped else (
            habit_logic.Mark.DONE if completed else habit_logic.Mark.MISSED)
    pauses: dict[uuid.UUID, list] = defaultdict(list)
    for habit_id, start, end in db.session.execute(
            sa.select(HabitPause.habit_id, HabitPause.start_date, HabitPause.end_date)
            .join(Habit, Habit.id == HabitPause.habit_id).where(Habit.user_id == user.id)):
        pauses[habit_id].append(habit_logic.Pause(start, end))
    return [
        logic.HabitHistory(local_date(user, h.created_at), h.is_active,
                           schedule_from(h.frequency, h.target_days, h.weekday_mask), marks[h.id], pauses[h.id])
        for h in habits
    ]


def _weight_in(user: User, weight: Decimal | None, unit: str | None) -> Decimal | None:
    if weight is None:
        return None
    return convert_weight(weight, unit or user.weight_unit, user.weight_unit).quantize(Decimal("0.01"))


def load_history(user: User, since: date) -> logic.History:
    """What snapshots read, from ``since`` on (goals and habits whatever their age)."""
    goals = [
        logic.GoalSpan(local_date(user, created), local_date(user, completed) if completed and status == "completed" else None,
                       status == "cancelled")
        for created, completed, status in db.session.execute(
            sa.select(Goal.created_at, Goal.completed_at, Goal.status).where(Goal.user_id == user.id))
    ]
    workouts = [(day, minutes or 0) for day, minutes in db.session.execute(
        sa.select(Workout.workout_date, Workout.duration_minutes)
        .where(Workout.user_id == user.id, Workout.workout_date >= since).order_by(Workout.workout_date))]
    reviews = [tuple(row) for row in db.session.execute(
        sa.select(DailyReview.review_date, DailyReview.mood_rating, DailyReview.energy_level)
        .where(DailyReview.user_id == user.id, DailyReview.review_date >= since).order_by(DailyReview.review_date))]
    # An entry counts on the day it was published, or written while it is a draft.
    journal = sorted(d for d in (local_date(user, moment) for moment in db.session.scalars(
        sa.select(sa.func.coalesce(BlogEntry.published_at, BlogEntry.created_at)).where(BlogEntry.user_id == user.id)))
        if d >= since)
    weighings = [
        logic.Weighing(day, _weight_in(user, weight, unit), fat)
        for day, weight, unit, fat in db.session.execute(
            sa.select(Measurement.measured_on, Measurement.weight, Measurement.weight_unit, Measurement.body_fat_percentage)
            .where(Measurement.user_id == user.id, Measurement.measured_on >= since)
            .order_by(Measurement.measured_on, Measurement.created_at))
    ]
    return logic.History(_habits(user, since), goals, workouts, reviews, journal, weighings)


# --- snapshots --------------------------------------------------------------------------------

def _upsert(user: User, kind: str, start: date, values: logic.Values) -> None:
    row = {**values.as_dict(), "weight_unit": user.weight_unit if values.weight is not None else None}
    insert = queries.insert(ProgressSnapshot).values(
        id=uuid.uuid4(), user_id=user.id, snapshot_date=start, snapshot_type=kind, **row)
    changes = {name: insert.excluded[name] for name in row}
    changes["updated_at"] = sa.func.now()
    db.session.execute(insert.on_conflict_do_update(
        index_elements=["user_id", "snapshot_date", "snapshot_type"], set_=changes))


def store(user: User, wanted: dict[str, list[Period]], today: date) -> int:
    """Compute and upsert the snapshots of the given closed periods: idempotent, one load of history."""
    periods = [p for spans in wanted.values() for p in spans if p.end < today]
    if not periods:
        return 0
    summariser = logic.Summariser(load_history(user, min(p.start for p in periods)))
    count = 0
    for kind, spans in wanted.items():
        for span in spans:
            if span.end < today:
                _upsert(user, kind, span.start, summariser.values(span, today))
                count += 1
    return count


def first_day(user: User) -> date:
    """The earliest day anything of the user's was recorded on, or the day the account was made,
    whichever came first: one statement, whatever the history."""
    found = [local_date(user, user.created_at)] if user.created_at else []
    earliest = [
        sa.select(sa.func.min(HabitEntry.entry_date)).join(Habit, Habit.id == HabitEntry.habit_id)
        .where(Habit.user_id == user.id).scalar_subquery(),
        *(sa.select(sa.func.min(column)).where(owner == user.id).scalar_subquery()
          for column, owner in ((Workout.workout_date, Workout.user_id), (DailyReview.review_date, DailyReview.user_id),
                                (Measurement.measured_on, Measurement.user_id), (Food.meal_date, Food.user_id))),
    ]
    found += [day for day in db.session.execute(sa.select(*earliest)).one() if day is not None]
    return min(found) if found else local_today(user)


def backfill(user: User, today: date | None = None) -> int:
    """Every closed period of every kind from the user's first recorded day, and every one the
    pages chart (so a new account's pages read snapshots too): the whole history, upserted."""
    today = today or local_today(user)
    first = first_day(user)
    wanted = {}
    for kind in logic.KINDS:
        spans = {p.start: p for p in logic.closed_periods(kind, first, today)}
        spans.update({p.start: p for p in charted_closed(kind, today)})
        wanted[kind] = sorted(spans.values())
    return store(user, wanted, today)


def window(kind: str, today: date, first: date | None = None) -> list[Period]:
    """The periods the progress page charts, the current one last: at most WINDOW of them, and
    none that ended before ``first`` (the user's first recorded day), so a history that began last
    month is not charted behind years of empty periods."""
    current = logic.period(kind, today)
    spans = [current]
    while len(spans) < WINDOW[kind]:
        before = logic.previous(kind, spans[0])
        if first is not None and before.end < first:
            break
        spans.insert(0, before)
    return spans


def charted_closed(kind: str, today: date) -> list[Period]:
    """The closed periods the progress page reads: its window and the current period a year ago."""
    spans = window(kind, today)
    return [*spans[:-1], logic.year_before(kind, spans[-1])]


def _stored(user: User, kind: str, starts: list[date]) -> dict[date, ProgressSnapshot]:
    rows = db.session.scalars(sa.select(ProgressSnapshot).where(
        ProgressSnapshot.user_id == user.id, ProgressSnapshot.snapshot_type == kind,
        ProgressSnapshot.snapshot_date.in_(starts)))
    return {row.snapshot_date: row for row in rows}


def values_of(row: ProgressSnapshot, user: User) -> logic.Values:
    data = {name: getattr(row, name) for name in logic.FIELDS}
    data["weight"] = _weight_in(user, row.weight, row.weight_unit)
    for name in ("total_goals", "completed_goals", "active_habits", "total_workouts", "total_workout_minutes",
                 "total_blog_entries"):
        data[name] = data[name] or 0
    return logic.Values(**data)


@dataclass
class Series:
    """The periods of one kind, oldest first, with their values; the last one is in progress."""

    kind: str
    periods: list[Period]
    values: list[logic.Values]
    previous_year: logic.Values | None  # the current period a year ago
    today: date
    complete: bool = True  # False when some closed period had no snapshot yet


def values_for(user: User, kind: str, closed: list[Period], current: Period | None, today: date
               ) -> tuple[dict[date, logic.Values], logic.Values | None, bool]:
    """The closed periods' values from their snapshots, any without one computed from the rows
    (a first visit, or after a past edit: the worker stores them, a GET never writes), and the
    current period live. A constant number of queries."""
    stored = _stored(user, kind, [p.start for p in closed])
    values = {start: values_of(row, user) for start, row in stored.items()}
    missing = [p for p in closed if p.start not in stored]
    live = None
    if missing or current is not None:
        since = min([p.start for p in missing] + ([current.start] if current is not None else []))
        summariser = logic.Summariser(load_history(user, since))
        for span in missing:
            values[span.start] = summariser.values(span, today)
        if current is not None:
            live = summariser.values(current, today)
    return values, live, not missing


def series(user: User, kind: str, today: date | None = None) -> Series:
    """The charted periods: closed ones from their snapshots, the current one live."""
    logic.check_kind(kind)
    today = today or local_today(user)
    spans = window(kind, today, first_day(user))
    current = spans[-1]
    last_year = logic.year_before(kind, current)
    values, live, complete = values_for(user, kind, [*spans[:-1], last_year], current, today)
    return Series(kind, spans, [values[p.start] for p in spans[:-1]] + [live], values[last_year.start], today, complete)


def refresh_closed(user: User, today: date | None = None) -> int:
    """What the periodic job does for one user: the periods that closed since the last run, and
    any a past edit removed, within the windows the pages show."""
    today = today or local_today(user)
    wanted = {}
    for kind in logic.KINDS:
        closed = charted_closed(kind, today)
        stored = _stored(user, kind, [p.start for p in closed])
        wanted[kind] = [p for p in closed if p.start not in stored]
    return store(user, wanted, today)


def forget_days(user_ids_and_days: dict, session=None) -> set:
    """Remove the snapshots of the periods holding each (user, day): they are computed again."""
    session = session or db.session
    touched = set()
    for user_id, days in user_ids_and_days.items():
        pairs = {(kind, start) for day in days for kind, start in logic.periods_containing(day).items()}
        condition = sa.or_(*(sa.and_(ProgressSnapshot.snapshot_type == kind, ProgressSnapshot.snapshot_date == start)
                             for kind, start in sorted(pairs)))
        session.execute(sa.delete(ProgressSnapshot).where(ProgressSnapshot.user_id == user_id, condition))
        touched.add(user_id)
    return touched


# --- measurements -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MeasurementCommand:
    day: date
    weight: Decimal | None
    body_fat: Decimal | None
    waist: Decimal | None
    note: str | None


def waist_unit(user: User) -> str:
    return "in" if user.distance_unit == "miles" else "cm"


def _measured(user: User, command: MeasurementCommand, today: date) -> dict:
    """The row's values for a measurement, once its rules hold; values are in the user's units now."""
    not_in_future(command.day, today, "day")
    if command.weight is None and command.body_fat is None and command.waist is None:
        raise FieldError("Enter a weight, a body fat percentage or a waist measurement.", "weight")
    return {
        "measured_on": command.day, "weight": command.weight,
        "weight_unit": user.weight_unit if command.weight is not None else None,
        "body_fat_percentage": command.body_fat, "waist": command.waist,
        "waist_unit": waist_unit(user) if command.waist is not None else None,
        "note": (command.note or "").strip() or None,
    }


def add_measurement(user: User, command: MeasurementCommand, today: date) -> Measurement:
    row = Measurement(user_id=user.id, **_measured(user, command, today))
    db.session.add(row)
    db.session.commit()
    return row


def update_measurement(user: User, row: Measurement, command: MeasurementCommand, today: date) -> Measurement:
    """Replace every value of the row (what is left out is cleared), by the same rules as adding one."""
    for name, value in _measured(user, command, today).items():
        setattr(row, name, value)
    db.session.commit()
    return row


def delete_measurement(user: User, row: Measurement) -> None:
    db.session.execute(sa.delete(Measurement).where(Measurement.id == row.id, Measurement.user_id == user.id))
    db.session.commit()


def measurements(user: User, since: date | None = None, until: date | None = None) -> list[Measurement]:
    query = sa.select(Measurement).where(Measurement.user_id == user.id)
    if since is not None:
        query = query.where(Measurement.measured_on >= since)
    if until is not None:
        query = query.where(Measurement.measured_on <= until)
    return list(db.session.scalars(query.order_by(Measurement.measured_on, Measurement.created_at)))


def latest_measurement(user: User) -> Measurement | None:
    return db.session.scalars(sa.select(Measurement).where(Measurement.user_id == user.id)
                              .order_by(Measurement.measured_on.desc(), Measurement.created_at.desc()).limit(1)).first()


def weights(user: User, rows: list[Measurement]) -> list[tuple[date, float]]:
    return [(m.measured_on, float(_weight_in(user, m.weight, m.weight_unit))) for m in rows if m.weight is not None]


# --- insights -----------------------------------------------------------------------------------

def insight_days(user: User, today: date | None = None) -> insight_logic.Days:
    """A year of the user's days as the insights read them: one grouped query per area."""
    today = today or local_today(user)
    since = today - timedelta(days=INSIGHT_DAYS - 1)
    reviews = {
        day: insight_logic.DayReview(mood, energy, productivity, float(sleep) if sleep is not None else None)
        for day, mood, energy, productivity, sleep in db.session.execute(
            sa.select(DailyReview.review_date, DailyReview.mood_rating, DailyReview.energy_level,
                      DailyReview.productivity_rating, DailyReview.sleep_hours)
            .where(DailyReview.user_id == user.id, DailyReview.review_date.between(since, today)))
    }
    workout_days = frozenset(db.session.scalars(
        sa.select(Workout.workout_date).where(Workout.user_id == user.id, Workout.workout_date.between(since, today))
        .distinct()))
    habit_rows = db.session.execute(
        sa.select(Habit.id, Habit.name, Habit.created_at, Habit.frequency, Habit.target_days, Habit.weekday_mask)
        .where(Habit.user_id == user.id, Habit.is_active)).all()
    entries: dict[uuid.UUID, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for habit_id, day, completed, skipped in db.session.execute(
            sa.select(HabitEntry.habit_id, HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped)
            .join(Habit, Habit.id == HabitEntry.habit_id)
            .where(Habit.user_id == user.id, Habit.is_active, HabitEntry.entry_date.between(since, today))):
        done, skipped_days = entries[habit_id]
        (done if completed else skipped_days if skipped else set()).add(day)
    habits = []
    for row in habit_rows:
        done, skipped_days = entries[row.id]
        schedule = schedule_from(row.frequency, row.target_days, row.weekday_mask)
        first = max(since, local_date(user, row.created_at))
        due = frozenset(first + timedelta(days=i) for i in range((today - first).days)  # today is still open
                        if schedule.is_scheduled(first + timedelta(days=i))) - skipped_days
        habits.append(insight_logic.HabitDays(str(row.id), row.name, first, frozenset(done), due))
    calories = {day: float(kcal) for day, kcal in db.session.execute(
        sa.select(Food.meal_date, sa.func.sum(Food.calories)).where(
            Food.user_id == user.id, Food.meal_date.between(since, today), Food.calories.is_not(None))
        .group_by(Food.meal_date)) if kcal is not None}
    trend = logic.weight_trend(weights(user, measurements(user, since - timedelta(days=30))))
    goal_updates = {day: count for day, count in db.session.execute(
        sa.select(GoalProgress.progress_date, sa.func.count()).join(Goal, Goal.id == GoalProgress.goal_id)
        .where(Goal.user_id == user.id, GoalProgress.progress_date.between(since, today))
        .group_by(GoalProgress.progress_date))}
    return insight_logic.Days(
        reviews=reviews, workout_days=workout_days, habits=habits, calories=calories,
        weights=_daily_trend(trend), goal_updates=goal_updates, first=since, last=today - timedelta(days=1),
        weight_unit=user.weight_unit,
    )


def _daily_trend(trend: list[logic.TrendPoint]) -> list[tuple[date, float]]:
    """The trend on every day from the first reading to the last (carried between readings)."""
    if not trend:
        return []
    result, index = [], 0
    day = trend[0].day
    while day <= trend[-1].day:
        while index + 1 < len(trend) and trend[index + 1].day <= day:
            index += 1
        result.append((day, trend[index].trend))
        day += timedelta(days=1)
    return result
