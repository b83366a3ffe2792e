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


def habit_progress(user: User, requests: Sequence[SourceRequest]) -> dict[SourceRequest, Decimal]:
    """Completions (or values, for number habits) of the user's habits within each request's days.

    One query for every request: the entries of the habits asked about in the overall range,
    with an outer join so that a habit without entries still answers 0.
    """
    if not requests:
        return {}
    first = min(r.start for r in requests)
    last = max(r.end for r in requests)
    rows = db.session.execute(
        sa.select(Habit.id, HabitEntry.entry_date, HabitEntry.completed, HabitEntry.value)
        .select_from(Habit)
        .outerjoin(HabitEntry, sa.and_(HabitEntry.habit_id == Habit.id, HabitEntry.entry_date.between(first, last)))
        .where(Habit.user_id == user.id, Habit.id.in_(sorted({r.source_id for r in requests})))
    ).all()
    habits: set[uuid.UUID] = set()
    entries: dict[uuid.UUID, list] = defaultdict(list)
    for row in rows:
        habits.add(row.id)
        if row.entry_date is not None:
            entries[row.id].append(row)
    # Running totals per habit, so that each of many requests (a recurring goal's whole
    # history, say) is two binary searches instead of a walk over every entry.
    running: dict[tuple[uuid.UUID, str], tuple[list[date], list[Decimal]]] = {}
    for habit_id, found in entries.items():
        found.sort(key=lambda e: e.entry_date)
        days = [e.entry_date for e in found]
        for key, amount in ((HABIT_VALUES, lambda e: e.value or Decimal(0)),
                            (HABIT_COMPLETIONS, lambda e: Decimal(1 if e.completed else 0))):
            totals = [Decimal(0)]
            for entry in found:
                totals.append(totals[-1] + amount(entry))
            running[(habit_id, key)] = (days, totals)
    answers = {}
    for request in requests:
        if request.source_id not in habits:
            continue
        key = HABIT_VALUES if request.key == HABIT_VALUES else HABIT_COMPLETIONS
        days, totals = running.get((request.source_id, key), ([], [Decimal(0)]))
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
