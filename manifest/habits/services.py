"""Habits: every query and rule, always scoped to the owner (the first argument)."""

import functools
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload
from werkzeug.exceptions import NotFound

from manifest import queries
from manifest.extensions import db
from manifest.forms import FieldError, parse_amount
from manifest.habits import logic, pages
from manifest.habits.rules import (  # noqa: F401  (read by other areas through this module)
    is_due,
    is_paused,
    live_streak,
    mark_of,
    meets_target,
    pauses_of,
    schedule_from,
    schedule_of,
)
from manifest.models import Habit, HabitEntry, HabitPause, User
from manifest.ownership import owned

MAX_VALUE = Decimal(1000000)
# Check-ins further back than this are refused: nobody back-fills them, and each one
# would make every later recomputation walk all the days since.
EDITABLE_YEARS = 10
MAX_NOTE = 2000
# One habit's history: no habit_id, which would cost a UUID object per row on every check-in.
HISTORY_COLUMNS = (
    HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped, HabitEntry.value, HabitEntry.notes,
)


def list_habits(user: User, *, archived: bool = False) -> list[Habit]:
    query = sa.select(Habit).options(selectinload(Habit.pauses))
    query = query.where(Habit.user_id == user.id, Habit.is_active.is_(not archived))
    return list(db.session.scalars(query.order_by(Habit.position, Habit.created_at)))


# --- the day board (Today) ---------------------------------------------------------------

# What a Today row shows of a habit: plain columns, not ORM objects, for thirty rows a request.
BOARD_COLUMNS = (
    Habit.id, Habit.name, Habit.icon, Habit.color, Habit.category, Habit.frequency, Habit.target_days,
    Habit.weekday_mask, Habit.habit_type, Habit.target_value, Habit.unit, Habit.target_direction,
    Habit.current_streak, Habit.streak_valid_until, Habit.rhythm_times, Habit.rhythm_days,
)
_DAY = sa.bindparam("day", type_=sa.Date)
_DAY_ENTRY = aliased(HabitEntry, name="day_entry")
# Whether a pause covers the day: the board skips such habits and the counter leaves them out.
_PAUSED_ON_DAY = sa.exists().where(
    HabitPause.habit_id == Habit.id, HabitPause.start_date <= _DAY, HabitPause.end_date >= _DAY,
)
# One statement for the whole board, built once: each active habit with whether a pause covers
# the day, the day's entry and the week's done count.
BOARD = (
    sa.select(
        *BOARD_COLUMNS,
        _PAUSED_ON_DAY.label("paused"),
        _DAY_ENTRY.completed, _DAY_ENTRY.skipped, _DAY_ENTRY.value, _DAY_ENTRY.notes,
        sa.select(sa.func.count()).where(
            HabitEntry.habit_id == Habit.id, HabitEntry.completed,
            HabitEntry.entry_date.between(sa.bindparam("monday", type_=sa.Date), sa.bindparam("sunday", type_=sa.Date)),
        ).scalar_subquery().label("week_done"),
    )
    .outerjoin(_DAY_ENTRY, sa.and_(_DAY_ENTRY.habit_id == Habit.id, _DAY_ENTRY.entry_date == _DAY))
    .where(Habit.user_id == sa.bindparam("user_id", type_=sa.Uuid), Habit.is_active)
    .order_by(Habit.position, Habit.created_at)
)


def day_board(user: User, day: date, today: date) -> pages.Board:
    monday, sunday = pages.week_of(day)
    rows = db.session.execute(BOARD, {"user_id": user.id, "day": day, "monday": monday, "sunday": sunday})
    return pages.board_from_rows(rows, day, today)


# --- check-ins ---------------------------------------------------------------------------

@functools.cache
def _upsert_statement(dialect: str, names: tuple[str, ...]):
    """INSERT ... ON CONFLICT for one habit and day, setting ``names``; built once per dialect and
    set of columns, the values bound per call (the check-in is the hottest write)."""
    table = HabitEntry.__table__
    columns = ("id", "habit_id", "entry_date", *names, *(("completed_at",) if "completed" in names else ()))
    insert = queries.insert_for(dialect, table).values({c: sa.bindparam(c, type_=table.c[c].type) for c in columns})
    changes = {name: insert.excluded[name] for name in names}
    if "completed" in names:
        # A repeated "done" keeps the time it was first done.
        changes["completed_at"] = sa.case(
            (sa.and_(insert.excluded.completed, table.c.completed), table.c.completed_at),
            else_=insert.excluded.completed_at,
        )
    changes["updated_at"] = sa.func.now()
    return insert.on_conflict_do_update(index_elements=["habit_id", "entry_date"], set_=changes)


