"""Pure workout rules: estimated one-rep max, personal records, summaries, durations, calendars.

No database and no Flask: weights arrive in kilograms and distances in metres (see
manifest/units.py), so every comparison happens in one unit.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from manifest.timeutil import week_start

WORKOUT_TYPES = ("strength", "cardio", "flexibility", "sport", "other")
RECORD_LABELS = {
    "heaviest": "heaviest weight",
    "one_rep_max": "estimated 1RM",
    "volume": "set volume",
    "distance": "longest distance",
    "pace": "fastest pace",
}
MAX_DURATION_SECONDS = 24 * 3600


def epley(weight: Decimal | None, reps: int | None) -> Decimal | None:
    """Estimated one-rep max (Epley): w * (1 + reps / 30); a single is its own maximum."""
    if weight is None or not reps:
        return None
    if reps == 1:
        return weight
    return weight * (1 + Decimal(reps) / 30)


def volume(weight: Decimal | None, reps: int | None) -> Decimal | None:
    if weight is None or not reps:
        return None
    return weight * reps


def pace(seconds: int | None, meters: Decimal | None) -> Decimal | None:
    """Seconds per kilometre; lower is faster."""
    if not seconds or not meters or meters <= 0:
        return None
    return Decimal(seconds) * 1000 / meters


@dataclass(frozen=True)
class Lift:
    """One set, weight in kilograms (None for a bodyweight set)."""

    weight_kg: Decimal | None
    reps: int | None
    set_type: str = "normal"
    key: object = None  # whatever identifies the set to the caller


@dataclass(frozen=True)
class Effort:
    """One distance or timed effort: metres and seconds, either may be missing."""

    meters: Decimal | None
    seconds: int | None
    key: object = None


@dataclass(frozen=True)
class Records:
    heaviest: Decimal | None = None
    one_rep_max: Decimal | None = None
    volume: Decimal | None = None
    distance: Decimal | None = None
    pace: Decimal | None = None

    def any(self) -> bool:
        return any(v is not None for v in (self.heaviest, self.one_rep_max, self.volume, self.distance, self.pace))


def _max(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _min(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def records(lifts: Iterable[Lift] = (), efforts: Iterable[Effort] = ()) -> Records:
    lifts, efforts = list(lifts), list(efforts)
    return Records(
        heaviest=_max(lift.weight_kg for lift in lifts if lift.reps != 0),
        one_rep_max=_max(epley(lift.weight_kg, lift.reps) for lift in lifts),
        volume=_max(volume(lift.weight_kg, lift.reps) for lift in lifts),
        distance=_max(e.meters for e in efforts if e.meters),
        pace=_min(pace(e.seconds, e.meters) for e in efforts),
    )


def beaten(previous: Records, lift: Lift | None = None, effort: Effort | None = None) -> list[str]:
    """The records a new set or effort beats. A record is beaten only when there was one:
    the very first set of an exercise sets the bar rather than breaking it."""
    found = []
    if lift is not None:
        for kind, value in (("heaviest", lift.weight_kg if lift.reps != 0 else None),
                            ("one_rep_max", epley(lift.weight_kg, lift.reps)),
                            ("volume", volume(lift.weight_kg, lift.reps))):
            old = getattr(previous, kind)
            if value is not None and old is not None and value > old:
                found.append(kind)
    if effort is not None:
        if effort.meters and previous.distance is not None and effort.meters > previous.distance:
            found.append("distance")
        new_pace = pace(effort.seconds, effort.meters)
        if new_pace is not None and previous.pace is not None and new_pace < previous.pace:
            found.append("pace")
    return found


def holds_record(rec: Records, lift: Lift) -> list[str]:
    """The records this set holds (equals), for marking record sets on a workout page."""
    held = []
    for kind, value in (("heaviest", lift.weight_kg if lift.reps != 0 else None),
                        ("one_rep_max", epley(lift.weight_kg, lift.reps)),
                        ("volume", volume(lift.weight_kg, lift.reps))):
        if value is not None and getattr(rec, kind) is not None and value >= getattr(rec, kind):
            held.append(kind)
    return held


def best_lift(lifts: Iterable[Lift]) -> Lift | None:
    """The set a lifter would quote: highest estimated 1RM, then heaviest, then most reps."""
    candidates = [lift for lift in lifts if lift.weight_kg is not None or lift.reps]
    if not candidates:
        return None
    return max(candidates, key=lambda lift: (
        epley(lift.weight_kg, lift.reps) or Decimal(0), lift.weight_kg or Decimal(0), lift.reps or 0,
    ))


@dataclass(frozen=True)
class SetSummary:
    count: int
    warmups: int
    best: Lift | None


def summarise(lifts: Iterable[Lift]) -> SetSummary:
    lifts = list(lifts)
    working = [lift for lift in lifts if lift.set_type != "warmup"]
    return SetSummary(
        count=len(lifts), warmups=len(lifts) - len(working), best=best_lift(working) or best_lift(lifts),
    )


# --- durations -----------------------------------------------------------------------------

_DURATION = re.compile(r"^(\d{1,5})(?::(\d{1,2}))?(?::(\d{1,2}))?$")


def parse_duration(text: str | None) -> int | None:
    """Seconds from "45" (minutes), "45:30" (minutes:seconds) or "1:02:03" (hours:minutes:seconds).

    Raises ValueError with a message for anything else."""
    text = (text or "").strip()
    if not text:
        return None
    match = _DURATION.match(text)
    if not match:
        raise ValueError("Enter minutes (45), minutes:seconds (45:30) or hours:minutes:seconds (1:02:03).")
    first, second, third = match.groups()
    if third is not None:
        if int(second) > 59 or int(third) > 59:
            raise ValueError("Minutes and seconds go up to 59.")
        seconds = int(first) * 3600 + int(second) * 60 + int(third)
    elif second is not None:
        if int(second) > 59:
            raise ValueError("Seconds go up to 59.")
        seconds = int(first) * 60 + int(second)
    else:
        seconds = int(first) * 60
    if seconds > MAX_DURATION_SECONDS:
        raise ValueError("That is longer than a day.")
    return seconds


def format_duration(seconds: int | None) -> str:
    """45:30 or 1:02:03; the inverse of parse_duration for its colon forms."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_pace(seconds_per_unit: Decimal | None) -> str:
    if seconds_per_unit is None:
        return ""
    return format_duration(int(seconds_per_unit.to_integral_value()))


