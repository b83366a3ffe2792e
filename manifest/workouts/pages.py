"""What the workout pages show, built from rows already loaded: pure (no database, no Flask)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from manifest.units import to_kg, to_meters, weight_for_display
from manifest.workouts import logic

if TYPE_CHECKING:
    from manifest.models import Workout, WorkoutExercise, WorkoutSet


# --- the list --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListedWorkout:
    workout: Workout
    exercises: int


@dataclass(frozen=True)
class WorkoutPage:
    items: list[ListedWorkout]
    page: int
    has_next: bool


def workout_page(rows: list[tuple[Workout, int]], page: int, size: int) -> WorkoutPage:
    """A page of (workout, exercise count) rows, fetched one beyond ``size`` to know whether another follows."""
    return WorkoutPage([ListedWorkout(w, n) for w, n in rows[:size]], page, len(rows) > size)


# --- one workout -----------------------------------------------------------------------------

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

    def mark_new_records(self, beaten: list[str], set_id: uuid.UUID | None = None) -> ExerciseView:
        """Show the records just beaten: on the set that beat them, or on the exercise's own line."""
        if set_id is None:
            self.new_records = list(beaten)
        for view in self.sets:
            if view.row.id == set_id:
                view.new_records = list(beaten)
        return self


@dataclass
class WorkoutView:
    workout: Workout
    exercises: list[ExerciseView]
    names: list[str]

    @property
    def total_sets(self) -> int:
        return sum(len(e.sets) or (e.exercise.sets or 0) for e in self.exercises)

    def find(self, exercise_id: uuid.UUID) -> ExerciseView:
        return next(e for e in self.exercises if e.id == exercise_id)


def lift(row: WorkoutSet) -> logic.Lift:
    weight = None if row.weight is None else to_kg(row.weight, row.weight_unit)
    return logic.Lift(weight, row.reps, row.set_type, row.id)


def exercise_view(exercise: WorkoutExercise, sets: Iterable[WorkoutSet], rec: logic.Records | None) -> ExerciseView:
    """An exercise with its sets in order, their summary and best, and which of them hold a record."""
    sets = sorted(sets, key=lambda s: (s.position, s.created_at))
    views = [SetView(row, n) for n, row in enumerate(sets, 1)]
    summary = logic.summarise(lift(s) for s in sets) if sets else None
    best = None
    if summary and summary.best is not None:
        best = next(s for s in sets if s.id == summary.best.key)
    if rec is not None:
        for view in views:
            view.holds = logic.holds_record(rec, lift(view.row))
    meters = None if exercise.distance is None else to_meters(exercise.distance, exercise.distance_unit)
    return ExerciseView(exercise, views, summary, best, logic.pace(exercise.duration_seconds, meters))


def set_defaults(view: ExerciseView, preferred_unit: str) -> dict:
    """What the add-set form starts with: the last set again, else the exercise's planned reps and
    weight, in the user's preferred unit."""
    planned = view.sets[-1].row if view.sets else view.exercise
    weight, unit = weight_for_display(planned.weight, planned.weight_unit, preferred_unit)
    return {"reps": planned.reps, "weight": weight, "weight_unit": unit}


# --- history and progress ----------------------------------------------------------------------

@dataclass(frozen=True)
class RecordRow:
    name: str
    records: logic.Records


def record_rows(names: Iterable[str], recs: dict[str, logic.Records]) -> list[RecordRow]:
    """Every exercise holding a record, alphabetically, under its name as most often typed."""
    by_lower = {n.lower(): n for n in names}
    return sorted((RecordRow(by_lower.get(k, k), v) for k, v in recs.items() if v.any()),
                  key=lambda r: r.name.lower())


@dataclass(frozen=True)
class DayPoint:
    day: date
    heaviest: Decimal | None  # kg
    one_rep_max: Decimal | None  # kg
    meters: Decimal | None
    pace: Decimal | None  # seconds per km


@dataclass(frozen=True)
class Progress:
    weeks: list[logic.Week]
    month: logic.Month
    records: list[RecordRow]


# --- for Today ------------------------------------------------------------------------------

@dataclass(frozen=True)
class TodaySummary:
    workouts: int
    minutes: int
    calories: int
    names: list[str]


def today_summary(rows: Iterable) -> TodaySummary:
    """The day's workouts (rows with name, type, minutes and calories): how many, their time, calories and names."""
    rows = list(rows)
    return TodaySummary(
        workouts=len(rows), minutes=sum(r.duration_minutes or 0 for r in rows),
        calories=sum(r.calories_burned or 0 for r in rows),
        names=[r.workout_name or (r.workout_type or "Workout").capitalize() for r in rows],
    )
