"""A habit's rules read from its row: schedule, pauses, whether a day is due, what a value means.

Pure: takes loaded rows (a Habit with its pauses), never queries.
"""

from datetime import date
from decimal import Decimal

from manifest.habits import logic


def schedule_from(frequency: str, target_days: int | None, weekday_mask: int | None) -> logic.Schedule:
    if frequency == "weekly":
        return logic.Schedule("weekly", times_per_week=target_days or 1)
    if frequency == "custom":
        mask = weekday_mask or 127
        return logic.Schedule("weekdays", weekdays=frozenset(d for d in range(7) if mask >> d & 1))
    return logic.Schedule("daily")


def schedule_of(habit) -> logic.Schedule:
    return schedule_from(habit.frequency, habit.target_days, habit.weekday_mask)


def strength_frequency(habit) -> tuple[int, int]:
    """(times, days) the strength score measures against: an imported rhythm, else the schedule's."""
    if habit.rhythm_times and habit.rhythm_days:
        return (habit.rhythm_times, habit.rhythm_days)
    return schedule_of(habit).frequency()


WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def has_rhythm(habit) -> bool:
    """Whether the habit keeps a rhythm our schedules cannot say ("2 times in 3 days", from Loop)."""
    return bool(habit.rhythm_times and habit.rhythm_days)


def schedule_text(habit) -> str:
    """How often the habit is meant to be done, as the user knows it: its imported rhythm when it
    keeps one ("2 times in 3 days"), else its schedule ("3 times a week", "Every Mon, Wed")."""
    if has_rhythm(habit):
        return f"{_times(habit.rhythm_times)} in {habit.rhythm_days} days".capitalize()
    schedule = schedule_of(habit)
    if schedule.kind == "weekly":
        return f"{_times(schedule.times_per_week)} a week".capitalize()
    if schedule.kind == "weekdays":
        return "Every " + ", ".join(WEEKDAY_NAMES[d] for d in sorted(schedule.weekdays))
    return "Every day"


def streak_rule(habit) -> str | None:
    """What a streak counts, said when the schedule alone does not say it: a habit with a rhythm
    counts its streak in weeks reaching the rhythm's nearest weekly count."""
    if not has_rhythm(habit) or habit.frequency != "weekly":
        return None
    return f"its streak counts weeks done {_times(habit.target_days or 1)} or more"


def pauses_of(habit) -> list[logic.Pause]:
    return [logic.Pause(p.start_date, p.end_date) for p in habit.pauses]


def is_paused(habit, day: date) -> bool:
    return any(p.start_date <= day <= p.end_date for p in habit.pauses)


def is_due(habit, day: date) -> bool:
    return not is_paused(habit, day) and schedule_of(habit).is_scheduled(day)


def mark_of(completed: bool, skipped: bool) -> logic.Mark:
    if skipped:
        return logic.Mark.SKIPPED
    return logic.Mark.DONE if completed else logic.Mark.MISSED


def meets_target(habit, value: Decimal | None) -> bool:
    return logic.is_success(
        None if value is None else float(value), numeric=True,
        target=float(habit.target_value or 0), direction=habit.target_direction,
    )


def live_streak(habit, today: date) -> int:
    """The cached current streak, unless days passing without a check-in have broken it."""
    if not habit.current_streak:
        return 0
    if habit.streak_valid_until is not None and today > habit.streak_valid_until:
        return 0
    return habit.current_streak