def _upsert_entry(habit_id: uuid.UUID, day: date, **values) -> None:
    """Insert or update the one entry of a habit and day in a single atomic statement."""
    statement = _upsert_statement(db.session.get_bind().dialect.name, tuple(sorted(values)))
    if "completed" in values:
        values["completed_at"] = datetime.now(UTC) if values["completed"] else None
    db.session.execute(statement, {"id": uuid.uuid4(), "habit_id": habit_id, "entry_date": day, **values})


def parse_value(raw: str | None) -> Decimal | None:
    """A day's amount; an empty field clears it."""
    if raw is None or raw.strip() == "":
        return None
    return parse_amount(raw, below=MAX_VALUE, invalid="Enter a number.", too_large="That number is too large.")


def _entry_values(habit: Habit, state: str | None, value: str | None, skip: bool | None) -> dict:
    if skip is not None:
        return {"skipped": skip, "completed": False, "value": None}
    if habit.habit_type == "numeric":
        if value is None:
            raise FieldError("Enter a value.")
        number = parse_value(value)
        return {"skipped": False, "completed": meets_target(habit, number), "value": number}
    if state not in ("done", "not_done"):
        raise FieldError("Choose done or not done.")
    return {"skipped": False, "completed": state == "done", "value": None}


def _lock_habit(user: User, habit_id: uuid.UUID) -> Habit:
    """The habit with its pauses, row-locked: check-ins of one habit apply one at a time, so
    every streak recomputation sees the entries written before it. Other habits stay free."""
    habit = owned(user, Habit, habit_id, lock=True, options=[joinedload(Habit.pauses)])
    if not habit.is_active:
        raise NotFound()  # archived habits take no check-ins
    return habit


def _check_day(day: date, today: date) -> None:
    if day > today:
        raise FieldError("Future days cannot be checked in yet.")
    if day < today - timedelta(days=366 * EDITABLE_YEARS):
        raise FieldError(f"Days more than {EDITABLE_YEARS} years back cannot be changed.")


def _history(habit: Habit, day: date):
    """The habit's done and skipped days (all a streak needs) plus ``day``'s own entry."""
    return db.session.execute(
        sa.select(*HISTORY_COLUMNS).where(
            HabitEntry.habit_id == habit.id,
            sa.or_(HabitEntry.completed, HabitEntry.skipped, HabitEntry.entry_date == day),
        )
    ).all()


# The counter after each check-in: schedule columns, the day's entry and whether a pause covers
# the day, per active habit, in one light statement built once.
_TALLY = (
    sa.select(Habit.frequency, Habit.target_days, Habit.weekday_mask, HabitEntry.completed, HabitEntry.skipped)
    .outerjoin(HabitEntry, sa.and_(HabitEntry.habit_id == Habit.id, HabitEntry.entry_date == _DAY))
    .where(Habit.user_id == sa.bindparam("user_id", type_=sa.Uuid), Habit.is_active, sa.not_(_PAUSED_ON_DAY))
)


def day_tally(user: User, day: date) -> pages.Tally:
    """The counter in one light query. Counts exactly what Board counts."""
    return pages.count_day(db.session.execute(_TALLY, {"user_id": user.id, "day": day}).all(), day)


def _answer(user: User, habit: Habit, entries, day: date, today: date) -> pages.CheckIn:
    return pages.CheckIn(row=pages.habit_row(habit, entries, day, today), tally=day_tally(user, day))


def refresh_streaks(habit: Habit, entries, today: date) -> None:
    """Set the cached streak columns from the habit's whole history (rows of HISTORY_COLUMNS)."""
    marks = {e.entry_date: mark_of(e.completed, e.skipped) for e in entries}
    schedule, pauses = schedule_of(habit), pauses_of(habit)
    streaks = logic.compute_streaks(schedule, marks, today, pauses)
    longest_before = (
        logic.longest_before_open_period(schedule, marks, today, pauses)
        if logic.period_met(schedule, marks, today, pauses) else streaks.longest
    )
    _store_streaks(habit, streaks, longest_before, marks, today)


def _store_streaks(habit: Habit, streaks: logic.Streaks, longest_before: int, marks, today: date) -> None:
    schedule, pauses = schedule_of(habit), pauses_of(habit)
    habit.current_streak = streaks.current
    habit.longest_streak = streaks.longest
    habit.total_completions = streaks.total_completions
    habit.longest_before_period = longest_before
    habit.streak_valid_until = (
        logic.streak_valid_until(schedule, marks, today, pauses) if streaks.current else None
    )


_WEEK = sa.select(*HISTORY_COLUMNS).where(
    HabitEntry.habit_id == sa.bindparam("habit_id", type_=sa.Uuid),
    HabitEntry.entry_date.between(sa.bindparam("monday", type_=sa.Date), sa.bindparam("sunday", type_=sa.Date)),
)


