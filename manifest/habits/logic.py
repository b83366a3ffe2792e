"""Pure habit logic: streaks, Loop-style strength score, completion rate, trend.

No database, no Flask, stdlib only, so services can feed it plain data and the
rules can be tested exhaustively.

Input shapes
------------
* Yes/no habits are described by ``Mapping[date, Mark]``. A day that is absent
  from the mapping is "not done" (same as ``Mark.MISSED``).
* Numeric habits pass ``Mapping[date, float | Mark]`` to :func:`strength_scores`:
  a number is the logged value, ``Mark.SKIPPED`` is a skipped (or paused) day and
  ``Mark.MISSED`` / absence means 0. For streaks and completion rates the caller
  first turns each value into a ``Mark`` with :func:`is_success`.

Interpretation choices (not spelled out by the product rules)
-------------------------------------------------------------
* "Today is still open": any non-DONE state today (absent, MISSED, SKIPPED) is
  neutral for streaks and completion rates; a DONE today counts.
* Weekly habits judge the current week on the whole week: days after today have
  no marks (so they are not skipped) but known future pauses do make them
  neutral, exactly as they will once the week is over. An unmet current week is
  open (neutral), a met one counts.
* Weekly completion rate uses whole ISO weeks overlapping the window, because
  "N times per week" cannot be judged on a fraction of a week.
* Strength score: days before ``start`` do not exist (Loop starts at the first
  entry). Numeric skipped days add 0 to the rolling sum; Loop adds its raw SKIP
  sentinel (0.003 after scaling), a quirk we do not copy.
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "Mark",
    "Pause",
    "Schedule",
    "Streaks",
    "completion_rate",
    "compute_streaks",
    "is_success",
    "longest_before_open_period",
    "open_period_start",
    "period_met",
    "streak_valid_until",
    "streaks_after_open_period_change",
    "strength_scores",
    "trend",
]

ONE_DAY = timedelta(days=1)
SCHEDULE_KINDS = ("daily", "weekly", "weekdays")
DIRECTIONS = ("at_least", "at_most")
TREND_THRESHOLD = 0.05


class Mark(enum.Enum):
    """State of one day. Days absent from a mapping are "not done"."""

    DONE = "done"
    SKIPPED = "skipped"
    MISSED = "missed"


@dataclass(frozen=True)
class Schedule:
    """When a habit is due.

    kind: "daily"; "weekly" (``times_per_week`` times per ISO week, any days);
    "weekdays" (only on ``weekdays``, 0=Mon..6=Sun).
    """

    kind: str
    times_per_week: int = 1
    weekdays: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if self.kind not in SCHEDULE_KINDS:
            raise ValueError(f"unknown schedule kind {self.kind!r}")
        # Accept any iterable from callers but keep the dataclass hashable.
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        if self.kind == "weekly" and not 1 <= self.times_per_week <= 7:
            raise ValueError("times_per_week must be between 1 and 7")
        if self.kind == "weekdays":
            if not self.weekdays:
                raise ValueError("a weekdays schedule needs at least one weekday")
            if not self.weekdays <= frozenset(range(7)):
                raise ValueError("weekdays must be integers 0 (Mon) .. 6 (Sun)")

    def is_scheduled(self, day: date) -> bool:
        """Whether ``day`` can count for the habit (weekly habits: any day)."""
        if self.kind == "weekdays":
            return day.weekday() in self.weekdays
        return True

    def frequency(self) -> tuple[int, int]:
        """(numerator, denominator) in Loop's terms, for the strength score."""
        if self.kind == "weekly":
            return (self.times_per_week, 7)
        if self.kind == "weekdays":
            return (len(self.weekdays), 7)
        return (1, 1)


