"""What the habit pages show, built from loaded rows: Today's board and a habit's overview.

Pure: no queries, no Flask. Services load the rows and call these.
"""

import uuid
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from manifest.habits import logic
from manifest.habits.rules import (
    is_due,
    is_paused,
    live_streak,
    mark_of,
    pauses_of,
    schedule_from,
    schedule_of,
    strength_frequency,
)
from manifest.timeutil import week_start

HEATMAP_WEEKS = 53
CHART_DAYS = 365
# The habits list shows each habit's last week, and its strength from its last year: the score
# forgets faster than that (after a year a day's weight is below 0.1 % even for once a week).
LIST_DAYS = 7
LIST_HISTORY_DAYS = 365
CELL_LABELS = {
    "done": "done", "partial": "partly done", "skipped": "skipped", "none": "not done",
    "off": "not scheduled", "paused": "paused", "future": "",
}


# One day's entry as a check-in leaves it (the columns of services.HISTORY_COLUMNS).
EntryState = namedtuple("EntryState", "entry_date completed skipped value notes")


def week_of(day: date) -> tuple[date, date]:
    monday = week_start(day)
    return monday, monday + timedelta(days=6)


# --- Today -------------------------------------------------------------------------------

class HabitToday:
    """What Today's row and the habits list's card say alike of ``habit`` as of ``today``."""

    habit: object
    today: date

    @property
    def numeric(self) -> bool:
        return self.habit.habit_type == "numeric"

    @property
    def streak(self) -> int:
        return live_streak(self.habit, self.today)

    @property
    def streak_unit(self) -> str:
        return "week" if self.habit.frequency == "weekly" else "day"


@dataclass
class Row(HabitToday):
    habit: object
    day: date
    today: date
    completed: bool = False
    skipped: bool = False
    value: Decimal | None = None
    notes: str | None = None
    week_done: int = 0

    @property
    def editable(self) -> bool:
        return self.day <= self.today

    def take(self, entry) -> None:
        """The day's own entry (completed, skipped, value, notes)."""
        self.completed, self.skipped, self.value, self.notes = entry.completed, entry.skipped, entry.value, entry.notes


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


@dataclass
class Tally:
    """The day's "N of M done" counter."""

    done_count: int
    due_count: int


@dataclass
class CheckIn:
    """What a check-in changed: the habit's row (None when the habit is not due that day)
    and the day's counter."""

    row: Row | None
    tally: Tally


def board_from_rows(rows, day: date, today: date) -> Board:
    """Today's rows from one row per active habit: its columns, ``paused`` (a pause covers the
    day), the day's entry (completed, skipped, value, notes; NULL without one) and ``week_done``."""
    board = Board(day=day, today=today)
    for habit in rows:
        if habit.paused or not schedule_from(habit.frequency, habit.target_days, habit.weekday_mask).is_scheduled(day):
            continue
        board.rows.append(Row(
            habit=habit, day=day, today=today, completed=bool(habit.completed), skipped=bool(habit.skipped),
            value=habit.value, notes=habit.notes, week_done=habit.week_done,
        ))
    return board


def habit_row(habit, week_entries, day: date, today: date) -> Row | None:
    """One habit's row from its entries of ``day``'s week; None when it is not due that day."""
    if not is_due(habit, day):
        return None
    monday, sunday = week_of(day)
    row = Row(habit=habit, day=day, today=today)
    for entry in week_entries:
        row.week_done += bool(entry.completed and monday <= entry.entry_date <= sunday)
        if entry.entry_date == day:
            row.take(entry)
    return row


def count_day(rows, day: date) -> Tally:
    """The counter from (schedule columns, completed, skipped) of each active, unpaused habit."""
    counted = [
        r for r in rows
        if schedule_from(r.frequency, r.target_days, r.weekday_mask).is_scheduled(day) and not r.skipped
    ]
    return Tally(done_count=sum(bool(r.completed) for r in counted), due_count=len(counted))


# --- one habit's history -----------------------------------------------------------------

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
    habit: object
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

    @property
    def months(self) -> list[str]:
        """The heatmap's month labels, one per week: the month's short name on the week its first
        day falls in, empty elsewhere."""
        return [next((f"{c.day:%b}" for c in week if c.day.day == 1), "") for week in self.weeks]


def marks_and_values(habit, entries, first: date, today: date):
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


def _cell(habit, schedule: logic.Schedule, entry, day: date, today: date) -> Cell:
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


def heatmap(habit, by_day: dict, today: date) -> list[list[Cell]]:
    schedule = schedule_of(habit)
    start = today - timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)
    return [
        [_cell(habit, schedule, by_day.get(day), day, today)
         for day in (start + timedelta(days=7 * w + d) for d in range(7))]
        for w in range(HEATMAP_WEEKS)
    ]


def strength_scores(habit, amounts, first: date, today: date) -> list[tuple[date, float]]:
    """The strength of each day from ``first`` to ``today`` (amounts from marks_and_values)."""
    return logic.strength_scores(
        amounts, frequency=strength_frequency(habit), numeric=habit.habit_type == "numeric",
        target=float(habit.target_value) if habit.target_value else None,
        direction=habit.target_direction, start=first, end=today,
    )


def overview(habit, entries, today: date) -> Overview:
    """A habit's page from its whole history (entries ordered by day)."""
    first = entries[0].entry_date if entries else today
    marks, amounts = marks_and_values(habit, entries, first, today)
    schedule, pauses = schedule_of(habit), pauses_of(habit)
    scores = strength_scores(habit, amounts, first, today)
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


# --- the habits list ------------------------------------------------------------------------

@dataclass
class Card(HabitToday):
    """A habit on the habits list: its last days (oldest first), its strength and its streak."""

    habit: object
    today: date
    days: list[Cell]
    strength: float


def card(habit, entries, today: date) -> Card:
    """A habit's card from its entries of the last LIST_HISTORY_DAYS days (EntryStates by day)."""
    first = entries[0].entry_date if entries else today
    _, amounts = marks_and_values(habit, entries, first, today)
    scores = strength_scores(habit, amounts, first, today)
    by_day = {e.entry_date: e for e in entries}
    schedule = schedule_of(habit)
    days = [today - timedelta(days=n) for n in range(LIST_DAYS - 1, -1, -1)]
    return Card(
        habit=habit, today=today, days=[_cell(habit, schedule, by_day.get(day), day, today) for day in days],
        strength=scores[-1][1] if scores else 0.0,
    )
