"""The review pages' view models, from plain values: no database."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from manifest.reviews.pages import (
    Day,
    ReviewStatus,
    average,
    calendar_weeks,
    filled_count,
)

NAMES = ("mood_rating", "steps", "highlights")


def test_a_day_counts_its_answers_and_knows_its_neighbours():
    today = date(2026, 12, 5)
    review = SimpleNamespace(mood_rating=7, steps=None, highlights="A walk")
    day = Day(today, today, review, None, NAMES)
    assert (day.filled, day.total, day.editable, day.next_day) == (2, 3, True, None)
    assert day.previous_day == date(2026, 12, 4)
    assert Day(date(2026, 12, 4), today, None, None, NAMES).next_day == today
    assert not Day(date(2026, 12, 6), today, None, None, NAMES).editable
    assert filled_count(None, NAMES) == 0


def test_a_status_is_started_and_complete():
    assert not ReviewStatus(date(2026, 1, 1), False, 0, 14).started
    assert ReviewStatus(date(2026, 1, 1), True, 14, 14).complete


def test_the_calendar_marks_moods_reviews_today_and_the_future():
    weeks = calendar_weeks(date(2026, 12, 1), date(2026, 12, 5), {date(2026, 12, 1): 8, date(2026, 12, 2): None})
    days = {cell.day: cell for week in weeks for cell in week if cell is not None}
    assert len(days) == 31
    assert days[date(2026, 12, 1)].mood_class == "mood-8"
    assert days[date(2026, 12, 2)].mood_class == "reviewed"
    assert days[date(2026, 12, 3)].mood_class == "empty"
    assert days[date(2026, 12, 6)].mood_class == "future" and days[date(2026, 12, 5)].today


def test_averages_skip_missing_days():
    assert average([7, None, 8]) == Decimal("7.5")
    assert average([None]) is None
