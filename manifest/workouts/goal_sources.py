"""Goal sources of this area: workouts, minutes and distance, for all workouts or one type.

An option's id is ``uuid5(NAMESPACE, "<user id>:<type>")`` ("any" for all types): stable, so a
linked goal keeps working, and derived from the owner, so a goal can only read its owner's
workouts. compute() rebuilds the ids of the requesting user and ignores any other id.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.goals.sources import SourceOption, SourceRequest, register_source
from manifest.models import User, Workout, WorkoutExercise
from manifest.units import DISTANCE_UNITS, convert_distance
from manifest.workouts.logic import WORKOUT_TYPES

NAMESPACE = uuid.UUID("5d7f2b8e-4a47-4c55-9a0b-6f1f0c3e9a21")
ANY = "any"
COUNT, MINUTES, DISTANCE = "workouts.count", "workouts.minutes", "workouts.distance"
KM_PER = {unit: convert_distance(1, unit, "km") for unit in DISTANCE_UNITS}


def type_source_id(user_id: uuid.UUID, workout_type: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{user_id}:{workout_type}")


def _ids(user: User) -> dict[uuid.UUID, str]:
    return {type_source_id(user.id, kind): kind for kind in (ANY, *WORKOUT_TYPES)}


def options(user: User, unit: str) -> list[SourceOption]:
    return [SourceOption(type_source_id(user.id, kind), "All workouts" if kind == ANY else kind.capitalize(), unit)
            for kind in (ANY, *WORKOUT_TYPES)]


def _per_day():
    """Per day and type: the workouts, their minutes and their kilometres. Built once, with the
    user and the range as parameters."""
    unit_factor = sa.case(
        *((WorkoutExercise.distance_unit == unit, sa.literal(factor)) for unit, factor in KM_PER.items()),
        else_=sa.literal(Decimal(1)),
    )
    km = (
        sa.select(WorkoutExercise.workout_id, sa.func.sum(WorkoutExercise.distance * unit_factor).label("km"))
        .where(WorkoutExercise.distance.is_not(None)).group_by(WorkoutExercise.workout_id).subquery()
    )
    return (
        sa.select(Workout.workout_date, Workout.workout_type, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(Workout.duration_minutes), 0), sa.func.coalesce(sa.func.sum(km.c.km), 0))
        .outerjoin(km, km.c.workout_id == Workout.id)
        .where(Workout.user_id == sa.bindparam("user_id"),
               Workout.workout_date.between(sa.bindparam("first"), sa.bindparam("last")))
        .group_by(Workout.workout_date, Workout.workout_type)
    )


PER_DAY = _per_day()


def compute(user: User, requests: Sequence[SourceRequest]) -> dict[SourceRequest, Decimal]:
    """One grouped query: per day and type, the workouts, their minutes and their kilometres."""
    ids = _ids(user)
    wanted = [r for r in requests if r.source_id in ids]
    if not wanted:
        return {}
    first, last = min(r.start for r in wanted), max(r.end for r in wanted)
    rows = db.session.execute(PER_DAY, {"user_id": user.id, "first": first, "last": last}).all()
    per_day: dict[str, list[tuple[date, Decimal, Decimal, Decimal]]] = defaultdict(list)
    for day, kind, count, minutes, kms in rows:
        values = (day, Decimal(count), Decimal(minutes), Decimal(str(kms)))
        per_day[ANY].append(values)
        per_day[(kind or "").lower()].append(values)
    miles = (user.distance_unit or "km") == "miles"
    answers = {}
    for request in wanted:
        kind = ids[request.source_id]
        days = [v for v in per_day.get(kind, []) if request.start <= v[0] <= request.end]
        if request.key == COUNT:
            total = sum((v[1] for v in days), Decimal(0))
        elif request.key == MINUTES:
            total = sum((v[2] for v in days), Decimal(0))
        else:
            total = sum((v[3] for v in days), Decimal(0))
            total = (convert_distance(total, "km", "miles") if miles else total).quantize(Decimal("0.01"))
        answers[request] = total
    return answers


register_source(COUNT, "Workouts done", "workouts", compute, lambda user: options(user, "workouts"))
register_source(MINUTES, "Minutes of exercise", "min", compute, lambda user: options(user, "min"))
register_source(DISTANCE, "Distance covered", "km", compute, lambda user: options(user, user.distance_unit or "km"))
