"""A user's history of exercises: names, personal records, progress over weeks and months.

Every query is scoped to the owner (the first argument) and costs the same however long the history.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from manifest import queries
from manifest.extensions import db
from manifest.models import User, Workout, WorkoutExercise, WorkoutSet
from manifest.units import to_kg, to_meters
from manifest.workouts import logic, pages

if TYPE_CHECKING:
    from manifest.workouts.forms import ExerciseDetails

NAME_SUGGESTIONS = 200


def exercise_names(user: User, query: str = "", limit: int = NAME_SUGGESTIONS) -> list[str]:
    """The user's exercise names, most used first; ``query`` filters by a case-insensitive substring."""
    name = WorkoutExercise.exercise_name
    statement = (
        sa.select(name).join(Workout, Workout.id == WorkoutExercise.workout_id)
        .where(Workout.user_id == user.id)
        .group_by(name).order_by(sa.func.count().desc(), name).limit(limit)
    )
    query = query.strip()
    if query:
        statement = statement.where(queries.contains(name, query))
    seen, names = set(), []
    for found in db.session.scalars(statement):
        if found.lower() not in seen:  # "squat" and "Squat" are one exercise
            seen.add(found.lower())
            names.append(found)
    return names


def _history(user: User, names: list[str], *, exclude_set: uuid.UUID | None = None):
    """Every set and every distance/time effort of the named exercises, as plain rows: one query each.
    Rows carry the name as typed; callers key them by Python's lower case."""
    wanted = sorted({n.lower() for n in names})
    if not wanted:
        return [], []
    lowered = sa.func.lower(WorkoutExercise.exercise_name)
    # Lowered by the database on both sides, so the comparison agrees with its own notion of case.
    matches = lowered.in_([sa.func.lower(sa.literal(n)) for n in wanted])
    set_query = (
        sa.select(WorkoutExercise.exercise_name.label("name"), WorkoutSet.id, WorkoutSet.reps, WorkoutSet.weight, WorkoutSet.weight_unit,
                  WorkoutSet.set_type, Workout.workout_date)
        .join(WorkoutExercise, WorkoutExercise.id == WorkoutSet.workout_exercise_id)
        .join(Workout, Workout.id == WorkoutExercise.workout_id)
        .where(Workout.user_id == user.id, matches)
    )
    if exclude_set is not None:
        set_query = set_query.where(WorkoutSet.id != exclude_set)
    has_sets = sa.exists().where(WorkoutSet.workout_exercise_id == WorkoutExercise.id)
    # An exercise logged as one "sets x reps @ weight" line, or as a distance, counts too.
    exercise_query = (
        sa.select(WorkoutExercise.exercise_name.label("name"), WorkoutExercise.id, WorkoutExercise.reps, WorkoutExercise.weight,
                  WorkoutExercise.weight_unit, WorkoutExercise.distance, WorkoutExercise.distance_unit,
                  WorkoutExercise.duration_seconds, has_sets.label("has_sets"), Workout.workout_date)
        .join(Workout, Workout.id == WorkoutExercise.workout_id)
        .where(Workout.user_id == user.id, matches)
    )
    return db.session.execute(set_query).all(), db.session.execute(exercise_query).all()


def _gather(set_rows, exercise_rows, exclude_exercise: uuid.UUID | None = None):
    lifts: dict[str, list[logic.Lift]] = defaultdict(list)
    efforts: dict[str, list[logic.Effort]] = defaultdict(list)
    for row in set_rows:
        weight = None if row.weight is None else to_kg(row.weight, row.weight_unit)
        lifts[row.name.lower()].append(logic.Lift(weight, row.reps, row.set_type, row.id))
    for row in exercise_rows:
        if row.id == exclude_exercise:
            continue
        if not row.has_sets and (row.weight is not None or row.reps):
            weight = None if row.weight is None else to_kg(row.weight, row.weight_unit)
            lifts[row.name.lower()].append(logic.Lift(weight, row.reps, "normal", row.id))
        if row.distance or row.duration_seconds:
            meters = None if row.distance is None else to_meters(row.distance, row.distance_unit)
            efforts[row.name.lower()].append(logic.Effort(meters, row.duration_seconds, row.id))
    return lifts, efforts


