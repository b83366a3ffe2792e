"""Habits: every query and rule, always scoped to the owner (the first argument)."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from manifest import queries
from manifest.extensions import db
from manifest.habits import logic
from manifest.models import Habit, HabitEntry, HabitPause, User

MAX_VALUE = Decimal(1000000)
# Check-ins further back than this are refused: nobody back-fills them, and each one
# would make every later recomputation walk all the days since.
EDITABLE_YEARS = 10
MAX_NOTE = 2000
# One habit's history: no habit_id, which would cost a UUID object per row on every check-in.
HISTORY_COLUMNS = (
    HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped, HabitEntry.value, HabitEntry.notes,
)
# Entries of several habits.
ENTRY_COLUMNS = (HabitEntry.habit_id, *HISTORY_COLUMNS)


class EntryError(ValueError):
    """A check-in the rules refuse; the message is shown to the user."""


# --- reading a habit's rules -------------------------------------------------------------

def _schedule(frequency: str, target_days: int | None, weekday_mask: int | None) -> logic.Schedule:
    if frequency == "weekly":
        return logic.Schedule("weekly", times_per_week=target_days or 1)
    if frequency == "custom":
        mask = weekday_mask or 127
        return logic.Schedule("weekdays", weekdays=frozenset(d for d in range(7) if mask >> d & 1))
    return logic.Schedule("daily")


def schedule_of(habit: Habit) -> logic.Schedule:
    return _schedule(habit.frequency, habit.target_days, habit.weekday_mask)


def pauses_of(habit: Habit) -> list[logic.Pause]:
    return [logic.Pause(p.start_date, p.end_date) for p in habit.pauses]


def is_paused(habit: Habit, day: date) -> bool:
    return any(p.start_date <= day <= p.end_date for p in habit.pauses)


def is_due(habit: Habit, day: date) -> bool:
    return not is_paused(habit, day) and schedule_of(habit).is_scheduled(day)


def mark_of(completed: bool, skipped: bool) -> logic.Mark:
    if skipped:
        return logic.Mark.SKIPPED
    return logic.Mark.DONE if completed else logic.Mark.MISSED


def meets_target(habit: Habit, value: Decimal | None) -> bool:
    return logic.is_success(
        None if value is None else float(value), numeric=True,
        target=float(habit.target_value or 0), direction=habit.target_direction,
    )


def live_streak(habit: Habit, today: date) -> int:
    """The cached current streak, unless days passing without a check-in have broken it."""
    if not habit.current_streak:
        return 0
    if habit.streak_valid_until is not None and today > habit.streak_valid_until:
        return 0
    return habit.current_streak


# --- ownership ---------------------------------------------------------------------------

def _owned():
    return sa.select(Habit).options(selectinload(Habit.pauses))


def get_habit(user: User, habit_id: uuid.UUID) -> Habit:
    habit = db.session.scalars(_owned().where(Habit.id == habit_id, Habit.user_id == user.id)).first()
    if habit is None:
        raise NotFound()
    return habit


def list_habits(user: User, *, archived: bool = False) -> list[Habit]:
    query = _owned().where(Habit.user_id == user.id, Habit.is_active.is_(not archived))
    return list(db.session.scalars(query.order_by(Habit.position, Habit.created_at)))


# --- the day board (Today) ---------------------------------------------------------------

@dataclass
class Row:
    habit: Habit
    day: date
    today: date
    completed: bool = False
    skipped: bool = False
    value: Decimal | None = None
    notes: str | None = None
    week_done: int = 0

    @property
    def numeric(self) -> bool:
        return self.habit.habit_type == "numeric"

    @property
    def streak(self) -> int:
        return live_streak(self.habit, self.today)

    @property
    def streak_unit(self) -> str:
        return "week" if self.habit.frequency == "weekly" else "day"

    @property
    def editable(self) -> bool:
        return self.day <= self.today


@dataclass
class Board:
    day: date
    today: date
    rows: list[Row] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str | None, list[Row]]]:
        """Rows grouped by category, groups in the order of their first habit."""
        groups: dict[str | None, list[Row]] = {}
        for row in self.rows:
            groups.setdefault(row.habit.category or None, []).append(row)
        return list(groups.items())

    @property
    def counted(self) -> list[Row]:
        return [row for row in self.rows if not row.skipped]

    @property
    def done_count(self) -> int:
        return sum(row.completed for row in self.counted)

    @property
    def due_count(self) -> int:
        return len(self.counted)

    def row(self, habit_id: uuid.UUID) -> Row | None:
        return next((row for row in self.rows if row.habit.id == habit_id), None)


def _week(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _entry_rows(user: User, day: date):
    """One query: every entry in ``day``'s week for the user's active habits."""
    monday, sunday = _week(day)
    return db.session.execute(
        sa.select(*ENTRY_COLUMNS)
        .join(Habit, Habit.id == HabitEntry.habit_id)
        .where(Habit.user_id == user.id, Habit.is_active, HabitEntry.entry_date.between(monday, sunday))
    ).all()


def _build_board(habits: list[Habit], entries, day: date, today: date) -> Board:
    monday, sunday = _week(day)
    week_done: dict[uuid.UUID, int] = defaultdict(int)
    on_day = {}
    for entry in entries:
        if monday <= entry.entry_date <= sunday and entry.completed:
            week_done[entry.habit_id] += 1
        if entry.entry_date == day:
            on_day[entry.habit_id] = entry
    board = Board(day=day, today=today)
    for habit in habits:
        if not is_due(habit, day):
            continue
        entry = on_day.get(habit.id)
        row = Row(habit=habit, day=day, today=today, week_done=week_done[habit.id])
        if entry is not None:
            row.completed, row.skipped, row.value, row.notes = (
                entry.completed, entry.skipped, entry.value, entry.notes,
            )
        board.rows.append(row)
    return board


def day_board(user: User, day: date, today: date) -> Board:
    habits = list_habits(user)
    return _build_board(habits, _entry_rows(user, day), day, today)


# --- check-ins ---------------------------------------------------------------------------

def _upsert_entry(habit_id: uuid.UUID, day: date, **values) -> None:
    """Insert or update the one entry of a habit and day in a single atomic statement."""
    now = datetime.now(UTC)
    insert = queries.insert(HabitEntry.__table__).values(id=uuid.uuid4(), habit_id=habit_id, entry_date=day, **values)
    changes = {name: insert.excluded[name] for name in values}
    if "completed" in values:
        # A repeated "done" keeps the time it was first done.
        values["completed_at"] = now if values["completed"] else None
        insert = insert.values(completed_at=values["completed_at"])
        changes["completed_at"] = sa.case(
            (sa.and_(insert.excluded.completed, HabitEntry.__table__.c.completed), HabitEntry.__table__.c.completed_at),
            else_=insert.excluded.completed_at,
        )
    changes["updated_at"] = sa.func.now()
    db.session.execute(insert.on_conflict_do_update(index_elements=["habit_id", "entry_date"], set_=changes))


def parse_value(raw: str | None) -> Decimal | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except ArithmeticError:
        raise EntryError("Enter a number.") from None
    if not value.is_finite():
        raise EntryError("Enter a number.")
    if value < 0:
        raise EntryError("Enter zero or more.")
    if value >= MAX_VALUE:
        raise EntryError("That number is too large.")
    return value.quantize(Decimal("0.01"))


def _entry_values(habit: Habit, state: str | None, value: str | None, skip: bool | None) -> dict:
    if skip is not None:
        return {"skipped": skip, "completed": False, "value": None}
    if habit.habit_type == "numeric":
        if value is None:
            raise EntryError("Enter a value.")
        number = parse_value(value)
        return {"skipped": False, "completed": meets_target(habit, number), "value": number}
    if state not in ("done", "not_done"):
        raise EntryError("Choose done or not done.")
    return {"skipped": False, "completed": state == "done", "value": None}


def _lock_habit(user: User, habit_id: uuid.UUID) -> Habit:
    """The habit with its pauses, row-locked: check-ins of one habit apply one at a time, so
    every streak recomputation sees the entries written before it. Other habits stay free."""
    habit = db.session.scalars(
        sa.select(Habit).options(joinedload(Habit.pauses))
        .where(Habit.id == habit_id, Habit.user_id == user.id, Habit.is_active)
        .with_for_update(of=Habit)
    ).unique().first()
    if habit is None:
        raise NotFound()
    return habit


def _check_day(day: date, today: date) -> None:
    if day > today:
        raise EntryError("Future days cannot be checked in yet.")
    if day < today - timedelta(days=366 * EDITABLE_YEARS):
        raise EntryError(f"Days more than {EDITABLE_YEARS} years back cannot be changed.")


def _history(habit: Habit, day: date):
    """The habit's done and skipped days (all a streak needs) plus ``day``'s own entry."""
    return db.session.execute(
        sa.select(*HISTORY_COLUMNS).where(
            HabitEntry.habit_id == habit.id,
            sa.or_(HabitEntry.completed, HabitEntry.skipped, HabitEntry.entry_date == day),
        )
    ).all()


@dataclass
class Tally:
    """The day's "N of M done" counter."""

    done_count: int
    due_count: int


