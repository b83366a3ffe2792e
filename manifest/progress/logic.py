"""Pure rules of progress: periods, a snapshot's values from loaded rows, the weight trend, and
how one period compares with another. No database, no Flask.

Periods follow the app's calendar: a week from the app's one week start (manifest/timeutil.py,
Monday) to the day before the next, a calendar month, a calendar year, each in the user's own days. A snapshot is keyed by its first day.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from manifest.goals.logic import Period, period_of
from manifest.habits import logic as habit_logic
from manifest.timeutil import week_start

KINDS = ("weekly", "monthly", "yearly")
KIND_NAMES = {"weekly": "Weeks", "monthly": "Months", "yearly": "Years"}
ONE_DAY = timedelta(days=1)
# Every column a snapshot fills, in the order the progress page lists them.
FIELDS = (
    "total_goals", "completed_goals", "active_habits", "habit_completion_rate", "total_workouts",
    "total_workout_minutes", "average_daily_mood", "average_energy_level", "total_blog_entries",
    "weight", "body_fat_percentage",
)


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    return kind


def period(kind: str, day: date) -> Period:
    if check_kind(kind) == "weekly":
        start = week_start(day)  # the app's one week start
        return Period(start, start + timedelta(days=6))
    return period_of(kind, day)


def previous(kind: str, current: Period) -> Period:
    return period(kind, current.start - ONE_DAY)


def periods_between(kind: str, first: date, last: date) -> list[Period]:
    """Every period of ``kind`` that overlaps ``first``..``last``, in order."""
    if last < first:
        return []
    spans = [period(kind, first)]
    while spans[-1].end < last:
        spans.append(period(kind, spans[-1].end + ONE_DAY))
    return spans


def year_before(kind: str, current: Period) -> Period:
    """The same period a year earlier: the ISO-numbered week for weeks (the week holding the same
    weekday a year back, i.e. 52 weeks earlier), the same month or year otherwise."""
    if kind == "weekly":
        start = current.start - timedelta(weeks=52)
        return Period(start, start + timedelta(days=6))
    start = current.start
    return period(kind, start.replace(year=start.year - 1))


def closed_periods(kind: str, first: date, today: date) -> list[Period]:
    """Every period of ``kind`` from the one holding ``first`` up to, not including, today's."""
    return [p for p in periods_between(check_kind(kind), first, today) if p.end < today]


def periods_containing(day: date) -> dict[str, date]:
    """The first day of the week, month and year that hold ``day`` (the snapshots it feeds)."""
    return {kind: period(kind, day).start for kind in KINDS}


# --- what one period holds -------------------------------------------------------------------

@dataclass(frozen=True)
class HabitHistory:
    created: date  # the user's day it was made: it is due from then on
    active: bool
    schedule: habit_logic.Schedule
    marks: Mapping[date, habit_logic.Mark]
    pauses: Sequence[habit_logic.Pause] = ()


@dataclass(frozen=True)
class GoalSpan:
    created: date
    completed: date | None  # the day it was completed, if it was
    cancelled: bool = False


@dataclass(frozen=True)
class Weighing:
    day: date
    weight: Decimal | None  # in the user's unit
    body_fat: Decimal | None


@dataclass
class History:
    """A user's rows as the snapshot rules read them; every list sorted by day."""

    habits: list[HabitHistory] = field(default_factory=list)
    goals: list[GoalSpan] = field(default_factory=list)
    workouts: list[tuple[date, int]] = field(default_factory=list)  # (day, minutes)
    reviews: list[tuple[date, int | None, int | None]] = field(default_factory=list)  # (day, mood, energy)
    journal: list[date] = field(default_factory=list)
    weighings: list[Weighing] = field(default_factory=list)

    def first_day(self) -> date | None:
        days = [h.created for h in self.habits] + [g.created for g in self.goals]
        days += [rows[0][0] for rows in (self.workouts, self.reviews) if rows]
        days += [self.journal[0]] if self.journal else []
        days += [self.weighings[0].day] if self.weighings else []
        return min(days) if days else None


def _within(rows: Sequence, days: list[date], span: Period) -> Sequence:
    return rows[bisect_left(days, span.start):bisect_right(days, span.end)]


