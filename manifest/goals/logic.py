"""Pure goal arithmetic: periods, rollups of sub-goals, pace, streaks of periods, chart geometry.

No database, no Flask, stdlib only: services feed it plain values, and the rules can be
tested exhaustively.

Rules this module decides
-------------------------
* Periods follow the calendar: a day; a week from Monday to Sunday; a calendar month; a
  calendar year. A "life" goal has no period.
* A goal's progress is a fraction of its target and may pass 1 (110 %). A parent measured by
  its sub-goals averages their fractions, each capped at 1 so one overachiever cannot hide a
  neglected sibling, and counts a sub-goal whose progress cannot be known as 0. It sums their
  values instead when asked to and every sub-goal is counted in the parent's own unit.
* Cancelled sub-goals do not count toward their parent.
* The pace needed spreads what remains over the days left, today included, and switches to
  a weekly or monthly figure when a daily one would be a small fraction.
"""

from __future__ import annotations

import calendar
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_UP, Decimal

PERIOD_KINDS = ("daily", "weekly", "monthly", "yearly")
ONE_DAY = timedelta(days=1)
DUE_SOON_DAYS = 7


# --- periods -------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _check_kind(kind: str) -> None:
    if kind not in PERIOD_KINDS:
        raise ValueError(f"{kind!r} goals have no period")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_of(kind: str, day: date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    _check_kind(kind)
    if kind == "daily":
        return Period(day, day)
    if kind == "weekly":
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6))
    if kind == "monthly":
        return Period(day.replace(day=1), month_end(day.year, day.month))
    return Period(date(day.year, 1, 1), date(day.year, 12, 31))


def next_period(kind: str, period: Period) -> Period:
    return period_of(kind, period.end + ONE_DAY)


def previous_period(kind: str, period: Period) -> Period:
    return period_of(kind, period.start - ONE_DAY)


def periods_between(kind: str, first: date, last: date) -> list[Period]:
    """Every period of ``kind`` that overlaps ``first``..``last``, in order (empty if last < first)."""
    if last < first:
        return []
    periods = [period_of(kind, first)]
    while periods[-1].end < last:
        periods.append(next_period(kind, periods[-1]))
    return periods


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def span_from(kind: str, start: date) -> Period:
    """A period-long range that begins on ``start`` (a monthly goal from the 15th ends on the 14th)."""
    _check_kind(kind)
    if kind == "daily":
        return Period(start, start)
    if kind == "weekly":
        return Period(start, start + timedelta(days=6))
    months = 1 if kind == "monthly" else 12
    return Period(start, add_months(start, months) - ONE_DAY)


def period_label(kind: str, period: Period, today: date) -> str:
    """How a period is named on a page: relative when it is the current one."""
    current = today in period
    if kind == "daily":
        if current:
            return "Today"
        if period.start == today - ONE_DAY:
            return "Yesterday"
        return f"{period.start:%a} {period.start.day} {period.start:%b %Y}"
    if kind == "weekly":
        if current:
            return "This week"
        if period.end == period_of("weekly", today).start - ONE_DAY:
            return "Last week"
        return f"Week of {period.start.day} {period.start:%b %Y}"
    if kind == "monthly":
        return "This month" if current else f"{period.start:%B %Y}"
    return "This year" if current else str(period.start.year)


def bucket_by_period(kind: str, amounts: Iterable[tuple[date, Decimal]]) -> dict[date, Decimal]:
    """Sum dated amounts per period, keyed by the period's first day."""
    totals: dict[date, Decimal] = defaultdict(Decimal)
    for day, amount in amounts:
        totals[period_of(kind, day).start] += amount
    return dict(totals)