@dataclass(frozen=True)
class Pause:
    """Inclusive date range during which the habit is paused.

    Paused days neither count nor break a streak.
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("pause ends before it starts")


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int
    total_completions: int


def is_success(
    value: float | None, *, numeric: bool, target: float | None, direction: str
) -> bool:
    """Whether a logged value means the habit was done that day.

    Yes/no habits: the caller passes 1/0 (truthy means done). Numeric habits
    compare against ``target`` in ``direction``; no value logged is never a
    success, not even for "at_most" (nothing was recorded).
    """
    if value is None:
        return False
    if not numeric:
        return bool(value)
    target = _numeric_target(target, direction)
    return value >= target if direction == "at_least" else value <= target


def compute_streaks(
    schedule: Schedule,
    marks: Mapping[date, Mark],
    today: date,
    pauses: Sequence[Pause] = (),
) -> Streaks:
    """Current and longest streak plus total DONE days, all up to ``today``.

    One pass over the days from the first DONE day to today (weekly: over
    whole ISO weeks): linear in that span plus the number of pauses.
    """
    done_days = [d for d, m in marks.items() if m is Mark.DONE and d <= today]
    total = len(done_days)
    if not done_days:
        # Without a single completion there is no run anywhere.
        return Streaks(current=0, longest=0, total_completions=0)
    first = min(done_days)

    run = longest = 0
    for required, done, is_open in _occasions(schedule, marks, first, today, pauses):
        if done >= required:
            run += 1
            longest = max(longest, run)
        elif not is_open:
            run = 0  # a finished day or week that fell short; the current one is open
    # Trailing neutral days never reset ``run``, so it is the current streak.
    return Streaks(current=run, longest=longest, total_completions=total)


def streak_valid_until(
    schedule: Schedule,
    marks: Mapping[date, Mark],
    today: date,
    pauses: Sequence[Pause] = (),
    horizon_days: int = 800,
) -> date | None:
    """The last day on which today's current streak still holds if nothing more is recorded.

    Streaks are cached when entries change; time passing alone can only break them.
    Storing this date lets a page show the right current streak without reading the
    whole history again. None when the streak would outlive the horizon (long pauses).
    """
    last = today + horizon_days * ONE_DAY
    paused = _pause_mask(pauses, today, last)
    if schedule.kind == "weekly":
        monday = _monday(today)
        head = _pause_mask(pauses, monday, today)  # the current week's days before today
        week_paused = head[:-1] + paused[: 7 - len(head) + 1]
        while monday <= last:
            required, done = _week_tally(schedule, marks, monday, today, week_paused)
            if required and done < required:
                return monday + 6 * ONE_DAY  # open until its Sunday, broken after
            monday += 7 * ONE_DAY
            start = (monday - today).days
            week_paused = paused[start : start + 7] + [False] * max(0, start + 7 - len(paused))
        return None
    for offset, is_paused in enumerate(paused):
        day = today + offset * ONE_DAY
        resolved = day == today and marks.get(day) in (Mark.DONE, Mark.SKIPPED)
        if not is_paused and not resolved and schedule.is_scheduled(day):
            return day  # that day is open while it lasts; missing it breaks the streak
    return None


def open_period_start(schedule: Schedule, today: date) -> date:
    """The first day of the period still open today: today, or this ISO week for weekly habits."""
    return _monday(today) if schedule.kind == "weekly" else today


def period_met(schedule: Schedule, marks: Mapping[date, Mark], today: date, pauses: Sequence[Pause] = ()) -> bool:
    """Whether the open period is met by ``marks`` (a neutral one never is)."""
    start = open_period_start(schedule, today)
    return any(done >= required for required, done, _ in _occasions(schedule, marks, start, today, pauses))


def longest_before_open_period(
    schedule: Schedule, marks: Mapping[date, Mark], today: date, pauses: Sequence[Pause] = (),
) -> int:
    """The longest streak among the periods before the open one (kept so a change today needs
    no history, see :func:`streaks_after_open_period_change`)."""
    start = open_period_start(schedule, today)
    return compute_streaks(schedule, {d: m for d, m in marks.items() if d < start}, today, pauses).longest


def streaks_after_open_period_change(
    schedule: Schedule,
    cached: Streaks,
    longest_before: int | None,
    old_marks: Mapping[date, Mark],
    new_marks: Mapping[date, Mark],
    today: date,
    pauses: Sequence[Pause] = (),
) -> tuple[Streaks, int] | None:
    """Streaks after a change inside the open period, from the cached ones and that period's
    marks alone: (streaks, longest before the open period).

    ``cached`` holds the live current streak as of today (before the change), the longest and
    the total; every day before the open period is already counted in them, because any change
    there recomputes from the whole history. Only the open period can add one to the run.
    None when the cache cannot tell (the open period was met and ``longest_before`` is unknown).
    """
    met_before = period_met(schedule, old_marks, today, pauses)
    if met_before and longest_before is None:
        return None
    run_before = cached.current - met_before
    longest_earlier = longest_before if met_before else cached.longest
    current = run_before + period_met(schedule, new_marks, today, pauses)
    start = open_period_start(schedule, today)

    def done_in_period(marks: Mapping[date, Mark]) -> int:
        return sum(1 for d, m in marks.items() if start <= d <= today and m is Mark.DONE)

    total = cached.total_completions - done_in_period(old_marks) + done_in_period(new_marks)
    return Streaks(current=current, longest=max(longest_earlier, current), total_completions=total), longest_earlier


def strength_scores(
    marks_or_values: Mapping[date, Mark] | Mapping[date, float | Mark],
    *,
    frequency: tuple[int, int],
    numeric: bool,
    target: float | None,
    direction: str,
    start: date,
    end: date,
) -> list[tuple[date, float]]:
    """Loop Habit Tracker's habit strength, one (day, score) per day start..end.

    Mirrors Loop's ``ScoreList.recompute``: S = S_prev * m + c * (1 - m) with
    m = 0.5 ** (sqrt(f) / 13), where c is the share of the target reached in a
    rolling window of ``denominator`` days. Skipped days keep the score but the
    window still slides. Entries outside start..end are ignored.
    """
    numerator, denominator = frequency
    if not 0 < numerator <= denominator:
        raise ValueError("frequency must satisfy 0 < numerator <= denominator")
    freq = numerator / denominator
    multiplier = 0.5 ** (math.sqrt(freq) / 13)
    goal = _numeric_target(target, direction) if numeric else 0.0
    if not numeric and freq < 1:
        # Loop's trick: a 2-in-6 window tolerates irregular timing of a
        # 1-in-3 habit; the decay rate still uses the original frequency.
        numerator *= 2
        denominator *= 2

    at_most = numeric and direction == "at_most"
    score = 1.0 if at_most else 0.0
    window: deque[float] = deque(maxlen=denominator)
    result: list[tuple[date, float]] = []
    day = start
    while day <= end:
        amount, skipped = _day_amount(marks_or_values.get(day), numeric=numeric)
        window.append(amount)
        if not skipped:
            # Re-summing the short window avoids float drift from add/subtract,
            # which would matter for the "rolling sum > 0" test below.
            rolling = sum(window)
            if not numeric:
                completed = min(1.0, rolling / numerator)
            elif not at_most:
                completed = min(1.0, rolling / goal) if goal > 0 else 1.0
            elif goal > 0:
                completed = min(1.0, max(0.0, 1 - (rolling - goal) / goal))
            else:
                completed = 0.0 if rolling > 0 else 1.0
            score = score * multiplier + completed * (1 - multiplier)
        result.append((day, score))
        day += ONE_DAY
    return result


def completion_rate(
    schedule: Schedule,
    marks: Mapping[date, Mark],
    today: date,
    days: int,
    pauses: Sequence[Pause] = (),
) -> float | None:
    """Share of due occasions met in the ``days`` days ending today.

    Daily/weekdays: each scheduled, non-skipped, non-paused day is one
    occasion. Weekly: each ISO week overlapping the window is worth
    ``required`` occasions (see :func:`compute_streaks`), of which
    min(done, required) are met. Open periods (today, the current week) only
    count once met. ``None`` when nothing was due.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    first = today - (days - 1) * ONE_DAY
    due = met = 0
    for required, done, is_open in _occasions(schedule, marks, first, today, pauses):
        if not is_open or done >= required:
            due += required
            met += min(done, required)
    return met / due if due else None