# --- calendars and weeks -------------------------------------------------------------------

@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    workouts: int
    minutes: int
    is_today: bool


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[CalendarDay]] = field(default_factory=list)

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


def month_grid(first: date, days: Mapping[date, tuple[int, int]], today: date) -> Month:
    """Monday-first weeks covering the month of ``first``; ``days`` maps a day to (workouts, minutes)."""
    first = first.replace(day=1)
    weeks = []
    for week in calendar.Calendar(calendar.MONDAY).monthdatescalendar(first.year, first.month):
        weeks.append([
            CalendarDay(d, d.month == first.month, *days.get(d, (0, 0)), is_today=d == today) for d in week
        ])
    return Month(first, weeks)


@dataclass(frozen=True)
class Week:
    start: date
    sessions: int
    minutes: int


def weekly(days: Mapping[date, tuple[int, int]], last_day: date, weeks: int) -> list[Week]:
    """Sessions and minutes per Monday-first week, the ``weeks`` weeks ending with ``last_day``'s, oldest first."""
    last = week_start(last_day)
    starts = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    totals = {start: [0, 0] for start in starts}
    for day, (sessions, minutes) in days.items():
        bucket = totals.get(week_start(day))
        if bucket is not None:
            bucket[0] += sessions
            bucket[1] += minutes
    return [Week(start, *totals[start]) for start in starts]
