"""Workouts: every query and rule, always scoped to the owner (the first argument)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from manifest import queries
from manifest.extensions import db
from manifest.filters import number
from manifest.models import User, Workout, WorkoutExercise, WorkoutSet
from manifest.units import to_kg, to_meters, weight_for_display
from manifest.workouts import logic

PAGE_SIZE = 20
NAME_SUGGESTIONS = 200


# --- reading rows, always through the owner ----------------------------------------------

def get_workout(user: User, workout_id: uuid.UUID) -> Workout:
    workout = db.session.scalar(sa.select(Workout).where(Workout.id == workout_id, Workout.user_id == user.id))
    if workout is None:
        raise NotFound()
    return workout


def get_exercise(user: User, exercise_id: uuid.UUID) -> WorkoutExercise:
    exercise = db.session.scalar(
        sa.select(WorkoutExercise).join(Workout, Workout.id == WorkoutExercise.workout_id)
        .where(WorkoutExercise.id == exercise_id, Workout.user_id == user.id)
    )
    if exercise is None:
        raise NotFound()
    return exercise


def get_set(user: User, set_id: uuid.UUID) -> WorkoutSet:
    row = db.session.scalar(
        sa.select(WorkoutSet).join(WorkoutExercise, WorkoutExercise.id == WorkoutSet.workout_exercise_id)
        .join(Workout, Workout.id == WorkoutExercise.workout_id)
        .where(WorkoutSet.id == set_id, Workout.user_id == user.id)
    )
    if row is None:
        raise NotFound()
    return row


# --- the list ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListedWorkout:
    workout: Workout
    exercises: int


@dataclass(frozen=True)
class WorkoutPage:
    items: list[ListedWorkout]
    page: int
    has_next: bool


def list_workouts(user: User, page: int = 1) -> WorkoutPage:
    """Newest first; one query, fetching one row more than a page to know whether another follows."""
    page = max(1, page)
    # Correlated, so only the page's rows are counted (through the workout_id index), not everyone's.
    exercises = (
        sa.select(sa.func.count()).where(WorkoutExercise.workout_id == Workout.id)
        .correlate(Workout).scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Workout, exercises)
        .where(Workout.user_id == user.id)
        .order_by(Workout.workout_date.desc(), Workout.workout_time.desc().nulls_last(), Workout.created_at.desc())
        .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    items = [ListedWorkout(w, n) for w, n in rows[:PAGE_SIZE]]
    return WorkoutPage(items, page, len(rows) > PAGE_SIZE)


# --- creating and changing workouts --------------------------------------------------------

def create_workout(user: User, values: dict) -> Workout:
    workout = Workout(user_id=user.id, **values)
    db.session.add(workout)
    db.session.commit()
    return workout


def update_workout(user: User, workout_id: uuid.UUID, values: dict) -> Workout:
    workout = get_workout(user, workout_id)
    for name, value in values.items():
        setattr(workout, name, value)
    db.session.commit()
    return workout


def delete_workout(user: User, workout_id: uuid.UUID) -> None:
    workout = get_workout(user, workout_id)
    db.session.execute(sa.delete(Workout).where(Workout.id == workout.id, Workout.user_id == user.id))
    db.session.commit()


# --- one workout's page ----------------------------------------------------------------------

@dataclass
class SetView:
    row: WorkoutSet
    number: int
    new_records: list[str] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)


@dataclass
class ExerciseView:
    exercise: WorkoutExercise
    sets: list[SetView]
    summary: logic.SetSummary | None
    best: WorkoutSet | None
    pace: Decimal | None  # seconds per km
    new_records: list[str] = field(default_factory=list)  # of the exercise's own distance/time

    @property
    def id(self) -> uuid.UUID:
        return self.exercise.id


def _lift(row: WorkoutSet) -> logic.Lift:
    weight = None if row.weight is None else to_kg(row.weight, row.weight_unit)
    return logic.Lift(weight, row.reps, row.set_type, row.id)


def _exercise_view(exercise: WorkoutExercise, sets: list[WorkoutSet], rec: logic.Records | None) -> ExerciseView:
    sets = sorted(sets, key=lambda s: (s.position, s.created_at))
    views = [SetView(row, n) for n, row in enumerate(sets, 1)]
    summary = logic.summarise(_lift(s) for s in sets) if sets else None
    best = None
    if summary and summary.best is not None:
        best = next(s for s in sets if s.id == summary.best.key)
    if rec is not None:
        for view in views:
            view.holds = logic.holds_record(rec, _lift(view.row))
    meters = None if exercise.distance is None else to_meters(exercise.distance, exercise.distance_unit)
    return ExerciseView(exercise, views, summary, best, logic.pace(exercise.duration_seconds, meters))


def _load_exercises(workout_ids: list[uuid.UUID]) -> tuple[list[WorkoutExercise], dict[uuid.UUID, list[WorkoutSet]]]:
    exercises = list(db.session.scalars(
        sa.select(WorkoutExercise).where(WorkoutExercise.workout_id.in_(workout_ids))
        .order_by(WorkoutExercise.order_index, WorkoutExercise.created_at)
    )) if workout_ids else []
    sets: dict[uuid.UUID, list[WorkoutSet]] = defaultdict(list)
    if exercises:
        for row in db.session.scalars(
            sa.select(WorkoutSet).where(WorkoutSet.workout_exercise_id.in_([e.id for e in exercises]))
        ):
            sets[row.workout_exercise_id].append(row)
    return exercises, sets


@dataclass
class WorkoutView:
    workout: Workout
    exercises: list[ExerciseView]
    names: list[str]

    @property
    def total_sets(self) -> int:
        return sum(len(e.sets) or (e.exercise.sets or 0) for e in self.exercises)


def workout_view(user: User, workout_id: uuid.UUID, *, full: bool = True) -> WorkoutView:
    """The workout with its exercises and sets; ``full`` adds records and name suggestions (the page
    needs them, the summary counters do not)."""
    workout = get_workout(user, workout_id)
    exercises, sets = _load_exercises([workout.id])
    recs = records_for(user, [e.exercise_name for e in exercises]) if full else {}
    views = [_exercise_view(e, sets[e.id], recs.get(e.exercise_name.lower())) for e in exercises]
    return WorkoutView(workout, views, exercise_names(user) if full else [])


def exercise_view(user: User, exercise_id: uuid.UUID) -> ExerciseView:
    exercise = get_exercise(user, exercise_id)
    _, sets = _load_exercises([exercise.workout_id])
    rec = records_for(user, [exercise.exercise_name]).get(exercise.exercise_name.lower())
    return _exercise_view(exercise, sets[exercise.id], rec)


# --- history: names and records --------------------------------------------------------------

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


@dataclass(frozen=True)
class RecordRow:
    name: str
    records: logic.Records


def all_records(user: User) -> list[RecordRow]:
    """Every exercise's records, alphabetically: two queries whatever the history."""
    names = exercise_names(user, limit=1000)
    by_lower = {n.lower(): n for n in names}
    recs = records_for(user, names)
    return sorted((RecordRow(by_lower.get(k, k), v) for k, v in recs.items() if v.any()),
                  key=lambda r: r.name.lower())