def _week_entries(habit: Habit, day: date):
    """``day``'s week of entries: at most seven rows, whatever the history."""
    monday, sunday = pages.week_of(day)
    return db.session.execute(_WEEK, {"habit_id": habit.id, "monday": monday, "sunday": sunday}).all()


def _update_streaks_in_open_period(habit: Habit, week, day: date, values: dict, today: date) -> list | None:
    """Streaks after a change inside the open period (today, or this week), from the cached ones
    and the week's entries alone; returns the week's entries as they now are. None when only the
    whole history can tell."""
    changed = pages.EntryState(day, False, False, None, None)
    for entry in week:
        if entry.entry_date == day:
            changed = pages.EntryState(*entry)
    changed = changed._replace(**{k: v for k, v in values.items() if k in pages.EntryState._fields})
    new_week = [e for e in week if e.entry_date != day] + [changed]
    old_marks = {e.entry_date: mark_of(e.completed, e.skipped) for e in week}
    new_marks = {e.entry_date: mark_of(e.completed, e.skipped) for e in new_week}
    cached = logic.Streaks(live_streak(habit, today), habit.longest_streak, habit.total_completions)
    result = logic.streaks_after_open_period_change(
        schedule_of(habit), cached, habit.longest_before_period, old_marks, new_marks, today, pauses_of(habit),
    )
    if result is None:
        return None
    _store_streaks(habit, *result, new_marks, today)
    return new_week


def check_in(
    user: User, habit_id: uuid.UUID, day: date, today: date, *,
    state: str | None = None, value: str | None = None, skip: bool | None = None,
) -> pages.CheckIn:
    """Record the wanted state of one habit on one day.

    The request states the result it wants (done, not done, a value, skipped), never a
    toggle, so repeated or concurrent requests converge on the same row. A day of the open
    period (today, or this week) updates the streaks from that week alone; an older day
    recomputes them from the whole history.
    """
    habit = _lock_habit(user, habit_id)
    _check_day(day, today)
    values = _entry_values(habit, state, value, skip)
    entries = None
    if day >= logic.open_period_start(schedule_of(habit), today):
        entries = _update_streaks_in_open_period(habit, _week_entries(habit, day), day, values, today)
    _upsert_entry(habit.id, day, **values)
    if entries is None:
        entries = _history(habit, day)
        refresh_streaks(habit, entries, today)
    answer = _answer(user, habit, entries, day, today)
    queries.commit_keeping_loaded()
    return answer


def check_note(note: str) -> None:
    """The rules of a day's note, for callers that must refuse it before changing anything else."""
    if len(note) > MAX_NOTE:
        raise FieldError(f"Keep the note under {MAX_NOTE} characters.")
    if "\x00" in note:
        raise FieldError("The note contains a character that is not allowed.")


def save_note(user: User, habit_id: uuid.UUID, day: date, today: date, note: str) -> pages.CheckIn:
    habit = _lock_habit(user, habit_id)
    _check_day(day, today)
    check_note(note)
    _upsert_entry(habit.id, day, notes=note.strip() or None)
    answer = _answer(user, habit, _week_entries(habit, day), day, today)
    queries.commit_keeping_loaded()
    return answer


def recompute(habit: Habit, today: date) -> None:
    """Refresh one habit's cached streaks from its whole history (after edits and pauses)."""
    entries = db.session.execute(sa.select(*HISTORY_COLUMNS).where(HabitEntry.habit_id == habit.id)).all()
    refresh_streaks(habit, entries, today)


# --- managing habits ---------------------------------------------------------------------

def categories(user: User) -> list[str]:
    query = sa.select(Habit.category).where(Habit.user_id == user.id, Habit.category.is_not(None)).distinct()
    return sorted(db.session.scalars(query))


def _schedule_in(data: dict) -> tuple:
    frequency = data["frequency"]
    return (
        frequency,
        data.get("times_per_week") if frequency == "weekly" else None,
        sum(1 << d for d in set(data.get("weekdays") or [])) if frequency == "custom" else None,
    )


def _apply_form(habit: Habit, data: dict, *, creating: bool) -> None:
    habit.name = data["name"].strip()
    habit.description = (data.get("description") or "").strip() or None
    habit.category = (data.get("category") or "").strip() or None
    habit.color = (data.get("color") or "").lower() or None
    habit.icon = (data.get("icon") or "").strip() or None
    habit.reminder_time = data.get("reminder_time")
    if not creating and (habit.frequency, habit.target_days, habit.weekday_mask) != _schedule_in(data):
        habit.rhythm_times = habit.rhythm_days = None  # the user chose a schedule of ours instead
    habit.frequency = data["frequency"]
    habit.target_days = data.get("times_per_week") if habit.frequency == "weekly" else None
    habit.weekday_mask = (
        sum(1 << d for d in set(data.get("weekdays") or [])) if habit.frequency == "custom" else None
    )
    if creating:
        # The kind is fixed once entries exist: their meaning depends on it.
        habit.habit_type = data["habit_type"]
    if habit.habit_type == "numeric":
        habit.target_value = data["target_value"]
        habit.unit = (data.get("unit") or "").strip() or None
        habit.target_direction = data["target_direction"]


