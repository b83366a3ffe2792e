"""A change inside the open period (today, or this week) updates the cached streaks from that
period's marks alone, and always agrees with a full recomputation from the whole history."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from manifest.habits.logic import (
    Mark,
    Streaks,
    compute_streaks,
    longest_before_open_period,
    open_period_start,
    period_met,
    streak_valid_until,
    streaks_after_open_period_change,
)
from tests.habits.test_logic import build, mark_offsets, pause_specs, schedules, todays

FAST = settings(max_examples=300, deadline=None)
STATES = st.sampled_from([None, Mark.DONE, Mark.SKIPPED, Mark.MISSED])


def live(schedule, marks, computed_on: date, today: date, pauses) -> Streaks:
    """The cache as a page reads it on ``today``: computed on ``computed_on``, the current
    streak dropped once its valid-until day has passed."""
    streaks = compute_streaks(schedule, marks, computed_on, pauses)
    until = streak_valid_until(schedule, marks, computed_on, pauses) if streaks.current else None
    current = streaks.current if until is None or today <= until else 0
    return Streaks(current, streaks.longest, streaks.total_completions)


def in_open_period(schedule, today: date) -> list[date]:
    start = open_period_start(schedule, today)
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


@FAST
@given(schedules, todays, mark_offsets, pause_specs, st.data())
def test_a_change_in_the_open_period_equals_a_full_recomputation(schedule, today, offsets, pause_list, data):
    marks, pauses = build(today, offsets, pause_list)
    marks = {d: m for d, m in marks.items() if d <= today}  # nobody checks in ahead
    cached = live(schedule, marks, today, today, pauses)
    longest_before = longest_before_open_period(schedule, marks, today, pauses)

    new_marks = dict(marks)
    for day in data.draw(st.lists(st.sampled_from(in_open_period(schedule, today)), min_size=1, max_size=3)):
        state = data.draw(STATES)
        if state is None:
            new_marks.pop(day, None)
        else:
            new_marks[day] = state

    result = streaks_after_open_period_change(schedule, cached, longest_before, marks, new_marks, today, pauses)
    assert result is not None
    streaks, earlier = result
    assert streaks == compute_streaks(schedule, new_marks, today, pauses)
    assert earlier == longest_before_open_period(schedule, new_marks, today, pauses)


@FAST
@given(schedules, todays, mark_offsets, pause_specs, st.integers(1, 40), STATES)
def test_a_cache_from_an_earlier_period_rolls_forward_without_history(
    schedule, today, offsets, pause_list, days_ago, state,
):
    # The cache was last written ``days_ago`` days back; nothing was recorded since.
    marks, pauses = build(today, offsets, pause_list)
    computed_on = today - timedelta(days=days_ago)
    if computed_on >= open_period_start(schedule, today):
        computed_on = open_period_start(schedule, today) - timedelta(days=1)
    marks = {d: m for d, m in marks.items() if d <= computed_on}
    cached = live(schedule, marks, computed_on, today, pauses)
    stale_longest_before = longest_before_open_period(schedule, marks, computed_on, pauses)
    new_marks = dict(marks)
    if state is not None:
        new_marks[today] = state

    # The open period has no marks yet, so the stale longest-before is never needed.
    assert not period_met(schedule, marks, today, pauses)
    for longest_before in (stale_longest_before, None):
        streaks, _ = streaks_after_open_period_change(schedule, cached, longest_before, marks, new_marks, today, pauses)
        assert streaks == compute_streaks(schedule, new_marks, today, pauses)


def test_an_unknown_longest_before_a_met_period_asks_for_a_full_recomputation():
    from manifest.habits.logic import Schedule

    daily, today = Schedule("daily"), date(2024, 5, 15)
    marks = {today: Mark.DONE}
    cached = compute_streaks(daily, marks, today)
    assert streaks_after_open_period_change(daily, cached, None, marks, {}, today) is None