# --- exercises -----------------------------------------------------------------------------

def add_exercise(user: User, workout_id: uuid.UUID, values: dict) -> WorkoutExercise:
    workout = get_workout(user, workout_id)
    last = db.session.scalar(
        sa.select(sa.func.max(WorkoutExercise.order_index)).where(WorkoutExercise.workout_id == workout.id)
    )
    exercise = WorkoutExercise(workout_id=workout.id, order_index=(last + 1) if last is not None else 0, **values)
    db.session.add(exercise)
    db.session.commit()
    return exercise


def update_exercise(user: User, exercise_id: uuid.UUID, values: dict) -> tuple[WorkoutExercise, list[str]]:
    """Saves the exercise; answers the records its new values beat."""
    exercise = get_exercise(user, exercise_id)
    has_sets = db.session.scalar(sa.select(sa.exists().where(WorkoutSet.workout_exercise_id == exercise.id)))
    beaten = _beats(user, values.get("exercise_name", exercise.exercise_name), values, exclude=exercise.id,
                    lifts=not has_sets)
    for name, value in values.items():
        setattr(exercise, name, value)
    db.session.commit()
    return exercise, beaten


def _beats(user: User, name: str, values: dict, exclude: uuid.UUID | None, lifts: bool = True) -> list[str]:
    """Records beaten by an exercise's own line: its distance and time, and, when it has no sets of
    its own, its "sets x reps @ weight" (which then counts as a set)."""
    effort = lift = None
    if values.get("distance") or values.get("duration_seconds"):
        meters = None if values.get("distance") is None else to_meters(values["distance"], values.get("distance_unit"))
        effort = logic.Effort(meters, values.get("duration_seconds"))
    if lifts and (values.get("weight") is not None or values.get("reps")):
        weight = None if values.get("weight") is None else to_kg(values["weight"], values.get("weight_unit"))
        lift = logic.Lift(weight, values.get("reps"))
    if effort is None and lift is None:
        return []
    previous = records_for(user, [name], exclude_exercise=exclude).get(name.lower(), logic.Records())
    return logic.beaten(previous, lift=lift, effort=effort)