def _average(values: Iterable[int | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return (Decimal(sum(known)) / len(known)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Values:
    """One period's figures: what a snapshot row stores."""

    total_goals: int
    completed_goals: int
    active_habits: int
    habit_completion_rate: Decimal | None  # percent
    total_workouts: int
    total_workout_minutes: int
    average_daily_mood: Decimal | None
    average_energy_level: Decimal | None
    total_blog_entries: int
    weight: Decimal | None
    body_fat_percentage: Decimal | None

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}


class Summariser:
    """Computes many periods from one History: the rows are indexed by day once."""

    def __init__(self, history: History):
        self.history = history
        self.workout_days = [d for d, _ in history.workouts]
        self.review_days = [d for d, _, _ in history.reviews]
        self.weigh_days = [w.day for w in history.weighings]

    def values(self, span: Period, today: date) -> Values:
        h = self.history
        goals = [g for g in h.goals if not g.cancelled and g.created <= span.end
                 and (g.completed is None or g.completed >= span.start)]
        habits = [x for x in h.habits if x.active and x.created <= span.end]
        met = due = 0
        for habit in habits:
            got, owed = habit_logic.occasions_met(
                habit.schedule, habit.marks, max(span.start, habit.created), span.end, today, habit.pauses)
            met, due = met + got, due + owed
        workouts = _within(h.workouts, self.workout_days, span)
        reviews = _within(h.reviews, self.review_days, span)
        weighings = _within(h.weighings, self.weigh_days, span)
        last_weight = next((w.weight for w in reversed(weighings) if w.weight is not None), None)
        last_fat = next((w.body_fat for w in reversed(weighings) if w.body_fat is not None), None)
        return Values(
            total_goals=len(goals),
            completed_goals=sum(1 for g in goals if g.completed is not None and g.completed <= span.end),
            active_habits=len(habits),
            habit_completion_rate=(Decimal(met * 100) / due).quantize(Decimal("0.01"), ROUND_HALF_UP) if due else None,
            total_workouts=len(workouts),
            total_workout_minutes=sum(minutes for _, minutes in workouts),
            average_daily_mood=_average(mood for _, mood, _ in reviews),
            average_energy_level=_average(energy for _, _, energy in reviews),
            total_blog_entries=bisect_right(h.journal, span.end) - bisect_left(h.journal, span.start),
            weight=last_weight,
            body_fat_percentage=last_fat,
        )


# --- the weight trend --------------------------------------------------------------------------

# Each day moves the trend a tenth of the way to the scale's reading, as weight trackers do
# (The Hacker's Diet): a day's water and salt barely move it, a real change does within weeks.
SMOOTHING = 0.1


@dataclass(frozen=True)
class TrendPoint:
    day: date
    weight: float  # the day's reading, or the average of its readings
    trend: float
    readings: int = 1


def weight_trend(points: Sequence[tuple[date, float]], smoothing: float = SMOOTHING) -> list[TrendPoint]:
    """An exponentially weighted moving average over the days, oldest first. A gap of several days
    weighs the next reading as that many days of the same reading would, and several readings on
    one day are averaged first."""
    by_day: dict[date, list[float]] = {}
    for day, weight in points:
        by_day.setdefault(day, []).append(weight)
    result: list[TrendPoint] = []
    trend = None
    previous_day = None
    for day in sorted(by_day):
        weight = math.fsum(by_day[day]) / len(by_day[day])
        if trend is None:
            trend = weight
        else:
            gap = (day - previous_day).days
            trend += (1 - (1 - smoothing) ** gap) * (weight - trend)
        result.append(TrendPoint(day, weight, trend, len(by_day[day])))
        previous_day = day
    return result


def weekly_rate(trend: Sequence[TrendPoint], span_days: int = 28) -> float | None:
    """The trend's change per week over its last ``span_days`` (a least-squares slope, so one
    reading cannot swing it); None with fewer than two readings a week apart."""
    if len(trend) < 2:
        return None
    last = trend[-1].day
    recent = [p for p in trend if (last - p.day).days <= span_days]
    if len(recent) < 2 or (recent[-1].day - recent[0].day).days < 7:
        return None
    xs = [(p.day - recent[0].day).days for p in recent]
    ys = [p.trend for p in recent]
    mx, my = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx * 7


# --- comparing periods ---------------------------------------------------------------------------

# Sums grow through a period: while it is open they are not compared with a whole one.
ADDITIVE = {"total_workouts", "total_workout_minutes", "total_blog_entries", "completed_goals"}


@dataclass(frozen=True)
class Delta:
    """``now`` against ``then``: the change, its direction, and why none is given."""

    now: Decimal | int | None
    then: Decimal | int | None
    change: Decimal | None
    direction: str  # "up", "down", "same", or "none" when there is nothing to compare
    reason: str | None = None  # why there is no comparison

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "same": "→"}.get(self.direction, "")


def compare(name: str, now, then, *, in_progress: bool) -> Delta:
    if now is None or then is None:
        return Delta(now, then, None, "none", "no data" if then is None else "not recorded yet")
    if in_progress and name in ADDITIVE:
        return Delta(now, then, None, "none", "period still in progress")
    change = Decimal(str(now)) - Decimal(str(then))
    direction = "up" if change > 0 else "down" if change < 0 else "same"
    return Delta(now, then, change, direction)