def occasions_met(
    schedule: Schedule,
    marks: Mapping[date, Mark],
    first: date,
    last: date,
    today: date,
    pauses: Sequence[Pause] = (),
) -> tuple[int, int]:
    """(met, due) occasions from ``first`` to ``last`` (a closed period, or one still open when
    it reaches today): counted as :func:`completion_rate` counts them, so the open day or week
    counts only once met, and a closed one always."""
    end = min(last, today)
    due = met = 0
    if end < first:
        return 0, 0
    for required, done, is_open in _occasions(schedule, marks, first, end, pauses):
        if is_open and end == today and done < required:
            continue
        due += required
        met += min(done, required)
    return met, due


def trend(scores: Sequence[tuple[date, float]], window: int = 30) -> str:
    """Classify the latest score against the one ``window`` days earlier.

    Returns "improving", "stable" or "declining".

    Uses the last score on or before that earlier date (tolerates gaps); with no
    history that old the trend is "stable". Changes within ±0.05 are "stable".
    """
    if not scores:
        return "stable"
    ordered = sorted(scores)
    latest_day, latest = ordered[-1]
    cutoff = latest_day - timedelta(days=window)
    index = bisect_right([d for d, _ in ordered], cutoff)
    if index == 0:
        return "stable"
    change = latest - ordered[index - 1][1]
    if change > TREND_THRESHOLD:
        return "improving"
    if change < -TREND_THRESHOLD:
        return "declining"
    return "stable"