def create_habit(user: User, data: dict) -> Habit:
    last = db.session.scalar(sa.select(sa.func.max(Habit.position)).where(Habit.user_id == user.id))
    habit = Habit(user_id=user.id, position=(last + 1) if last is not None else 0)
    _apply_form(habit, data, creating=True)
    db.session.add(habit)
    db.session.commit()
    return habit


def update_habit(habit: Habit, data: dict, today: date) -> Habit:
    _apply_form(habit, data, creating=False)
    if habit.habit_type == "numeric":
        # A new target or direction changes which past days met it.
        target = habit.target_value
        met = HabitEntry.value >= target if habit.target_direction == "at_least" else HabitEntry.value <= target
        db.session.execute(
            sa.update(HabitEntry)
            .where(HabitEntry.habit_id == habit.id)
            .values(completed=sa.and_(HabitEntry.value.is_not(None), sa.not_(HabitEntry.skipped), met))
        )
    recompute(habit, today)
    db.session.commit()
    return habit


def set_archived(habit: Habit, archived: bool) -> Habit:
    habit.is_active = not archived
    db.session.commit()
    return habit


def delete_habit(habit: Habit) -> None:
    db.session.delete(habit)
    db.session.commit()


def move_habit(user: User, habit: Habit, offset: int) -> None:
    """Move a habit up (-1) or down (+1) among the user's habits and renumber them all,
    which also repairs ties left by older rows.

    It swaps places with the nearest habit of the same list (active or archived): passing an
    archived habit the user cannot see would look like a click that did nothing."""
    habits = list(db.session.scalars(
        sa.select(Habit).where(Habit.user_id == user.id).order_by(Habit.position, Habit.created_at)
    ))
    index = next(i for i, h in enumerate(habits) if h.id == habit.id)
    peers = [i for i, h in enumerate(habits) if h.is_active == habits[index].is_active]
    step = peers.index(index) + offset
    if 0 <= step < len(peers):
        other = peers[step]
        habits[index], habits[other] = habits[other], habits[index]
    for position, each in enumerate(habits):
        if each.position != position:
            each.position = position
    db.session.commit()


def add_pause(habit: Habit, start: date, end: date, today: date) -> Habit:
    habit.pauses.append(HabitPause(start_date=start, end_date=end))
    db.session.flush()
    recompute(habit, today)
    db.session.commit()
    return habit


def delete_pause(habit: Habit, pause: HabitPause, today: date) -> Habit:
    habit.pauses.remove(pause)
    db.session.flush()
    recompute(habit, today)
    db.session.commit()
    return habit


# --- one habit's history (the habit page) ------------------------------------------------

def overview(habit: Habit, today: date) -> pages.Overview:
    entries = db.session.execute(
        sa.select(*HISTORY_COLUMNS).where(HabitEntry.habit_id == habit.id).order_by(HabitEntry.entry_date)
    ).all()
    return pages.overview(habit, entries, today)


# --- the habits list ----------------------------------------------------------------------

def _recent_entries(habit_ids, today: date) -> dict[uuid.UUID, list[pages.EntryState]]:
    """Each habit's entries of its last LIST_HISTORY_DAYS days, by day: one statement for all."""
    if not habit_ids:
        return {}
    since = today - timedelta(days=pages.LIST_HISTORY_DAYS - 1)
    rows = db.session.execute(
        sa.select(HabitEntry.habit_id, *HISTORY_COLUMNS)
        .where(HabitEntry.habit_id.in_(habit_ids), HabitEntry.entry_date.between(since, today))
        .order_by(HabitEntry.entry_date)
    )
    found: dict[uuid.UUID, list[pages.EntryState]] = {habit_id: [] for habit_id in habit_ids}
    for habit_id, *columns in rows:
        found[habit_id].append(pages.EntryState(*columns))
    return found


def habit_cards(user: User, today: date) -> list[pages.Card]:
    """The habits list: every active habit with its last days, strength and streak."""
    habits = list_habits(user)
    recent = _recent_entries([habit.id for habit in habits], today)
    return [pages.card(habit, recent[habit.id], today) for habit in habits]


def habit_card(habit: Habit, today: date) -> pages.Card:
    return pages.card(habit, _recent_entries([habit.id], today)[habit.id], today)


def day_note(habit: Habit, day: date) -> str | None:
    return db.session.scalar(
        sa.select(HabitEntry.notes).where(HabitEntry.habit_id == habit.id, HabitEntry.entry_date == day)
    )
