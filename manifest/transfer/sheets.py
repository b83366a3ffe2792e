"""The spreadsheets people ask for by name, streamed as they are read: the food log, workouts with
one line per set, habit check-ins as a grid of days × habits (the shape of Loop's Checkmarks.csv),
and body measurements.

UTF-8 with a header row, ISO dates, numbers with a dot; each is read in batches, so a long history
costs no more memory than a short one."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import (
    Food,
    Habit,
    HabitEntry,
    Measurement,
    Workout,
    WorkoutExercise,
    WorkoutSet,
)
from manifest.transfer.values import to_csv

BATCH = 1000


def _lines(rows: Iterator[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([to_csv(v) for v in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _paged(statement: sa.Select, order: list) -> Iterator[sa.Row]:
    """Rows of ``statement`` in batches of BATCH by offset on a total order (each batch read whole)."""
    offset = 0
    while True:
        rows = db.session.execute(statement.order_by(*order).limit(BATCH).offset(offset)).all()
        yield from rows
        if len(rows) < BATCH:
            return
        offset += BATCH


FOOD_HEADER = ["date", "time", "meal", "food", "portion", "calories", "protein_g", "carbs_g", "fat_g",
               "fiber_g", "sugar_g", "sodium_mg", "favorite", "notes"]


def food_log(user_id: uuid.UUID) -> Iterator[str]:
    f = Food.__table__.c
    statement = sa.select(f.meal_date, f.meal_time, f.meal_type, f.food_name, f.portion_size, f.calories,
                          f.protein_grams, f.carbs_grams, f.fats_grams, f.fiber_grams, f.sugar_grams,
                          f.sodium_mg, f.is_favorite, f.notes).where(f.user_id == user_id)
    rows = _paged(statement, [f.meal_date, f.meal_time.is_(None), f.meal_time, f.id])
    return _lines(_with_header(FOOD_HEADER, (list(r) for r in rows)))


WORKOUT_HEADER = ["date", "time", "workout", "type", "duration_minutes", "intensity", "exercise", "set",
                  "set_type", "reps", "weight", "weight_unit", "distance", "distance_unit", "seconds",
                  "exercise_notes", "workout_notes"]


def workouts(user_id: uuid.UUID) -> Iterator[str]:
    """One line per set; an exercise without sets gets one line of its own (its distance, its time)."""
    w, e, s = Workout.__table__.c, WorkoutExercise.__table__.c, WorkoutSet.__table__.c
    statement = (
        sa.select(w.workout_date, w.workout_time, w.workout_name, w.workout_type, w.duration_minutes, w.intensity,
                  e.exercise_name, s.position, s.set_type, sa.func.coalesce(s.reps, e.reps),
                  sa.func.coalesce(s.weight, e.weight), sa.func.coalesce(s.weight_unit, e.weight_unit),
                  e.distance, e.distance_unit, e.duration_seconds, e.notes, w.notes)
        .select_from(Workout.__table__)
        .outerjoin(WorkoutExercise.__table__, e.workout_id == w.id)
        .outerjoin(WorkoutSet.__table__, s.workout_exercise_id == e.id)
        .where(w.user_id == user_id)
    )
    order = [w.workout_date, w.workout_time.is_(None), w.workout_time, w.id, e.order_index, e.id, s.position, s.id]

    def lines():
        for row in _paged(statement, order):
            values = list(row)
            if values[7] is not None:
                values[7] += 1  # sets are numbered from 1 for people
            yield values

    return _lines(_with_header(WORKOUT_HEADER, lines()))


def _with_header(header: list[str], rows: Iterator[list]) -> Iterator[list]:
    yield header
    yield from rows


def habit_cell(completed: bool, skipped: bool, value, numeric: bool) -> str:
    if skipped:
        return "SKIP"
    if numeric and value is not None:
        return to_csv(value)
    return "YES" if completed else "NO"


def habit_grid(user_id: uuid.UUID) -> Iterator[str]:
    """Date, then one column per habit (in the user's order), newest day first, as Loop writes it.
    A cell is YES, NO, SKIP, a number habit's amount, or empty when nothing was recorded."""
    habits = db.session.execute(
        sa.select(Habit.id, Habit.name, Habit.habit_type).where(Habit.user_id == user_id)
        .order_by(Habit.position, Habit.created_at, Habit.id)
    ).all()
    column = {h.id: n for n, h in enumerate(habits)}
    numeric = {h.id: h.habit_type == "numeric" for h in habits}
    h, en = Habit.__table__.c, HabitEntry.__table__.c
    statement = (sa.select(en.entry_date, en.habit_id, en.completed, en.skipped, en.value)
                 .join(Habit.__table__, h.id == en.habit_id).where(h.user_id == user_id))

    def lines():
        day, cells = None, None
        for row in _paged(statement, [en.entry_date.desc(), en.habit_id]):
            if row.entry_date != day:
                if day is not None:
                    yield [day, *cells]
                day, cells = row.entry_date, [""] * len(habits)
            cells[column[row.habit_id]] = habit_cell(row.completed, row.skipped, row.value, numeric[row.habit_id])
        if day is not None:
            yield [day, *cells]

    return _lines(_with_header(["Date", *(h.name for h in habits)], lines()))


MEASUREMENT_HEADER = ["date", "weight", "weight_unit", "body_fat_percentage", "waist", "waist_unit", "note"]


def measurements(user_id: uuid.UUID) -> Iterator[str]:
    """One line per measurement, oldest first, each value in the unit it was entered in."""
    m = Measurement.__table__.c
    statement = sa.select(m.measured_on, m.weight, m.weight_unit, m.body_fat_percentage, m.waist, m.waist_unit,
                          m.note).where(m.user_id == user_id)
    rows = _paged(statement, [m.measured_on, m.created_at, m.id])
    return _lines(_with_header(MEASUREMENT_HEADER, (list(r) for r in rows)))
