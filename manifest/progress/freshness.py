"""Snapshots follow edits of past days.

A stored snapshot sums a closed period's rows. When a row dated inside a closed period is added,
changed or removed (a workout logged for last month, a review filled in late, a check-in
corrected), the snapshots of the week, month and year holding that day are deleted in the same
transaction; the next visit, or the periodic job, computes them again from the rows.

The hook is the session itself, as for tags and attachments (manifest/models/hooks.py): every
write reaches it, whether through the ORM or a bulk statement, so no service has to remember to
call anything. A write dated in periods still open for every time zone (the usual check-in
today) costs nothing: there is no snapshot of an open period to remove.

Bulk work (an import writing thousands of rows in hundreds of statements) runs inside
``deferred()``: the writes only note what they outdate, and one statement removes it at the end.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from manifest.models import (
    BlogEntry,
    DailyReview,
    Goal,
    Habit,
    HabitEntry,
    HabitPause,
    Measurement,
    ProgressSnapshot,
    User,
    Workout,
)
from manifest.progress import logic

# Table -> (the column naming the owner, whether that column is a habit rather than a user, the day column).
DATED = {
    HabitEntry.__table__.name: ("habit_id", True, "entry_date"),
    Workout.__table__.name: ("user_id", False, "workout_date"),
    DailyReview.__table__.name: ("user_id", False, "review_date"),
    Measurement.__table__.name: ("user_id", False, "measured_on"),
}
MODELS = {HabitEntry: "habit_entries", Workout: "workouts", DailyReview: "daily_reviews", Measurement: "body_measurements"}
# Rows inserted with a past date (an import) that count in every period from that day on:
# table -> (owner column, whether it is a habit, the column the row counts from).
COUNTED_FROM = {
    Habit.__table__.name: ("user_id", False, "created_at"),
    Goal.__table__.name: ("user_id", False, "created_at"),
    HabitPause.__table__.name: ("habit_id", True, "start_date"),
}
COLLECTOR = "progress_freshness_deferred"


def could_be_closed(day: date, now: datetime | None = None) -> bool:
    """Whether some period holding ``day`` may have closed somewhere: today is at most one day
    ahead of UTC in any time zone."""
    latest_today = (now or datetime.now(UTC)).date() + timedelta(days=1)
    return logic.period("weekly", day).end < latest_today or logic.period("monthly", day).end < latest_today


class Touched:
    """The (owner, day) pairs a transaction changed, by kind of owner; the owners whose every
    snapshot it changed (a habit's schedule, a deleted goal, another time zone); and those whose
    every period from some day on it changed (a habit or goal brought in with its past)."""

    def __init__(self):
        self.users: dict = defaultdict(set)
        self.habits: dict = defaultdict(set)
        self.all_of_users: set = set()
        self.all_of_habits: set = set()
        self.since: dict = {}  # (owner, is_habit) -> the first day of every period from it on

    def add_since(self, owner, is_habit: bool, day) -> None:
        """Every period from ``day`` (a date, or a moment: a day either side of its UTC date) on."""
        if isinstance(day, datetime):
            day = day.date() - timedelta(days=1)
        if owner is None or not isinstance(day, date) or not could_be_closed(day):
            return
        key = (owner, is_habit)
        self.since[key] = min(day, self.since.get(key, day))

    def merge(self, other: Touched) -> None:
        for owner, days in other.users.items():
            self.users[owner] |= days
        for owner, days in other.habits.items():
            self.habits[owner] |= days
        self.all_of_users |= other.all_of_users
        self.all_of_habits |= other.all_of_habits
        for (owner, is_habit), day in other.since.items():
            self.add_since(owner, is_habit, day)

    def add(self, owner, is_habit: bool, day) -> None:
        if owner is None or not isinstance(day, date) or not could_be_closed(day):
            return
        (self.habits if is_habit else self.users)[owner].add(day)

    def everything(self, owner, is_habit: bool) -> None:
        if owner is not None:
            (self.all_of_habits if is_habit else self.all_of_users).add(owner)

    def __bool__(self) -> bool:
        return bool(self.users or self.habits or self.all_of_users or self.all_of_habits or self.since)


def _ids(values) -> list:
    return sorted(values, key=str)


def _forget(session: Session, touched: Touched) -> None:
    """Remove what ``touched`` outdates: one DELETE, whatever the number of rows, days and owners
    (and one SELECT first when habits name the owners)."""
    if not touched:
        return
    days: dict = defaultdict(set)
    for owner, owned in touched.users.items():
        days[owner] |= owned
    since: dict = {owner: day for (owner, is_habit), day in touched.since.items() if not is_habit}
    habits = set(touched.habits) | {owner for owner, is_habit in touched.since if is_habit}
    if habits:
        for habit_id, user_id in session.execute(sa.select(Habit.id, Habit.user_id).where(Habit.id.in_(_ids(habits)))):
            days[user_id] |= touched.habits.get(habit_id, set())
            if (habit_id, True) in touched.since:
                day = touched.since[(habit_id, True)]
                since[user_id] = min(day, since.get(user_id, day))
    snapshot = ProgressSnapshot
    conditions = []
    if touched.all_of_users:
        conditions.append(snapshot.user_id.in_(_ids(touched.all_of_users)))
    if touched.all_of_habits:
        conditions.append(snapshot.user_id.in_(
            sa.select(Habit.user_id).where(Habit.id.in_(_ids(touched.all_of_habits)))))
    for owner, day in since.items():
        conditions.append(sa.and_(snapshot.user_id == owner, sa.or_(*(
            sa.and_(snapshot.snapshot_type == kind, snapshot.snapshot_date >= logic.period(kind, day).start)
            for kind in logic.KINDS))))
    for owner, owned in days.items():
        starts: dict = defaultdict(set)
        for day in owned:
            for kind, start in logic.periods_containing(day).items():
                starts[kind].add(start)
        if starts:
            conditions.append(sa.and_(snapshot.user_id == owner, sa.or_(*(
                sa.and_(snapshot.snapshot_type == kind, snapshot.snapshot_date.in_(sorted(spans)))
                for kind, spans in sorted(starts.items())))))
    if conditions:
        session.execute(sa.delete(snapshot).where(sa.or_(*conditions)).execution_options(synchronize_session=False))


def _apply(session: Session, touched: Touched) -> None:
    """Remove what ``touched`` outdates now, or note it for the end of ``deferred()``."""
    collector = session.info.get(COLLECTOR)
    if collector is not None:
        collector.merge(touched)
    else:
        _forget(session, touched)


@contextmanager
def deferred(session: Session):
    """Writes inside only note the snapshots they outdate; leaving removes them all in one
    statement. An error inside removes nothing (the caller rolls back)."""
    if COLLECTOR in session.info:
        yield
        return
    collector = session.info[COLLECTOR] = Touched()
    try:
        yield
    finally:
        session.info.pop(COLLECTOR, None)
    _forget(session, collector)


def _value(obj, name: str, old: bool = False):
    if not old:
        return getattr(obj, name)
    history = sa.inspect(obj).attrs[name].history
    return history.deleted[0] if history.deleted else None


# Changes that reach every period a habit, goal or user ever counted in.
HABIT_RULES = ("frequency", "target_days", "weekday_mask", "is_active", "created_at", "pauses")


def _changed(obj, names) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _whole_history(session: Session, touched: Touched) -> None:
    for obj in session.deleted:
        if isinstance(obj, Habit | Goal):
            touched.everything(obj.user_id, False)
        elif isinstance(obj, HabitPause):
            touched.everything(obj.habit_id, True)
    for obj in session.new:
        if isinstance(obj, HabitPause):
            touched.everything(obj.habit_id, True)
    for obj in session.dirty:
        if isinstance(obj, Habit) and _changed(obj, HABIT_RULES):
            touched.everything(obj.user_id, False)
        elif isinstance(obj, HabitPause) and _changed(obj, ("start_date", "end_date")):
            touched.everything(obj.habit_id, True)
        elif isinstance(obj, Goal) and _changed(obj, ("status", "completed_at")):
            # Completed (or reopened) counts on the day it was completed: usually today, in an open period.
            history = sa.inspect(obj).attrs.completed_at.history
            for moment in (*history.deleted, *history.added, *history.unchanged):
                if moment is not None:
                    for offset in (-1, 0, 1):
                        touched.add(obj.user_id, False, moment.date() + timedelta(days=offset))
        elif isinstance(obj, User) and _changed(obj, ("timezone",)):
            touched.everything(obj.id, False)


@event.listens_for(Session, "before_flush")
def _orm_changes(session: Session, flush_context, instances) -> None:
    touched = Touched()
    _whole_history(session, touched)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, BlogEntry):
            if obj in session.deleted:
                # An entry counts on its writer's local day (published, else written): within a day of its UTC date.
                for moment in (obj.published_at, obj.created_at):
                    for offset in (-1, 0, 1):
                        if moment is not None:
                            touched.add(obj.user_id, False, moment.date() + timedelta(days=offset))
            continue
        table = MODELS.get(type(obj))
        if table is None:
            continue
        owner_column, is_habit, day_column = DATED[table]
        touched.add(_value(obj, owner_column), is_habit, _value(obj, day_column))
        if obj in session.dirty:
            touched.add(_value(obj, owner_column), is_habit, _value(obj, day_column, old=True))
    _apply(session, touched)


def _statement_rows(state: ORMExecuteState) -> list[dict]:
    """The values an INSERT writes: bound at execution (a list for executemany) or in the statement."""
    given = state.parameters
    rows = given if isinstance(given, list) else [given or {}]
    inline = None
    result = []
    for row in rows:
        if inline is None and not row:
            inline = state.statement.compile().params
        result.append({**(inline or {}), **row})
    return result


@event.listens_for(Session, "do_orm_execute")
def _bulk_changes(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if state.is_insert and name in COUNTED_FROM:
        _inserted_history(state, *COUNTED_FROM[name])
        return
    if state.is_insert and name == BlogEntry.__table__.name:
        _inserted_entries(state)
        return
    spec = DATED.get(name)
    if spec is None:
        return
    owner_column, is_habit, day_column = spec
    touched = Touched()
    if state.is_insert:
        for row in _inserted(state, owner_column, day_column):
            touched.add(row.get(owner_column), is_habit, row.get(day_column))
    else:
        select = sa.select(table.c[owner_column], table.c[day_column])
        if state.statement.whereclause is not None:
            select = select.where(state.statement.whereclause)
        for owner, day in state.session.execute(select, state.parameters or {}):
            touched.add(owner, is_habit, day)
        if state.is_update:
            new_day = state.statement.compile().params.get(day_column)
            for owner in list(touched.users) + list(touched.habits):
                touched.add(owner, is_habit, new_day)
    _apply(state.session, touched)


def _inserted(state: ORMExecuteState, *columns) -> list[dict]:
    rows = _statement_rows(state)
    if any(c not in r for r in rows for c in columns):
        compiled = state.statement.compile().params
        rows = [{**compiled, **r} for r in rows]
    return rows


def _inserted_history(state: ORMExecuteState, owner_column: str, is_habit: bool, day_column: str) -> None:
    """A habit, goal or pause inserted with a past start counts in every period since."""
    touched = Touched()
    for row in _inserted(state, owner_column):
        touched.add_since(row.get(owner_column), is_habit, row.get(day_column))
    _apply(state.session, touched)


def _inserted_entries(state: ORMExecuteState) -> None:
    """A journal entry counts on its writer's local day (published, else written)."""
    touched = Touched()
    for row in _inserted(state, "user_id"):
        moment = row.get("published_at") or row.get("created_at")
        if isinstance(moment, datetime):
            for offset in (-1, 0, 1):
                touched.add(row.get("user_id"), False, moment.date() + timedelta(days=offset))
    _apply(state.session, touched)
