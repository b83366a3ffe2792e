"""Snapshots follow edits of past days.

A stored snapshot sums a closed period's rows. When a row dated inside a closed period is added,
changed or removed (a workout logged for last month, a review filled in late, a check-in
corrected), the snapshots of the week, month and year holding that day are deleted in the same
transaction; the next visit, or the periodic job, computes them again from the rows.

The hook is the session itself, as for tags and attachments (manifest/models/hooks.py): every
write reaches it, whether through the ORM or a bulk statement, so no service has to remember to
call anything. A write dated in periods still open for every time zone (the usual check-in
today) costs nothing: there is no snapshot of an open period to remove.
"""

from __future__ import annotations

from collections import defaultdict
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


def could_be_closed(day: date, now: datetime | None = None) -> bool:
    """Whether some period holding ``day`` may have closed somewhere: today is at most one day
    ahead of UTC in any time zone."""
    latest_today = (now or datetime.now(UTC)).date() + timedelta(days=1)
    return logic.period("weekly", day).end < latest_today or logic.period("monthly", day).end < latest_today


class Touched:
    """The (owner, day) pairs a transaction changed, by kind of owner; and the owners whose every
    snapshot it changed (a habit's schedule, a deleted goal, another time zone)."""

    def __init__(self):
        self.users: dict = defaultdict(set)
        self.habits: dict = defaultdict(set)
        self.all_of_users: set = set()
        self.all_of_habits: set = set()

    def add(self, owner, is_habit: bool, day) -> None:
        if owner is None or not isinstance(day, date) or not could_be_closed(day):
            return
        (self.habits if is_habit else self.users)[owner].add(day)

    def everything(self, owner, is_habit: bool) -> None:
        if owner is not None:
            (self.all_of_habits if is_habit else self.all_of_users).add(owner)

    def __bool__(self) -> bool:
        return bool(self.users or self.habits or self.all_of_users or self.all_of_habits)


def _forget(session: Session, touched: Touched) -> None:
    if not touched:
        return
    if touched.all_of_users or touched.all_of_habits:
        owners = sa.or_(
            ProgressSnapshot.user_id.in_(sorted(touched.all_of_users, key=str)),
            ProgressSnapshot.user_id.in_(sa.select(Habit.user_id).where(Habit.id.in_(sorted(touched.all_of_habits, key=str)))))
        session.execute(sa.delete(ProgressSnapshot).where(owners).execution_options(synchronize_session=False))
    for owners, is_habit in ((touched.users, False), (touched.habits, True)):
        for owner, days in owners.items():
            pairs = sorted({(kind, start) for day in days for kind, start in logic.periods_containing(day).items()})
            condition = sa.or_(*(sa.and_(ProgressSnapshot.snapshot_type == kind, ProgressSnapshot.snapshot_date == start)
                                 for kind, start in pairs))
            who = (ProgressSnapshot.user_id.in_(sa.select(Habit.user_id).where(Habit.id == owner)) if is_habit
                   else ProgressSnapshot.user_id == owner)
            session.execute(sa.delete(ProgressSnapshot).where(who, condition)
                            .execution_options(synchronize_session=False))


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
    _forget(session, touched)


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
    spec = DATED.get(getattr(table, "name", None))
    if spec is None:
        return
    owner_column, is_habit, day_column = spec
    touched = Touched()
    if state.is_insert:
        rows = _statement_rows(state)
        missing = [r for r in rows if owner_column not in r or day_column not in r]
        if missing:
            compiled = state.statement.compile().params
            rows = [{**compiled, **r} for r in rows]
        for row in rows:
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
    _forget(state.session, touched)