def day_tally(user: User, day: date) -> Tally:
    """The counter in one light query: schedule columns, the day's entry and whether a pause
    covers the day, per active habit. Counts exactly what Board counts."""
    paused = sa.exists().where(
        HabitPause.habit_id == Habit.id, HabitPause.start_date <= day, HabitPause.end_date >= day
    )
    rows = db.session.execute(
        sa.select(Habit.frequency, Habit.target_days, Habit.weekday_mask, HabitEntry.completed, HabitEntry.skipped)
        .outerjoin(HabitEntry, sa.and_(HabitEntry.habit_id == Habit.id, HabitEntry.entry_date == day))
        .where(Habit.user_id == user.id, Habit.is_active, sa.not_(paused))
    ).all()
    counted = [
        r for r in rows
        if _schedule(r.frequency, r.target_days, r.weekday_mask).is_scheduled(day) and not r.skipped
    ]
    return Tally(done_count=sum(bool(r.completed) for r in counted), due_count=len(counted))


@dataclass
class CheckIn:
    """What a check-in changed: the habit's row (None when the habit is not due that day)
    and the day's counter."""

    row: Row | None
    tally: Tally


def _answer(user: User, habit: Habit, entries, day: date, today: date) -> CheckIn:
    row = None
    if is_due(habit, day):
        monday, sunday = _week(day)
        row = Row(habit=habit, day=day, today=today)
        for e in entries:
            row.week_done += bool(e.completed and monday <= e.entry_date <= sunday)
            if e.entry_date == day:
                row.completed, row.skipped, row.value, row.notes = e.completed, e.skipped, e.value, e.notes
    return CheckIn(row=row, tally=day_tally(user, day))


