"""Periods, snapshot values against a direct count of the rows, the weight trend, comparisons."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manifest.goals.logic import Period
from manifest.habits import logic as habit_logic
from manifest.progress import logic
from manifest.timeutil import local_date, week_start

DAILY = habit_logic.Schedule("daily")


@pytest.mark.parametrize(("day", "week"), [
    (date(2026, 12, 5), (date(2026, 11, 30), date(2026, 12, 6))),  # a Saturday: the week began on Monday
    (date(2026, 11, 30), (date(2026, 11, 30), date(2026, 12, 6))),  # a Monday starts its own week
    (date(2026, 12, 6), (date(2026, 11, 30), date(2026, 12, 6))),  # a Sunday ends it
    (date(2025, 12, 31), (date(2025, 12, 29), date(2026, 1, 4))),  # a week across New Year
])
def test_weeks_follow_the_apps_one_week_start(day, week):
    assert logic.period("weekly", day) == Period(*week)
    assert logic.period("weekly", day).start == week_start(day)


@pytest.mark.parametrize(("day", "end"), [
    (date(2024, 2, 10), date(2024, 2, 29)),  # leap year
    (date(2025, 2, 10), date(2025, 2, 28)),
    (date(2100, 2, 1), date(2100, 2, 28)),  # a century that is not a leap year
    (date(2000, 2, 1), date(2000, 2, 29)),  # one that is
    (date(2026, 4, 30), date(2026, 4, 30)),
    (date(2026, 12, 1), date(2026, 12, 31)),
])
def test_months_end_on_their_last_day(day, end):
    span = logic.period("monthly", day)
    assert span.start == day.replace(day=1) and span.end == end


def test_years_and_the_period_a_year_before():
    assert logic.period("yearly", date(2024, 2, 29)) == Period(date(2024, 1, 1), date(2024, 12, 31))
    assert logic.year_before("monthly", logic.period("monthly", date(2024, 2, 29))) == Period(date(2023, 2, 1), date(2023, 2, 28))
    week = logic.year_before("weekly", logic.period("weekly", date(2026, 12, 5)))
    assert week.start.weekday() == 0 and week.days == 7 and (date(2026, 11, 30) - week.start).days == 364
    assert logic.year_before("yearly", logic.period("yearly", date(2026, 6, 1))).start == date(2025, 1, 1)


def test_closed_periods_stop_before_todays():
    today = date(2026, 12, 5)
    weeks = logic.closed_periods("weekly", date(2026, 11, 1), today)
    assert weeks[0].start == date(2026, 10, 26) and weeks[-1].end == date(2026, 11, 29)
    assert logic.closed_periods("monthly", date(2026, 12, 1), today) == []
    # The last day of a period is still open on that day.
    assert logic.closed_periods("monthly", date(2026, 11, 1), date(2026, 11, 30)) == []
    assert logic.closed_periods("monthly", date(2026, 11, 1), date(2026, 12, 1)) == [Period(date(2026, 11, 1), date(2026, 11, 30))]


@pytest.mark.parametrize(("zone", "moment", "day"), [
    # The night the clocks go back in Berlin (25 Oct 2026): 23:30 local is 22:30 UTC, after it 21:30 UTC.
    ("Europe/Berlin", datetime(2026, 10, 25, 22, 30, tzinfo=UTC), date(2026, 10, 25)),
    ("Europe/Berlin", datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 26)),
    # Spring forward in New York (8 Mar 2026): 23:59 local on the 8th is 03:59 UTC on the 9th.
    ("America/New_York", datetime(2026, 3, 9, 3, 59, tzinfo=UTC), date(2026, 3, 8)),
    ("Pacific/Kiritimati", datetime(2026, 11, 29, 10, 30, tzinfo=UTC), date(2026, 11, 30)),  # UTC+14: already Monday
])
def test_a_stored_moment_lands_in_the_users_own_day_and_period(zone, moment, day):
    user = SimpleNamespace(timezone=zone)
    assert local_date(user, moment) == day
    assert day in logic.period("weekly", day)


# --- snapshot values against the rows --------------------------------------------------------

FIRST = date(2024, 1, 1)
days_in = st.integers(0, 450).map(lambda n: FIRST + timedelta(days=n))


@st.composite
def histories(draw):
    workouts = sorted(draw(st.lists(st.tuples(days_in, st.integers(0, 180)), max_size=40)))
    reviews = sorted({d: (d, m, e) for d, m, e in draw(st.lists(
        st.tuples(days_in, st.one_of(st.none(), st.integers(1, 10)), st.one_of(st.none(), st.integers(1, 10))),
        max_size=40))}.values())
    journal = sorted(draw(st.lists(days_in, max_size=10)))
    weighings = sorted({d: logic.Weighing(d, Decimal(w), None) for d, w in draw(st.lists(
        st.tuples(days_in, st.integers(40, 150)), max_size=20))}.values(), key=lambda w: w.day)
    created = draw(days_in)
    done = {d: habit_logic.Mark.DONE for d in draw(st.lists(days_in, max_size=120)) if d >= created}
    habit = logic.HabitHistory(created, True, DAILY, done)
    goals = [logic.GoalSpan(c, draw(st.one_of(st.none(), st.just(c + timedelta(days=draw(st.integers(0, 60)))))))
             for c in draw(st.lists(days_in, max_size=5))]
    return logic.History([habit], goals, workouts, reviews, journal, weighings)


def _direct(history: logic.History, span: Period, today: date) -> dict:
    """The same figures counted the plainest way, one day at a time."""
    inside = [d for d in (span.start + timedelta(days=i) for i in range(span.days)) if d <= today]
    habit = history.habits[0]
    due = [d for d in inside if d >= habit.created and not (d == today and d not in habit.marks)]
    met = [d for d in due if d in habit.marks]
    moods = [m for d, m, _ in history.reviews if d in span and m is not None]
    weights = [w.weight for w in history.weighings if w.day in span]
    return {
        "total_workouts": sum(1 for d, _ in history.workouts if d in span),
        "total_workout_minutes": sum(m for d, m in history.workouts if d in span),
        "total_blog_entries": sum(1 for d in history.journal if d in span),
        "average_daily_mood": round(Decimal(sum(moods)) / len(moods), 2) if moods else None,
        "habit_completion_rate": round(Decimal(100 * len(met)) / len(due), 2) if due else None,
        "active_habits": 1 if habit.created <= span.end else 0,
        "weight": weights[-1] if weights else None,
        "total_goals": sum(1 for g in history.goals if g.created <= span.end and (g.completed is None or g.completed >= span.start)),
        "completed_goals": sum(1 for g in history.goals if g.created <= span.end and g.completed is not None and span.start <= g.completed <= span.end),
    }


@settings(max_examples=60, deadline=None)
@given(histories(), st.sampled_from(logic.KINDS), days_in, st.integers(0, 500))
def test_snapshot_values_match_a_direct_count(history, kind, day, ahead):
    today = day + timedelta(days=ahead)
    span = logic.period(kind, day)
    values = logic.Summariser(history).values(span, today).as_dict()
    for name, expected in _direct(history, span, today).items():
        assert values[name] == expected, name


# --- the weight trend ----------------------------------------------------------------------------

@given(st.lists(st.tuples(days_in, st.floats(40, 150)), min_size=1, max_size=60))
def test_the_trend_stays_within_the_readings_and_follows_each_day_once(points):
    trend = logic.weight_trend(points)
    weights = [w for _, w in points]
    assert [p.day for p in trend] == sorted({d for d, _ in points})
    for p in trend:
        assert min(weights) - 1e-9 <= p.trend <= max(weights) + 1e-9
    assert trend[0].trend == trend[0].weight


def test_a_steady_loss_shows_as_its_weekly_rate_and_the_trend_lags_behind_the_scale():
    points = [(FIRST + timedelta(days=i), 90 - 0.1 * i) for i in range(120)]  # 0.7 a week
    trend = logic.weight_trend(points)
    assert logic.weekly_rate(trend) == pytest.approx(-0.7, abs=0.01)
    assert trend[-1].trend > trend[-1].weight  # smoothing lags a falling weight
    assert logic.weekly_rate(trend[:1]) is None
    assert logic.weekly_rate(logic.weight_trend([(FIRST, 80), (FIRST + timedelta(days=3), 79)])) is None


def test_a_gap_between_weigh_ins_weighs_the_next_one_as_that_many_days():
    after_gap = logic.weight_trend([(FIRST, 80.0), (FIRST + timedelta(days=10), 70.0)])[-1].trend
    assert after_gap == pytest.approx(80 - 10 * (1 - 0.9**10))


# --- comparisons ---------------------------------------------------------------------------------

def test_comparisons_are_honest_about_what_they_cannot_say():
    assert logic.compare("average_daily_mood", Decimal("6.5"), Decimal(7), in_progress=True).direction == "down"
    assert logic.compare("average_daily_mood", Decimal(7), Decimal(7), in_progress=True).arrow == "→"
    partial = logic.compare("total_workouts", 2, 5, in_progress=True)
    assert partial.change is None and partial.reason == "period still in progress"
    assert logic.compare("total_workouts", 6, 5, in_progress=False).change == 1
    assert logic.compare("weight", None, Decimal(80), in_progress=True).reason == "not recorded yet"
    assert logic.compare("weight", Decimal(80), None, in_progress=True).reason == "no data"
