"""Where a goal can take its progress from instead of entries recorded by hand.

Each area registers its sources once, at import time::

    register_source("workouts.minutes", "Minutes of exercise", "min", compute, options)

``compute(user, requests)`` answers many goals at once: one request per goal (or per period
of a recurring goal), each naming the row it reads and a range of days. It returns the value
of every request whose row still exists and belongs to ``user``; a missing request means "not
available". It should run one grouped query whatever the number of requests, so that pages
listing goals keep a constant number of queries. Sources that share a compute function are
answered by one call.

``options(user)`` lists what a goal can be linked to, for the goal form.

A linked goal's progress is computed whenever it is read, so it always agrees with the
source's own data and nothing has to be kept in sync.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Habit, HabitEntry, User


@dataclass(frozen=True)
class SourceRequest:
    key: str
    source_id: uuid.UUID
    start: date
    end: date


@dataclass(frozen=True)
class SourceOption:
    id: uuid.UUID
    name: str
    unit: str


Compute = Callable[[User, Sequence[SourceRequest]], Mapping[SourceRequest, Decimal]]
Options = Callable[[User], Sequence[SourceOption]]


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    unit: str
    compute: Compute
    options: Options


SOURCES: dict[str, Source] = {}


def register_source(key: str, label: str, unit: str, compute: Compute, options: Options | None = None) -> None:
    """Make a source available to goals. ``unit`` is the default unit of a linked goal."""
    if len(key) > 50 or ":" in key:
        raise ValueError("a source key has at most 50 characters and no colon")
    SOURCES[key] = Source(key, label, unit, compute, options or (lambda user: []))


def get(key: str | None) -> Source | None:
    return SOURCES.get(key or "")


def compute_all(user: User, requests: Sequence[SourceRequest]) -> dict[SourceRequest, Decimal]:
    """Every request answered, one call per compute function; unknown keys are left out."""
    grouped: dict[Compute, list[SourceRequest]] = defaultdict(list)
    for request in dict.fromkeys(requests):
        source = SOURCES.get(request.key)
        if source is not None:
            grouped[source.compute].append(request)
    answers: dict[SourceRequest, Decimal] = {}
    for compute, batch in grouped.items():
        answers.update(compute(user, batch))
    return answers


def options_for(user: User) -> list[tuple[Source, list[SourceOption]]]:
    return [(source, list(source.options(user))) for source in SOURCES.values()]


# --- habits --------------------------------------------------------------------------------

HABIT_COMPLETIONS = "habit.completions"
HABIT_VALUES = "habit.values"


def _habit_entries():
    """The entries of some of the user's habits in a range of days, each habit at least once (an
    outer join), by day. Built once: the user, the habits and the range are parameters; plain
    table columns skip the ORM's work per statement (the session still flushes before it runs)."""
    habits, entries = Habit.__table__.c, HabitEntry.__table__.c
    in_range = entries.entry_date.between(sa.bindparam("first"), sa.bindparam("last"))
    return (
        sa.select(habits.id, entries.entry_date, entries.completed, entries.value)
        .select_from(Habit.__table__)
        .outerjoin(HabitEntry.__table__, sa.and_(entries.habit_id == habits.id, in_range))
        .where(habits.user_id == sa.bindparam("user_id"), habits.id.in_(sa.bindparam("ids", expanding=True)))
        .order_by(entries.entry_date)
    )


HABIT_ENTRIES = _habit_entries()


def _running(entries: list, key: str) -> tuple[list[date], list[Decimal]]:
    """The days of a habit's entries and the total up to each, so that each of many requests (a
    recurring goal's whole history, say) is two binary searches instead of a walk over them."""
    totals, total = [Decimal(0)], Decimal(0)
    for _, completed, value in entries:
        if key == HABIT_VALUES:
            total += value or Decimal(0)
        elif completed:
            total += 1
        totals.append(total)
    return [day for day, _, _ in entries], totals


def habit_progress(user: User, requests: Sequence[SourceRequest]) -> dict[SourceRequest, Decimal]:
    """Completions (or values, for number habits) of the user's habits within each request's days.

    One query for every request: the entries of the habits asked about in the overall range,
    with an outer join so that a habit without entries still answers 0.
    """
    if not requests:
        return {}
    rows = db.session.execute(HABIT_ENTRIES, {
        "user_id": user.id, "ids": sorted({r.source_id for r in requests}),
        "first": min(r.start for r in requests), "last": max(r.end for r in requests),
    }).all()
    entries: dict[uuid.UUID, list] = {}
    for habit_id, day, completed, value in rows:
        found = entries.setdefault(habit_id, [])
        if day is not None:
            found.append((day, completed, value))
    running: dict[tuple[uuid.UUID, str], tuple[list[date], list[Decimal]]] = {}
    answers = {}
    for request in requests:
        found = entries.get(request.source_id)
        if found is None:
            continue
        key = HABIT_VALUES if request.key == HABIT_VALUES else HABIT_COMPLETIONS
        series = running.get((request.source_id, key))
        if series is None:
            series = running[(request.source_id, key)] = _running(found, key)
        days, totals = series
        answers[request] = totals[bisect_right(days, request.end)] - totals[bisect_left(days, request.start)]
    return answers


def _habit_options(user: User, *, numeric_only: bool) -> list[SourceOption]:
    query = sa.select(Habit.id, Habit.name, Habit.unit, Habit.is_active).where(Habit.user_id == user.id)
    if numeric_only:
        query = query.where(Habit.habit_type == "numeric")
    rows = db.session.execute(query.order_by(Habit.is_active.desc(), Habit.position, Habit.name)).all()
    return [
        SourceOption(row.id, row.name + ("" if row.is_active else " (archived)"),
                     (row.unit or "units") if numeric_only else "times")
        for row in rows
    ]


register_source(HABIT_COMPLETIONS, "Times a habit is done", "times", habit_progress,
                lambda user: _habit_options(user, numeric_only=False))
register_source(HABIT_VALUES, "Total of a number habit", "units", habit_progress,
                lambda user: _habit_options(user, numeric_only=True))