def refresh_streaks(habit: Habit, entries, today: date) -> None:
    """Set the cached streak columns from the habit's entries (rows of HISTORY_COLUMNS)."""
    marks = {e.entry_date: mark_of(e.completed, e.skipped) for e in entries}
    schedule, pauses = schedule_of(habit), pauses_of(habit)
    streaks = logic.compute_streaks(schedule, marks, today, pauses)
    habit.current_streak = streaks.current
    habit.longest_streak = streaks.longest
    habit.total_completions = streaks.total_completions
    habit.streak_valid_until = (
        logic.streak_valid_until(schedule, marks, today, pauses) if streaks.current else None
    )


def check_in(
    user: User, habit_id: uuid.UUID, day: date, today: date, *,
    state: str | None = None, value: str | None = None, skip: bool | None = None,
) -> CheckIn:
    """Record the wanted state of one habit on one day.

    The request states the result it wants (done, not done, a value, skipped), never a
    toggle, so repeated or concurrent requests converge on the same row.
    """
    habit = _lock_habit(user, habit_id)
    _check_day(day, today)
    _upsert_entry(habit.id, day, **_entry_values(habit, state, value, skip))
    entries = _history(habit, day)
    refresh_streaks(habit, entries, today)
    answer = _answer(user, habit, entries, day, today)
    queries.commit_keeping_loaded()
    return answer


