"""Pure rules: review streaks, months and the calendar grid."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from manifest.reviews.logic import (
    Streaks,
    days_back,
    month_end,
    month_weeks,
    review_streaks,
    shift_month,
)
from manifest.timeutil import parse_month

TODAY = date(2024, 6, 15)
offsets = st.sets(st.integers(min_value=-5, max_value=120), max_size=80)


def naive(days: set[date], today: date) -> Streaks:
    """Walk every day from the first reviewed one to today."""
    past = {d for d in days if d <= today}
    if not past:
        return Streaks(0, 0)
    longest = run = 0
    day = min(past)
    while day <= today:
        run = run + 1 if day in past else 0
        longest = max(longest, run)
        day += timedelta(days=1)
    end = today if today in past else today - timedelta(days=1)
    current = 0
    while end in past:
        current += 1
        end -= timedelta(days=1)
    return Streaks(current, longest)


def to_days(back: set[int]) -> set[date]:
    return {TODAY - timedelta(days=n) for n in back}


@given(offsets)
def test_streaks_match_a_day_by_day_walk(back):
    days = to_days(back)
    assert review_streaks(days, TODAY) == naive(days, TODAY)


@given(offsets)
def test_the_current_streak_never_exceeds_the_longest_nor_the_days_reviewed(back):
    days = to_days(back)
    streaks = review_streaks(days, TODAY)
    assert 0 <= streaks.current <= streaks.longest <= len([d for d in days if d <= TODAY])


@given(offsets)
def test_reviewing_today_extends_the_streak_that_ended_yesterday(back):
    days = to_days(back) - {TODAY}
    before = review_streaks(days, TODAY)
    after = review_streaks(days | {TODAY}, TODAY)
    assert after.current == before.current + 1
    assert after.longest >= before.longest


@given(offsets)
def test_order_and_duplicates_do_not_matter(back):
    days = sorted(to_days(back))
    assert review_streaks(days + days[::-1], TODAY) == review_streaks(set(days), TODAY)


def test_streak_examples():
    yesterday, before = TODAY - timedelta(days=1), TODAY - timedelta(days=2)
    assert review_streaks([], TODAY) == Streaks(0, 0)
    assert review_streaks([TODAY], TODAY) == Streaks(1, 1)
    # Today not reviewed yet: yesterday's run still counts.
    assert review_streaks([yesterday, before], TODAY) == Streaks(2, 2)
    # A missed day yesterday breaks it.
    assert review_streaks([before], TODAY) == Streaks(0, 1)
    assert review_streaks([TODAY + timedelta(days=1)], TODAY) == Streaks(0, 0)


@given(st.integers(min_value=1900, max_value=2999), st.integers(min_value=1, max_value=12))
def test_months_parse_and_print_back(year, month):
    first = parse_month(f"{year:04d}-{month:02d}")
    assert first == date(year, month, 1)
    assert first.strftime("%Y-%m") == f"{year:04d}-{month:02d}"


def test_bad_months_are_refused():
    for text in ("", None, "2024-13", "2024-00", "2024-1", "24-01", "2024-01-01", "3000-01", "1899-12", "abcd-ef", "0000-01"):
        assert parse_month(text) is None, text


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)), st.integers(-30, 30))
def test_shifting_months_lands_on_first_days_and_goes_back(day, months):
    first = day.replace(day=1)
    moved = shift_month(first, months)
    if moved is not None:
        assert moved.day == 1
        assert (moved.year - first.year) * 12 + moved.month - first.month == months
        assert shift_month(moved, -months) == first


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 1)))
def test_the_calendar_holds_every_day_of_the_month_once_monday_first(day):
    first = day.replace(day=1)
    weeks = month_weeks(first)
    days = [d for week in weeks for d in week if d is not None]
    assert days == [first + timedelta(days=n) for n in range(month_end(first).day)]
    assert all(len(week) == 7 for week in weeks)
    for week in weeks:
        for position, d in enumerate(week):
            assert d is None or d.weekday() == position


def test_days_back_ends_today_oldest_first():
    window = days_back(TODAY, 30)
    assert len(window) == 30 and window[-1] == TODAY and window[0] == TODAY - timedelta(days=29)
