"""Workouts, their exercises and sets: reading one workout's page and every change to it.

Changes take the user's own rows, already looked up (manifest.ownership); queries that reach
further than one workout are scoped to the owner, the first argument. History and records: records.py.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa

from manifest import queries
from manifest.extensions import db
from manifest.filters import number
from manifest.forms import not_in_future
from manifest.models import User, Workout, WorkoutExercise, WorkoutSet
from manifest.timeutil import local_today
from manifest.units import to_kg, weight_for_display
from manifest.workouts import logic, pages, records

if TYPE_CHECKING:
    from manifest.workouts.forms import ExerciseDetails, SetDetails, WorkoutDetails

PAGE_SIZE = 20


# --- the list ------------------------------------------------------------------------------

def list_workouts(user: User, page: int = 1) -> pages.WorkoutPage:
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
    return pages.workout_page([tuple(row) for row in rows], page, PAGE_SIZE)


# --- whole workouts ------------------------------------------------------------------------

def create_workout(user: User, details: WorkoutDetails) -> Workout:
    not_in_future(details.workout_date, local_today(user), "workout_date")
    workout = Workout(user_id=user.id, **details.columns())
    db.session.add(workout)
    db.session.commit()
    return workout


def update_workout(user: User, workout: Workout, details: WorkoutDetails) -> Workout:
    not_in_future(details.workout_date, local_today(user), "workout_date")
    for name, value in details.columns().items():
        setattr(workout, name, value)
    db.session.commit()
    return workout


def delete_workout(workout: Workout) -> None:
    db.session.execute(sa.delete(Workout).where(Workout.id == workout.id, Workout.user_id == workout.user_id))
    db.session.commit()


# --- one workout's page ----------------------------------------------------------------------

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


def workout_of(exercise: WorkoutExercise) -> Workout:
    """The workout an exercise (already found among the user's) belongs to."""
    return db.session.get(Workout, exercise.workout_id)


def exercise_of(row: WorkoutSet) -> WorkoutExercise:
    """The exercise a set (already found among the user's) belongs to."""
    return db.session.get(WorkoutExercise, row.workout_exercise_id)


def workout_view(user: User, workout: Workout, *, full: bool = True) -> pages.WorkoutView:
    """The workout with its exercises and sets; ``full`` adds records and name suggestions (the page
    needs them, the summary counters do not)."""
    exercises, sets = _load_exercises([workout.id])
    recs = records.records_for(user, [e.exercise_name for e in exercises]) if full else {}
    views = [pages.exercise_view(e, sets[e.id], recs.get(e.exercise_name.lower())) for e in exercises]
    return pages.WorkoutView(workout, views, records.exercise_names(user) if full else [])


def exercise_view(user: User, exercise: WorkoutExercise) -> pages.ExerciseView:
    _, sets = _load_exercises([exercise.workout_id])
    rec = records.records_for(user, [exercise.exercise_name]).get(exercise.exercise_name.lower())
    return pages.exercise_view(exercise, sets[exercise.id], rec)


# --- exercises -----------------------------------------------------------------------------

def add_exercise(user: User, workout: Workout, details: ExerciseDetails) -> tuple[WorkoutExercise, list[str]]:
    """Adds the exercise at the end of the workout; answers the records its own line beats."""
    beaten = records.beaten_by_line(user, details, exclude=None)
    last = db.session.scalar(
        sa.select(sa.func.max(WorkoutExercise.order_index)).where(WorkoutExercise.workout_id == workout.id)
    )
    exercise = WorkoutExercise(workout_id=workout.id, order_index=(last + 1) if last is not None else 0,
                               **details.columns())
    db.session.add(exercise)
    db.session.commit()
    return exercise, beaten


def update_exercise(user: User, exercise: WorkoutExercise, details: ExerciseDetails) -> tuple[WorkoutExercise, list[str]]:
    """Saves the exercise; answers the records its new values beat."""
    has_sets = db.session.scalar(sa.select(sa.exists().where(WorkoutSet.workout_exercise_id == exercise.id)))
    beaten = records.beaten_by_line(user, details, exclude=exercise.id, lifts=not has_sets)
    for name, value in details.columns().items():
        setattr(exercise, name, value)
    db.session.commit()
    return exercise, beaten


def delete_exercise(exercise: WorkoutExercise) -> None:
    db.session.execute(sa.delete(WorkoutExercise).where(WorkoutExercise.id == exercise.id))
    db.session.commit()


def move_exercise(exercise: WorkoutExercise, offset: int) -> None:
    """Swap with the neighbour; positions are renumbered 0..n-1 on the way, healing any duplicates."""
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


# --- sets ------------------------------------------------------------------------------------

def add_set(user: User, exercise: WorkoutExercise, details: SetDetails) -> tuple[WorkoutSet, list[str]]:
    """Saves a set and answers the records it beats (compared with every other set of the exercise)."""
    last = db.session.scalar(
        sa.select(sa.func.max(WorkoutSet.position)).where(WorkoutSet.workout_exercise_id == exercise.id)
    )
    weight = None if details.weight is None else to_kg(details.weight, details.weight_unit)
    new = logic.Lift(weight, details.reps, details.set_type)
    previous = records.records_for(user, [exercise.exercise_name]).get(exercise.exercise_name.lower(), logic.Records())
    row = WorkoutSet(workout_exercise_id=exercise.id, position=(last + 1) if last is not None else 0,
                     **details.columns())
    db.session.add(row)
    db.session.commit()
    return row, logic.beaten(previous, lift=new)


def delete_set(row: WorkoutSet) -> None:
    db.session.execute(sa.delete(WorkoutSet).where(WorkoutSet.id == row.id))
    db.session.commit()


# --- repeating a workout ---------------------------------------------------------------------

PLAN_FIELDS = ("sets", "reps", "weight", "weight_unit", "distance", "distance_unit", "duration_seconds")


def repeat_workout(user: User, source: Workout, day: date, *, with_targets: bool, key: uuid.UUID) -> Workout:
    """A copy on ``day`` with the same exercises. With targets, each exercise's plan is last time's
    result (its best set when sets were logged); the sets themselves are left to be done again.

    ``key`` comes with the form: sent again, it answers the copy it already made, even when the two
    requests race (the unique key settles it in the database)."""
    made = _repeated(user, key)
    if made is not None:
        return made
    copied_id = db.session.execute(queries.insert(Workout).values(
        id=uuid.uuid4(), user_id=user.id, repeat_key=key, workout_date=day, workout_type=source.workout_type,
        workout_name=source.workout_name, intensity=source.intensity, location=source.location,
        duration_minutes=source.duration_minutes if with_targets else None,
    ).on_conflict_do_nothing(index_elements=["user_id", "repeat_key"]).returning(Workout.id)).scalar()
    if copied_id is None:  # the same form's other request made it first
        db.session.rollback()
        return _repeated(user, key)
    copy = db.session.get(Workout, copied_id)
    exercises, sets = _load_exercises([source.id])
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
                view = pages.exercise_view(exercise, sets[exercise.id], None)
                best = view.best or done[-1]
                values.update(sets=len(done), reps=best.reps, weight=best.weight,
                              weight_unit=best.weight_unit if best.weight is not None else exercise.weight_unit)
                values["notes"] = "Last time: " + ", ".join(_set_text(s, user.weight_unit) for s in done)
        db.session.add(WorkoutExercise(**values))
    db.session.commit()
    return copy


def _repeated(user: User, key: uuid.UUID) -> Workout | None:
    return db.session.scalar(sa.select(Workout).where(Workout.user_id == user.id, Workout.repeat_key == key))


def _set_text(row: WorkoutSet, preferred_unit: str) -> str:
    if row.weight is None:
        return f"{row.reps or 0} reps"
    weight, unit = weight_for_display(row.weight, row.weight_unit, preferred_unit)
    return f"{number(weight)} {unit} × {row.reps or 0}"


# --- for Today ------------------------------------------------------------------------------

# Asked on every Today request: built once, the user and day are parameters.
_DAY_WORKOUTS = (
    sa.select(Workout.workout_name, Workout.workout_type, Workout.duration_minutes, Workout.calories_burned)
    .where(Workout.user_id == sa.bindparam("user_id", type_=sa.Uuid),
           Workout.workout_date == sa.bindparam("day", type_=sa.Date))
    .order_by(Workout.workout_time.nulls_last(), Workout.created_at)
)


def today_summary(user: User, day: date) -> pages.TodaySummary:
    """The day's workouts in one query: how many, minutes, calories and their names (or types)."""
    return pages.today_summary(db.session.execute(_DAY_WORKOUTS, {"user_id": user.id, "day": day}).all())
