"""Pure rules of daily reviews: streaks, the month calendar, month arithmetic. No database, no Flask."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from manifest.timeutil import EARLIEST_DAY, LATEST_DAY


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int


def review_streaks(days: Iterable[date], today: date) -> Streaks:
    """Runs of consecutive reviewed days.

    The current run ends today, or yesterday while today's review is still to be written: the
    day is not over, so not having reviewed it yet breaks nothing. Days after ``today`` (a
    clock that disagrees, a time zone moved west) do not count.
    """
    reviewed = sorted({d for d in days if d <= today})
    longest = run = 0
    previous: date | None = None
    for day in reviewed:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = 0
    if reviewed and (today - reviewed[-1]).days <= 1:
        current = run
    return Streaks(current=current, longest=longest)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def shift_month(first: date, months: int) -> date | None:
    """The first day of the month ``months`` away; None beyond the dates the app accepts."""
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        return None
    return date(year, month + 1, 1)


def month_weeks(first: date) -> list[list[date | None]]:
    """The month as Monday-first weeks; None pads the days of neighbouring months."""
    lead = first.weekday()
    days: list[date | None] = [None] * lead
    last = month_end(first)
    day = first
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    days += [None] * (-len(days) % 7)
    return [days[i:i + 7] for i in range(0, len(days), 7)]


def days_back(today: date, count: int) -> list[date]:
    """The ``count`` days ending today, oldest first."""
    return [today - timedelta(days=back) for back in range(count - 1, -1, -1)]