def save_note(user: User, habit_id: uuid.UUID, day: date, today: date, note: str) -> CheckIn:
    habit = _lock_habit(user, habit_id)
    _check_day(day, today)
    if len(note) > MAX_NOTE:
        raise EntryError(f"Keep the note under {MAX_NOTE} characters.")
    if "\x00" in note:
        raise EntryError("The note contains a character that is not allowed.")
    _upsert_entry(habit.id, day, notes=note.strip() or None)
    answer = _answer(user, habit, _history(habit, day), day, today)
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


def _apply_form(habit: Habit, data: dict, *, creating: bool) -> None:
    habit.name = data["name"].strip()
    habit.description = (data.get("description") or "").strip() or None
    habit.category = (data.get("category") or "").strip() or None
    habit.color = (data.get("color") or "").lower() or None
    habit.icon = (data.get("icon") or "").strip() or None
    habit.reminder_time = data.get("reminder_time")
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


def update_habit(user: User, habit_id: uuid.UUID, data: dict, today: date) -> Habit:
    habit = get_habit(user, habit_id)
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


def set_archived(user: User, habit_id: uuid.UUID, archived: bool) -> Habit:
    habit = get_habit(user, habit_id)
    habit.is_active = not archived
    db.session.commit()
    return habit


def delete_habit(user: User, habit_id: uuid.UUID) -> None:
    db.session.delete(get_habit(user, habit_id))
    db.session.commit()


def move_habit(user: User, habit_id: uuid.UUID, offset: int) -> None:
    """Move a habit up (-1) or down (+1) among the user's habits and renumber them all,
    which also repairs ties left by older rows.

    It swaps places with the nearest habit of the same list (active or archived): passing an
    archived habit the user cannot see would look like a click that did nothing."""
    habits = list(db.session.scalars(
        sa.select(Habit).where(Habit.user_id == user.id).order_by(Habit.position, Habit.created_at)
    ))
    index = next((i for i, h in enumerate(habits) if h.id == habit_id), None)
    if index is None:
        raise NotFound()
    peers = [i for i, h in enumerate(habits) if h.is_active == habits[index].is_active]
    step = peers.index(index) + offset
    if 0 <= step < len(peers):
        other = peers[step]
        habits[index], habits[other] = habits[other], habits[index]
    for position, habit in enumerate(habits):
        if habit.position != position:
            habit.position = position
    db.session.commit()


def add_pause(user: User, habit_id: uuid.UUID, start: date, end: date, today: date) -> Habit:
    habit = get_habit(user, habit_id)
    habit.pauses.append(HabitPause(start_date=start, end_date=end))
    db.session.flush()
    recompute(habit, today)
    db.session.commit()
    return habit


def delete_pause(user: User, habit_id: uuid.UUID, pause_id: uuid.UUID, today: date) -> Habit:
    habit = get_habit(user, habit_id)
    pause = next((p for p in habit.pauses if p.id == pause_id), None)
    if pause is None:
        raise NotFound()
    habit.pauses.remove(pause)
    db.session.flush()
    recompute(habit, today)
    db.session.commit()
    return habit


# --- one habit's history (the habit page) ------------------------------------------------

HEATMAP_WEEKS = 53
CELL_LABELS = {
    "done": "done", "partial": "partly done", "skipped": "skipped", "none": "not done",
    "off": "not scheduled", "paused": "paused", "future": "",
}
CHART_DAYS = 365