def add_exercise_checked(user: User, workout_id: uuid.UUID, values: dict) -> tuple[WorkoutExercise, list[str]]:
    get_workout(user, workout_id)
    beaten = _beats(user, values["exercise_name"], values, exclude=None)
    return add_exercise(user, workout_id, values), beaten


def delete_exercise(user: User, exercise_id: uuid.UUID) -> uuid.UUID:
    exercise = get_exercise(user, exercise_id)
    workout_id = exercise.workout_id
    db.session.execute(sa.delete(WorkoutExercise).where(WorkoutExercise.id == exercise.id))
    db.session.commit()
    return workout_id


def move_exercise(user: User, exercise_id: uuid.UUID, offset: int) -> uuid.UUID:
    """Swap with the neighbour; positions are renumbered 0..n-1 on the way, healing any duplicates."""
    exercise = get_exercise(user, exercise_id)
    order = list(db.session.scalars(
        sa.select(WorkoutExercise).where(WorkoutExercise.workout_id == exercise.workout_id)
        .order_by(WorkoutExercise.order_index, WorkoutExercise.created_at)
    ))
    index = order.index(exercise)
    target = index + offset
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    for position, row in enumerate(order):
        if row.order_index != position:
            row.order_index = position
    db.session.commit()
    return exercise.workout_id


# --- sets ------------------------------------------------------------------------------------

def add_set(user: User, exercise_id: uuid.UUID, values: dict) -> tuple[WorkoutSet, list[str]]:
    """Saves a set and answers the records it beats (compared with every other set of the exercise)."""
    exercise = get_exercise(user, exercise_id)
    last = db.session.scalar(
        sa.select(sa.func.max(WorkoutSet.position)).where(WorkoutSet.workout_exercise_id == exercise.id)
    )
    weight = None if values["weight"] is None else to_kg(values["weight"], values["weight_unit"])
    new = logic.Lift(weight, values["reps"], values["set_type"])
    previous = records_for(user, [exercise.exercise_name]).get(exercise.exercise_name.lower(), logic.Records())
    row = WorkoutSet(workout_exercise_id=exercise.id, position=(last + 1) if last is not None else 0, **values)
    db.session.add(row)
    db.session.commit()
    return row, logic.beaten(previous, lift=new)


def delete_set(user: User, set_id: uuid.UUID) -> uuid.UUID:
    row = get_set(user, set_id)
    exercise_id = row.workout_exercise_id
    db.session.execute(sa.delete(WorkoutSet).where(WorkoutSet.id == row.id))
    db.session.commit()
    return exercise_id


def set_defaults(view: ExerciseView, preferred_unit: str) -> dict:
    """What the add-set form starts with: the last set again, else the exercise's planned reps and
    weight, in the user's preferred unit."""
    planned = view.sets[-1].row if view.sets else view.exercise
    weight, unit = weight_for_display(planned.weight, planned.weight_unit, preferred_unit)
    return {"reps": planned.reps, "weight": weight, "weight_unit": unit}


# --- repeating a workout ---------------------------------------------------------------------

PLAN_FIELDS = ("sets", "reps", "weight", "weight_unit", "distance", "distance_unit", "duration_seconds")