# --- progress and rollups ------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    """One goal as the rollup sees it.

    ``value`` is what the goal's own measure found in its current window (entries or a
    source); None when that cannot be known (a source that no longer exists).
    """

    id: Hashable
    parent_id: Hashable | None = None
    measure: str = "entries"  # entries, milestones, children, source
    rollup: str = "average"  # for measure "children": average or sum
    target: Decimal | None = None
    unit: str | None = None
    value: Decimal | None = None
    milestones_done: int = 0
    milestones_total: int = 0
    counts: bool = True  # False when cancelled: its parent ignores it


@dataclass(frozen=True)
class Progress:
    value: Decimal | None
    target: Decimal | None
    fraction: float | None  # value / target; may pass 1; None when it cannot be known
    unit: str | None = None
    note: str | None = None  # why the figures are what they are
    counted: int = 0  # sub-goals that went into a rollup

    @property
    def reached(self) -> bool:
        return self.fraction is not None and self.fraction >= 1

    @property
    def percent(self) -> int | None:
        """Whole percent, rounded down so an unfinished goal never shows 100 %."""
        if self.fraction is None:
            return None
        return math.floor(self.fraction * 100 + 1e-9)

    @property
    def bar(self) -> int:
        """The percent a progress bar can show (0..100)."""
        return min(max(self.percent or 0, 0), 100)

    @property
    def remaining(self) -> Decimal | None:
        if self.value is None or self.target is None:
            return None
        return max(self.target - self.value, Decimal(0))


def units_match(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def fraction_of(value: Decimal | None, target: Decimal | None) -> float | None:
    if value is None or target is None or target <= 0:
        return None
    return float(value / target)


def _own_progress(node: Node) -> Progress:
    if node.measure == "milestones":
        total = node.milestones_total
        if not total:
            return Progress(Decimal(0), Decimal(0), None, "milestones", note="No milestones yet.")
        return Progress(Decimal(node.milestones_done), Decimal(total), node.milestones_done / total, "milestones")
    if node.value is None:
        return Progress(None, node.target, None, node.unit, note="Its source is no longer available.")
    return Progress(node.value, node.target, fraction_of(node.value, node.target), node.unit)


def _children_progress(node: Node, kids: Sequence[tuple[Node, Progress]]) -> Progress:
    if not kids:
        return Progress(None, node.target, None, node.unit, note="No sub-goals yet.")
    note = None
    if node.rollup == "sum":
        if node.target is not None and node.target > 0 and all(
            p.value is not None and units_match(p.unit, node.unit) for _, p in kids
        ):
            total = sum((p.value for _, p in kids), Decimal(0))
            return Progress(total, node.target, fraction_of(total, node.target), node.unit, counted=len(kids))
        note = "Not every sub-goal counts in the same unit, so this shows the average of their progress."
    fractions = [min(p.fraction or 0.0, 1.0) for _, p in kids]
    return Progress(None, None, sum(fractions) / len(fractions), "%", note=note, counted=len(kids))


def rollup(nodes: Iterable[Node]) -> dict[Hashable, Progress]:
    """The progress of every goal, sub-goals first; any depth.

    A link that would close a loop is ignored rather than followed forever.
    """
    by_id = {n.id: n for n in nodes}
    children: dict[Hashable, list[Hashable]] = defaultdict(list)
    for n in by_id.values():
        if n.parent_id is not None and n.parent_id in by_id and n.parent_id != n.id:
            children[n.parent_id].append(n.id)
    result: dict[Hashable, Progress] = {}
    visiting: set[Hashable] = set()
    for root in by_id:
        if root in result:
            continue
        # A depth-first walk: each frame is a goal, its children and how many of them were seen.
        stack = [[root, children.get(root, ()), 0]]
        visiting.add(root)
        while stack:
            frame = stack[-1]
            current, pending, seen = frame
            while seen < len(pending) and (pending[seen] in visiting or pending[seen] in result):
                seen += 1
            if seen < len(pending):
                child = pending[seen]
                frame[2] = seen + 1
                visiting.add(child)
                stack.append([child, children.get(child, ()), 0])
                continue
            stack.pop()
            visiting.discard(current)
            node = by_id[current]
            if node.measure == "children":
                kids = [(by_id[c], result[c]) for c in pending if c in result and by_id[c].counts]
                result[current] = _children_progress(node, kids)
            else:
                result[current] = _own_progress(node)
    return result


def ancestors(goal_id: Hashable, parent_of: Mapping[Hashable, Hashable | None]) -> list[Hashable]:
    """Parent, grandparent, ... of a goal, stopping before a loop repeats."""
    found: list[Hashable] = []
    seen = {goal_id}
    current = parent_of.get(goal_id)
    while current is not None and current not in seen:
        found.append(current)
        seen.add(current)
        current = parent_of.get(current)
    return found


def would_cycle(goal_id: Hashable, new_parent_id: Hashable | None, parent_of: Mapping[Hashable, Hashable | None]) -> bool:
    """Whether making ``new_parent_id`` the parent of ``goal_id`` would put the goal inside itself."""
    if new_parent_id is None:
        return False
    return new_parent_id == goal_id or goal_id in ancestors(new_parent_id, parent_of)


def descendants(goal_id: Hashable, parent_of: Mapping[Hashable, Hashable | None]) -> set[Hashable]:
    children: dict[Hashable, list[Hashable]] = defaultdict(list)
    for child, parent in parent_of.items():
        if parent is not None:
            children[parent].append(child)
    found: set[Hashable] = set()
    pending = list(children[goal_id])
    while pending:
        current = pending.pop()
        if current in found or current == goal_id:
            continue
        found.add(current)
        pending.extend(children[current])
    return found


# --- deadlines and pace --------------------------------------------------------------------

@dataclass(frozen=True)
class Pace:
    amount: Decimal
    per: str  # day, week or month


def _round_up(amount: Decimal) -> Decimal:
    """Rounded up, so that keeping the pace is enough: one decimal from 1 on, two below, three below 0.01."""
    step = Decimal("0.1") if amount >= 1 else Decimal("0.01") if amount >= Decimal("0.01") else Decimal("0.001")
    return amount.quantize(step, rounding=ROUND_UP)


def pace_needed(remaining: Decimal | None, days_left: int) -> Pace | None:
    """What has to be done per day (or week, or month) over ``days_left`` days, today included."""
    if remaining is None or remaining <= 0 or days_left <= 0:
        return None
    per_day = remaining / days_left
    if per_day >= 1 or days_left < 14:
        return Pace(_round_up(per_day), "day")
    per_week = remaining * 7 / days_left
    if per_week >= 1 or days_left < 62:
        return Pace(_round_up(per_week), "week")
    # An average month: 365.25 / 12 days.
    return Pace(_round_up(remaining * Decimal("30.4375") / days_left), "month")


def days_left(end: date, today: date) -> int:
    """Days still available until ``end``, today included (0 once it has passed)."""
    return max((end - today).days + 1, 0)


def due_state(end: date | None, today: date, *, reached: bool, open_: bool) -> str | None:
    """"overdue", "due_soon" (within a week) or None, for an open goal with a deadline."""
    if end is None or reached or not open_:
        return None
    if end < today:
        return "overdue"
    if (end - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return None


def projected_finish(value: Decimal | None, target: Decimal | None, start: date, today: date) -> date | None:
    """When the target would be reached at the average pace since ``start``; None without progress."""
    if value is None or target is None or value <= 0 or value >= target or start > today:
        return None
    elapsed = (today - start).days + 1
    days_needed = math.ceil((target - value) * elapsed / value)
    try:
        return today + timedelta(days=days_needed)
    except OverflowError:
        return None


# --- recurring goals: one result per period ------------------------------------------------

@dataclass(frozen=True)
class PeriodResult:
    period: Period
    value: Decimal
    achieved: bool
    current: bool  # contains today: still open, so not yet missed


def period_results(
    kind: str, first: date, last: date, today: date, values: Mapping[date, Decimal], target: Decimal | None,
) -> list[PeriodResult]:
    """Every period from the one containing ``first`` to the one containing ``last``.

    ``values`` maps a period's first day to its total. Without a positive target no period
    can be achieved.
    """
    results = []
    for period in periods_between(kind, first, last):
        value = values.get(period.start, Decimal(0))
        achieved = target is not None and target > 0 and value >= target
        results.append(PeriodResult(period, value, achieved, today in period))
    return results


@dataclass(frozen=True)
class PeriodStreaks:
    current: int
    longest: int
    achieved: int
    missed: int


def period_streaks(results: Sequence[PeriodResult]) -> PeriodStreaks:
    """Runs of achieved periods. The open period counts when achieved and never breaks a run."""
    longest = run = 0
    for result in results:
        if result.achieved:
            run += 1
            longest = max(longest, run)
        elif not result.current:
            run = 0
    current = 0
    for result in reversed(results):
        if result.achieved:
            current += 1
        elif result.current:
            continue
        else:
            break
    achieved = sum(r.achieved for r in results)
    missed = sum(not r.achieved and not r.current for r in results)
    return PeriodStreaks(current, longest, achieved, missed)


# --- charts (server-rendered SVG) ----------------------------------------------------------

CHART_HEIGHT = 100
HEADROOM = Decimal("0.92")  # the highest value sits a little below the top edge


@dataclass(frozen=True)
class LineChart:
    width: int
    points: str  # polyline of the running total
    target_y: float | None
    ideal: str | None  # straight line from nothing at the start to the target at the end
    start: date
    end: date
    top: Decimal  # the value at the top of the drawing area


def _y(value: Decimal, top: Decimal) -> float:
    return round(CHART_HEIGHT - float(value / top * HEADROOM) * CHART_HEIGHT, 2)


def cumulative_chart(
    amounts: Sequence[tuple[date, Decimal]], start: date, end: date, target: Decimal | None,
) -> LineChart | None:
    """A step line of the running total between ``start`` and ``end`` (one x unit per day).

    Amounts dated before ``start`` count from the start; None when there is nothing to draw.
    """
    if end < start or not amounts:
        return None
    width = max((end - start).days, 1)
    by_day: dict[date, Decimal] = defaultdict(Decimal)
    for day, amount in amounts:
        by_day[min(max(day, start), end)] += amount
    total = Decimal(0)
    steps = [(0, total)]
    for day in sorted(by_day):
        x = (day - start).days
        steps.append((x, total))
        total += by_day[day]
        steps.append((x, total))
    steps.append((width, total))
    peak = max((v for _, v in steps), default=Decimal(0))
    top = max(peak, target or Decimal(0), Decimal(1))
    points = " ".join(f"{x},{_y(v, top)}" for x, v in steps)
    target_y = _y(target, top) if target else None
    ideal = f"0,{CHART_HEIGHT} {width},{target_y}" if target_y is not None else None
    return LineChart(width, points, target_y, ideal, start, end, top)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    result: PeriodResult


@dataclass(frozen=True)
class BarChart:
    width: int
    bars: list[Bar]
    bar_width: float
    target_y: float | None


MIN_BAR_SLOTS = 8


def period_chart(results: Sequence[PeriodResult], target: Decimal | None) -> BarChart | None:
    """One bar per period, ten x units apart and the latest on the right, with the target as a line.

    A short history keeps bars of the usual width rather than stretching a few across the chart.
    """
    if not results:
        return None
    top = max(max(r.value for r in results), target or Decimal(0), Decimal(1))
    slots = max(len(results), MIN_BAR_SLOTS)
    offset = slots - len(results)
    bars = []
    for i, result in enumerate(results):
        y = _y(result.value, top)
        bars.append(Bar(x=(offset + i) * 10 + 1, y=y, height=round(CHART_HEIGHT - y, 2), result=result))
    return BarChart(slots * 10, bars, 8, _y(target, top) if target else None)