@dataclass
class Cell:
    day: date
    state: str  # done, partial, skipped, none, off (not scheduled), paused, future
    value: Decimal | None = None

    @property
    def label(self) -> str:
        return CELL_LABELS[self.state]

    @property
    def next_state(self) -> str:
        return "not_done" if self.state == "done" else "done"


@dataclass
class Overview:
    habit: Habit
    today: date
    current: int
    longest: int
    total: int
    rates: dict[int, float | None]
    trend: str
    strength: float
    chart: list[tuple[date, float]]
    weeks: list[list[Cell]]
    notes: list


def _marks_and_values(habit: Habit, entries, first: date, today: date):
    """Marks for streaks and rates; values (or marks) for the strength score; paused days skip."""
    marks: dict[date, logic.Mark] = {}
    amounts: dict[date, float | logic.Mark] = {}
    for e in entries:
        marks[e.entry_date] = mark_of(e.completed, e.skipped)
        if habit.habit_type == "numeric":
            amounts[e.entry_date] = logic.Mark.SKIPPED if e.skipped else float(e.value or 0)
        else:
            amounts[e.entry_date] = marks[e.entry_date]
    for pause in habit.pauses:
        day = max(pause.start_date, first)
        while day <= min(pause.end_date, today):
            amounts[day] = logic.Mark.SKIPPED
            day += timedelta(days=1)
    return marks, amounts


def _cell(habit: Habit, schedule: logic.Schedule, entry, day: date, today: date) -> Cell:
    if day > today:
        return Cell(day, "future")
    if is_paused(habit, day):
        return Cell(day, "paused")
    if entry is not None and entry.skipped:
        return Cell(day, "skipped")
    value = entry.value if entry is not None else None
    if entry is not None and entry.completed:
        return Cell(day, "done", value)
    if value:
        return Cell(day, "partial", value)
    return Cell(day, "none" if schedule.is_scheduled(day) else "off", value)


def heatmap(habit: Habit, by_day: dict, today: date) -> list[list[Cell]]:
    schedule = schedule_of(habit)
    start = today - timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)
    return [
        [_cell(habit, schedule, by_day.get(day), day, today)
         for day in (start + timedelta(days=7 * w + d) for d in range(7))]
        for w in range(HEATMAP_WEEKS)
    ]


def overview(user: User, habit_id: uuid.UUID, today: date) -> Overview:
    habit = get_habit(user, habit_id)
    entries = db.session.execute(
        sa.select(*HISTORY_COLUMNS).where(HabitEntry.habit_id == habit.id).order_by(HabitEntry.entry_date)
    ).all()
    first = entries[0].entry_date if entries else today
    marks, amounts = _marks_and_values(habit, entries, first, today)
    schedule, pauses = schedule_of(habit), pauses_of(habit)
    scores = logic.strength_scores(
        amounts, frequency=schedule.frequency(), numeric=habit.habit_type == "numeric",
        target=float(habit.target_value) if habit.target_value else None,
        direction=habit.target_direction, start=first, end=today,
    )
    streaks = logic.compute_streaks(schedule, marks, today, pauses)
    by_day = {e.entry_date: e for e in entries}
    # Rates cover only the days the habit has been tracked, not the time before it existed.
    tracked_days = (today - min(first, habit.created_at.date())).days + 1
    return Overview(
        habit=habit, today=today, current=streaks.current, longest=streaks.longest,
        total=streaks.total_completions,
        rates={days: logic.completion_rate(schedule, marks, today, min(days, tracked_days), pauses)
               for days in (30, 90, 365)},
        trend=logic.trend(scores), strength=scores[-1][1] if scores else 0.0,
        chart=scores[-CHART_DAYS:], weeks=heatmap(habit, by_day, today),
        notes=[e for e in reversed(entries) if e.notes][:100],
    )