def repeat_workout(user: User, workout_id: uuid.UUID, day: date, *, with_targets: bool) -> Workout:
    """A copy on ``day`` with the same exercises. With targets, each exercise's plan is last time's
    result (its best set when sets were logged); the sets themselves are left to be done again."""
    source = get_workout(user, workout_id)
    exercises, sets = _load_exercises([source.id])
    copy = Workout(
        user_id=user.id, workout_date=day, workout_type=source.workout_type, workout_name=source.workout_name,
        intensity=source.intensity, location=source.location,
        duration_minutes=source.duration_minutes if with_targets else None,
    )
    db.session.add(copy)
    db.session.flush()
    for exercise in exercises:
        values = {
            "workout_id": copy.id, "exercise_name": exercise.exercise_name, "exercise_type": exercise.exercise_type,
            "rest_seconds": exercise.rest_seconds, "order_index": exercise.order_index,
            "weight_unit": exercise.weight_unit, "distance_unit": exercise.distance_unit,
        }
        if with_targets:
            values.update({name: getattr(exercise, name) for name in PLAN_FIELDS})
            done = [s for s in sets[exercise.id] if s.set_type != "warmup"] or sets[exercise.id]
            if done:
                view = _exercise_view(exercise, sets[exercise.id], None)
                best = view.best or done[-1]
                values.update(sets=len(done), reps=best.reps, weight=best.weight,
                              weight_unit=best.weight_unit if best.weight is not None else exercise.weight_unit)
                values["notes"] = "Last time: " + ", ".join(_set_text(s, user.weight_unit) for s in done)
        db.session.add(WorkoutExercise(**values))
    db.session.commit()
    return copy


def _set_text(row: WorkoutSet, preferred_unit: str) -> str:
    if row.weight is None:
        return f"{row.reps or 0} reps"
    weight, unit = weight_for_display(row.weight, row.weight_unit, preferred_unit)
    return f"{number(weight)} {unit} × {row.reps or 0}"


# --- progress ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DayPoint:
    day: date
    heaviest: Decimal | None  # kg
    one_rep_max: Decimal | None  # kg
    meters: Decimal | None
    pace: Decimal | None  # seconds per km


def exercise_history(user: User, name: str) -> list[DayPoint]:
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
        points.append(DayPoint(day, rec.heaviest, rec.one_rep_max, rec.distance, rec.pace))
    return points


def day_totals(user: User, first: date, last: date) -> dict[date, tuple[int, int]]:
    """Workouts and minutes per day in a range: one grouped query."""
    rows = db.session.execute(
        sa.select(Workout.workout_date, sa.func.count(), sa.func.coalesce(sa.func.sum(Workout.duration_minutes), 0))
        .where(Workout.user_id == user.id, Workout.workout_date.between(first, last))
        .group_by(Workout.workout_date)
    ).all()
    return {day: (int(count), int(minutes)) for day, count, minutes in rows}


@dataclass(frozen=True)
class Progress:
    weeks: list[logic.Week]
    month: logic.Month
    records: list[RecordRow]


WEEKS_SHOWN = 12


def progress(user: User, month: date, today: date) -> Progress:
    first_week = logic.week_start(today) - timedelta(weeks=WEEKS_SHOWN - 1)
    month_first = month.replace(day=1)
    grid_first = logic.week_start(month_first)
    grid_last = grid_first + timedelta(weeks=6)
    totals = day_totals(user, min(first_week, grid_first), max(today, grid_last))
    return Progress(
        weeks=logic.weekly(totals, today, WEEKS_SHOWN),
        month=logic.month_grid(month_first, totals, today),
        records=all_records(user),
    )


# --- for Today ------------------------------------------------------------------------------

@dataclass(frozen=True)
class TodaySummary:
    workouts: int
    minutes: int
    calories: int
    names: list[str]


def today_summary(user: User, day: date) -> TodaySummary:
    """The day's workouts in one query: how many, minutes, calories and their names (or types)."""
    rows = db.session.execute(
        sa.select(Workout.workout_name, Workout.workout_type, Workout.duration_minutes, Workout.calories_burned)
        .where(Workout.user_id == user.id, Workout.workout_date == day)
        .order_by(Workout.workout_time.nulls_last(), Workout.created_at)
    ).all()
    return TodaySummary(
        workouts=len(rows), minutes=sum(r.duration_minutes or 0 for r in rows),
        calories=sum(r.calories_burned or 0 for r in rows),
        names=[r.workout_name or (r.workout_type or "Workout").capitalize() for r in rows],
    )