def records_for(user: User, names: list[str], *, exclude_set: uuid.UUID | None = None,
                exclude_exercise: uuid.UUID | None = None) -> dict[str, logic.Records]:
    """Personal records per lower-cased exercise name across all the user's workouts."""
    lifts, efforts = _gather(*_history(user, names, exclude_set=exclude_set), exclude_exercise)
    return {name: logic.records(lifts.get(name, ()), efforts.get(name, ())) for name in {*lifts, *efforts}}


def all_records(user: User) -> list[pages.RecordRow]:
    """Every exercise's records, alphabetically: two queries whatever the history."""
    names = exercise_names(user, limit=1000)
    return pages.record_rows(names, records_for(user, names))


def beaten_by_line(user: User, details: ExerciseDetails, exclude: uuid.UUID | None, lifts: bool = True) -> list[str]:
    """Records beaten by an exercise's own line: its distance and time, and, when it has no sets of
    its own (``lifts``), its "sets x reps @ weight" (which then counts as a set)."""
    effort = lift = None
    if details.distance or details.duration_seconds:
        meters = None if details.distance is None else to_meters(details.distance, details.distance_unit)
        effort = logic.Effort(meters, details.duration_seconds)
    if lifts and (details.weight is not None or details.reps):
        weight = None if details.weight is None else to_kg(details.weight, details.weight_unit)
        lift = logic.Lift(weight, details.reps)
    if effort is None and lift is None:
        return []
    previous = records_for(user, [details.exercise_name], exclude_exercise=exclude).get(
        details.exercise_name.lower(), logic.Records())
    return logic.beaten(previous, lift=lift, effort=effort)


def exercise_history(user: User, name: str) -> list[pages.DayPoint]:
    """Per workout day, the best of the named exercise: heaviest set, best estimated 1RM, distance, pace."""
    set_rows, exercise_rows = _history(user, [name])
    by_day_sets: dict[date, list] = defaultdict(list)
    by_day_ex: dict[date, list] = defaultdict(list)
    for row in set_rows:
        by_day_sets[row.workout_date].append(row)
    for row in exercise_rows:
        by_day_ex[row.workout_date].append(row)
    points = []
    for day in sorted({*by_day_sets, *by_day_ex}):
        lifts, efforts = _gather(by_day_sets[day], by_day_ex[day])
        # Every row already matched the name, whatever the database's idea of lower case.
        rec = logic.records([x for v in lifts.values() for x in v], [x for v in efforts.values() for x in v])
        points.append(pages.DayPoint(day, rec.heaviest, rec.one_rep_max, rec.distance, rec.pace))
    return points


def day_totals(user: User, first: date, last: date) -> dict[date, tuple[int, int]]:
    """Workouts and minutes per day in a range: one grouped query."""
    rows = db.session.execute(
        sa.select(Workout.workout_date, sa.func.count(), sa.func.coalesce(sa.func.sum(Workout.duration_minutes), 0))
        .where(Workout.user_id == user.id, Workout.workout_date.between(first, last))
        .group_by(Workout.workout_date)
    ).all()
    return {day: (int(count), int(minutes)) for day, count, minutes in rows}


WEEKS_SHOWN = 12


def progress(user: User, month: date, today: date) -> pages.Progress:
    first_week = logic.week_start(today) - timedelta(weeks=WEEKS_SHOWN - 1)
    month_first = month.replace(day=1)
    grid_first = logic.week_start(month_first)
    grid_last = grid_first + timedelta(weeks=6)
    totals = day_totals(user, min(first_week, grid_first), max(today, grid_last))
    return pages.Progress(
        weeks=logic.weekly(totals, today, WEEKS_SHOWN),
        month=logic.month_grid(month_first, totals, today),
        records=all_records(user),
    )