# --- helpers -----------------------------------------------------------------


def _numeric_target(target: float | None, direction: str) -> float:
    """Validate the numeric goal; a numeric habit without one is a caller bug."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}")
    if target is None:
        raise ValueError("numeric habits need a target")
    return float(target)


def _day_amount(entry: float | Mark | None, *, numeric: bool) -> tuple[float, bool]:
    """(contribution to Loop's rolling sum, skipped?) for one day's entry."""
    if entry is Mark.SKIPPED:
        return 0.0, True
    if entry is None or entry is Mark.MISSED:
        return 0.0, False
    if entry is Mark.DONE:
        if numeric:
            raise ValueError("numeric habits take values, not Mark.DONE")
        return 1.0, False
    if numeric and isinstance(entry, (int, float)) and not isinstance(entry, bool):
        return max(0.0, float(entry)), False
    raise TypeError(
        f"unexpected entry {entry!r} for a {'numeric' if numeric else 'yes/no'} habit"
    )


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _occasions(
    schedule: Schedule,
    marks: Mapping[date, Mark],
    first: date,
    today: date,
    pauses: Sequence[Pause],
) -> Iterator[tuple[int, int, bool]]:
    """(required, done, is_open) for each unit a habit is judged on, from ``first`` to today.

    The unit is a scheduled day (required 1), or an ISO week for weekly habits. Neutral
    units (skipped, paused, unscheduled, a week with nothing required) are left out; the
    current day or week is open: falling short there breaks nothing yet.
    """
    if schedule.kind == "weekly":
        first_monday, this_monday = _monday(first), _monday(today)
        paused = _pause_mask(pauses, first_monday, this_monday + 6 * ONE_DAY)
        monday = first_monday
        while monday <= this_monday:
            offset = (monday - first_monday).days
            required, done = _week_tally(schedule, marks, monday, today, paused[offset : offset + 7])
            if required:
                yield required, done, monday == this_monday
            monday += 7 * ONE_DAY
        return
    for offset, is_paused in enumerate(_pause_mask(pauses, first, today)):
        day = first + offset * ONE_DAY
        mark = marks.get(day)
        if not (is_paused or mark is Mark.SKIPPED or not schedule.is_scheduled(day)):
            yield 1, int(mark is Mark.DONE), day == today


def _pause_mask(pauses: Sequence[Pause], first: date, last: date) -> list[bool]:
    """Paused flag for each day first..last, via a difference array.

    Marking each pause day by day would cost (pauses x span) when pauses
    overlap; this stays linear.
    """
    span = (last - first).days + 1
    if span <= 0:
        return []
    delta = [0] * (span + 1)
    for pause in pauses:
        lo = max(pause.start, first)
        hi = min(pause.end, last)
        if lo <= hi:
            delta[(lo - first).days] += 1
            delta[(hi - first).days + 1] -= 1
    mask: list[bool] = []
    depth = 0
    for step in delta[:span]:
        depth += step
        mask.append(depth > 0)
    return mask


def _week_tally(
    schedule: Schedule,
    marks: Mapping[date, Mark],
    monday: date,
    today: date,
    paused: Sequence[bool],
) -> tuple[int, int]:
    """(required, done) for the ISO week starting ``monday``.

    required = min(N, non-neutral days): a week half spent on holiday asks for
    no more than the days that were available. Marks after today are ignored.
    """
    available = done = 0
    for offset in range(7):
        day = monday + offset * ONE_DAY
        if paused[offset]:
            continue
        mark = marks.get(day) if day <= today else None
        if mark is Mark.SKIPPED:
            continue
        available += 1
        if mark is Mark.DONE:
            done += 1
    return min(schedule.times_per_week, available), done
