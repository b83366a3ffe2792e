"""Pure reminder scheduling: which reminders of one user fall due between two instants.

No database, no Flask. Services feed plain data; the rules can be tested exhaustively.

- Every reminder has a local wall-clock time on a local day. It becomes one UTC instant with
  zoneinfo: a time the clocks skip (02:30 on a spring-forward day) is read with the offset in force
  before the change, so it lands once, an hour later on the clock (03:30); a time that happens
  twice (fall back) is its first occurrence. Either way one instant per day, and the dedupe key
  (kind, subject, local day) makes it one notification.
- Quiet hours: a reminder whose local time falls inside them moves to their end when that is later
  the same day, and is dropped when they last past midnight (yesterday's reminder is worth nothing).
- ``due_reminders(..., since, now)`` returns the reminders with ``since < at <= now``. Consecutive
  windows partition time, so a job that runs every minute finds every reminder exactly once,
  whatever the windows (the property tests check this).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from manifest.habits.logic import Pause, Schedule
from manifest.timeutil import week_start

ONE_DAY = timedelta(days=1)
# The weekly summary: Monday morning, local time.
DIGEST_WEEKDAY, DIGEST_TIME = 0, time(8, 0)
KINDS = ("habit", "review", "goal", "digest")
DAILY = Schedule("daily")


@dataclass(frozen=True)
class Settings:
    """What a user asked for (the defaults are a user who never opened the settings)."""

    timezone: str = "UTC"
    habits: bool = True
    review: bool = True
    goals: bool = True
    digest: bool = True
    review_time: time | None = None
    goal_hours: int = 24
    quiet_start: time | None = None
    quiet_end: time | None = None


@dataclass(frozen=True)
class HabitPlan:
    """A habit with a reminder time, and what is known of its days.

    ``closed``: local days done or skipped. ``week_done``: days done per ISO week (keyed by its
    Monday), for habits due N times a week.
    """

    id: Hashable
    at: time
    schedule: Schedule = DAILY
    pauses: tuple[Pause, ...] = ()
    closed: frozenset[date] = frozenset()
    week_done: Mapping[date, int] = field(default_factory=dict, hash=False, compare=False)

    def due_on(self, day: date) -> bool:
        if any(p.start <= day <= p.end for p in self.pauses) or day in self.closed:
            return False
        if self.schedule.kind == "weekly":
            return self.week_done.get(week_start(day), 0) < self.schedule.times_per_week
        return self.schedule.is_scheduled(day)


@dataclass(frozen=True)
class GoalPlan:
    """An open goal with a deadline: its last day, or a recurring goal's current period's last day.

    ``open``: active, not reached yet and already started; a reached goal needs no reminder.
    ``opens``: a recurring goal's current period's first day; its reminder never falls before it.
    """

    id: Hashable
    deadline: date
    open: bool = True
    recurring: bool = False
    opens: date | None = None


@dataclass(frozen=True, order=True)
class Reminder:
    at: datetime  # UTC
    kind: str
    key: str  # unique per user: the idempotency key of the notification
    day: date  # the local day it belongs to
    ref: Hashable | None = field(default=None, compare=False)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local day (see the module notes on DST)."""
    return datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone).astimezone(UTC)


def goal_closes(goal: GoalPlan, zone: ZoneInfo) -> datetime:
    """The UTC instant a goal's deadline day ends."""
    return local_instant(goal.deadline + ONE_DAY, time(0), zone)


def hours_left(reminder: Reminder, zone: ZoneInfo) -> int:
    """Whole hours from a goal reminder to its deadline's end: what its message says."""
    return round((goal_closes(reminder.ref, zone) - reminder.at).total_seconds() / 3600)


def in_quiet_hours(moment: time, start: time | None, end: time | None) -> bool:
    """Whether a local time falls inside [start, end), a range that may pass midnight."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def after_quiet_hours(at: datetime, settings: Settings, zone: ZoneInfo) -> datetime | None:
    """The instant a reminder may go out: itself, the end of the quiet hours it falls in (the same
    day), or None when they last into the next day."""
    local = at.astimezone(zone)
    if not in_quiet_hours(local.time().replace(tzinfo=None), settings.quiet_start, settings.quiet_end):
        return at
    end = settings.quiet_end
    if end is None or end <= local.time().replace(tzinfo=None):
        return None
    return local_instant(local.date(), end, zone)


def _local_days(since: datetime, now: datetime, zone: ZoneInfo) -> Iterator[date]:
    # One day either side: quiet hours can move a reminder later within its day.
    day, last = since.astimezone(zone).date() - ONE_DAY, now.astimezone(zone).date() + ONE_DAY
    while day <= last:
        yield day
        day += ONE_DAY


def scheduled(settings: Settings, habits, goals, since: datetime, now: datetime) -> list[Reminder]:
    """Every reminder the settings and plans place in (since, now], before checking what is done."""
    zone = ZoneInfo(settings.timezone)
    found: list[Reminder] = []

    def add(kind: str, key: str, day: date, at: datetime, ref=None) -> None:
        at = after_quiet_hours(at, settings, zone)
        if at is not None and since < at <= now and at.astimezone(zone).date() == day:
            found.append(Reminder(at, kind, key, day, ref))

    for day in _local_days(since, now, zone):
        if settings.habits:
            for habit in habits:
                add("habit", f"habit:{habit.id}:{day}", day, local_instant(day, habit.at, zone), habit)
        if settings.review and settings.review_time is not None:
            add("review", f"review:{day}", day, local_instant(day, settings.review_time, zone))
        if settings.digest and day.weekday() == DIGEST_WEEKDAY:
            add("digest", f"digest:{day}", day, local_instant(day, DIGEST_TIME, zone))
    if settings.goals:
        for goal in goals:
            closes = goal_closes(goal, zone)
            at = closes - timedelta(hours=settings.goal_hours)
            if goal.opens is not None:
                # A reminder asked for earlier than the period is long comes as the period opens,
                # not before it, when this period's plan did not exist yet.
                at = max(at, local_instant(goal.opens, time(0), zone))
            day = at.astimezone(zone).date()
            moved = after_quiet_hours(at, settings, zone)
            if moved is not None and moved < closes:
                add("goal", f"goal:{goal.id}:{goal.deadline}", day, at, goal)
    return sorted(found)


def still_due(reminder: Reminder, reviewed: frozenset[date] = frozenset()) -> bool:
    """Whether what the reminder is about is still undone."""
    if reminder.kind == "habit":
        return reminder.ref.due_on(reminder.day)
    if reminder.kind == "review":
        return reminder.day not in reviewed
    if reminder.kind == "goal":
        return reminder.ref.open
    return True


def due_reminders(settings: Settings, habits, goals, reviewed: frozenset[date], since: datetime,
                  now: datetime) -> list[Reminder]:
    """The reminders of one user that fall in (since, now] and are still worth sending."""
    return [r for r in scheduled(settings, habits, goals, since, now) if still_due(r, reviewed)]


def is_late(reminder: Reminder, now: datetime, grace: timedelta) -> bool:
    """Found further past its time than the grace window allows (the worker was down): skipped."""
    return now - reminder.at > grace
