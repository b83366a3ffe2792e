"""Welch's interval and the insights' rules: known answers, random data, planted effects."""

import math
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manifest.progress import insights, stats

# Student's sleep data (Cushny and Peebles), as in R's example `t.test(extra ~ group, data = sleep)`:
# Welch t = -1.8608, df = 17.776, p-value = 0.07939, 95 percent interval -3.3654832 to 0.2054832.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# Welch's t-test on Wikipedia, first example: t = -2.46, df = 24.99, p = 0.021.
WIKI_1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
WIKI_2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]


def test_the_sleep_data_gives_r_s_welch_interval_to_three_decimals():
    r = stats.welch(SLEEP_1, SLEEP_2)
    assert round(r.difference, 3) == -1.580
    assert round(r.low, 3) == -3.365
    assert round(r.high, 3) == 0.205
    assert round(r.t, 3) == -1.861
    assert round(r.df, 3) == 17.776
    assert round(r.p, 3) == 0.079
    assert r.includes_zero


def test_wikipedias_welch_example():
    r = stats.welch(WIKI_1, WIKI_2)
    assert round(r.t, 2) == -2.46
    assert round(r.df, 2) == 24.99
    assert round(r.p, 3) == 0.021
    assert not r.includes_zero


@pytest.mark.parametrize(("df", "quantile"), [(1, 12.706), (5, 2.571), (10, 2.228), (20, 2.086), (30, 2.042), (120, 1.980)])
def test_t_quantiles_match_the_printed_table(df, quantile):
    assert round(stats.t_quantile(0.975, df), 3) == quantile


@given(st.floats(-50, 50), st.floats(0.5, 200))
def test_t_cdf_is_symmetric_and_inverts_the_quantile(t, df):
    assert math.isclose(stats.t_cdf(t, df) + stats.t_cdf(-t, df), 1.0, abs_tol=1e-9)
    p = stats.t_cdf(t, df)
    if 1e-6 < p < 1 - 1e-6:
        assert math.isclose(stats.t_quantile(p, df), t, abs_tol=1e-5)


samples = st.lists(st.floats(-100, 100, allow_nan=False), min_size=2, max_size=40)


@given(samples, samples)
def test_the_interval_holds_the_difference_and_swapping_groups_mirrors_it(a, b):
    r = stats.welch(a, b)
    assert r.low <= r.difference + 1e-9 and r.difference - 1e-9 <= r.high
    s = stats.welch(b, a)
    assert math.isclose(s.difference, -r.difference, abs_tol=1e-9)
    assert math.isclose(s.low, -r.high, abs_tol=1e-6) and math.isclose(s.high, -r.low, abs_tol=1e-6)
    assert (r.n_a, r.n_b) == (len(a), len(b))


def _days(values_by_day: dict, workout_days: set) -> insights.Days:
    return insights.Days(reviews={d: insights.DayReview(mood=m, energy=m) for d, m in values_by_day.items()},
                         workout_days=frozenset(workout_days))


START = date(2025, 1, 6)


def _random_user(rng: random.Random, days: int, planted: float = 0.0) -> insights.Days:
    moods, workouts = {}, set()
    for i in range(days):
        day = START + timedelta(days=i)
        worked = rng.random() < 0.4
        if worked:
            workouts.add(day)
        moods[day] = rng.gauss(6 + (planted if worked else 0), 1.5)
    return insights.Days(reviews={d: insights.DayReview(mood=m) for d, m in moods.items()}, workout_days=frozenset(workouts))


def _mood_finding(days: insights.Days):
    question = next(q for q in insights.workout_questions(days) if q.key == "workout-mood")
    return insights.judge(question)


def test_random_days_show_no_finding_in_at_least_95_percent_of_seeded_trials():
    trials = 400
    found = sum(_mood_finding(_random_user(random.Random(seed), 60)) is not None for seed in range(trials))
    assert found / trials <= 0.05


def test_a_planted_effect_is_found_with_its_direction_and_size():
    days = _random_user(random.Random(7), 120, planted=1.5)
    finding = _mood_finding(days)
    assert finding is not None
    assert finding.result.low > 0
    assert finding.result.low < 1.5 < finding.result.high
    assert "associated with mood" in finding.sentence and "higher" in finding.sentence
    assert "cause" not in finding.sentence


def test_fewer_than_14_days_on_a_side_is_pending_whatever_the_effect():
    moods = {START + timedelta(days=i): (9 if i < 13 else 2) for i in range(60)}
    worked = {START + timedelta(days=i) for i in range(13)}
    result = insights.insights(_days(moods, worked))
    assert not result.findings
    pending = {q.key for q in result.pending}
    assert "workout-mood" in pending
    question = result.find("workout-mood")
    assert (question.a.n, question.b.n) == (13, 47)
    assert "14 reviewed days with a workout" in question.needs


def test_fourteen_a_side_with_a_clear_difference_is_a_finding():
    moods = {START + timedelta(days=i): (8 + i % 2 if i < 14 else 4 + i % 2) for i in range(28)}
    worked = {START + timedelta(days=i) for i in range(14)}
    finding = next(f for f in insights.insights(_days(moods, worked)).findings if f.question.key == "workout-mood")
    assert (finding.result.n_a, finding.result.n_b) == (14, 14)
    assert finding.result.difference == pytest.approx(4.0)
    assert finding.question.a.days == tuple(sorted(worked))


def test_sleep_is_paired_with_the_next_days_productivity():
    reviews = {}
    for i in range(60):
        day = START + timedelta(days=i)
        reviews[day] = insights.DayReview(sleep_hours=8.0 if i % 2 == 0 else 5.5, productivity=9 if i % 2 == 1 else 3)
    q = insights.sleep_question(insights.Days(reviews=reviews))
    # A long night (even days) is followed by a productive odd day.
    assert set(q.a.values) == {9.0} and set(q.b.values) == {3.0}
    assert q.a.days[0] == START + timedelta(days=1)
    assert insights.judge(q).result.difference == pytest.approx(6.0)


def test_a_habit_is_compared_only_on_days_it_was_due_or_done():
    moods = {START + timedelta(days=i): float(i % 5) for i in range(40)}
    due = frozenset(START + timedelta(days=i) for i in range(0, 40, 2))
    done = frozenset(START + timedelta(days=i) for i in range(0, 20, 2))
    habit = insights.HabitDays("h1", "Read", START, done, due)
    q = insights.habit_questions(insights.Days(reviews={d: insights.DayReview(mood=m) for d, m in moods.items()},
                                               habits=[habit]))[0]
    assert set(q.a.days) == set(done)
    assert set(q.b.days) == set(due - done)
    assert q.key == "habit-h1"


@settings(max_examples=30)
@given(st.integers(0, 10_000))
def test_insights_never_report_an_interval_that_includes_zero(seed):
    result = insights.insights(_random_user(random.Random(seed), 50, planted=random.Random(seed).choice((0, 0.5, 2))))
    for finding in result.findings:
        assert not finding.result.low <= 0 <= finding.result.high
        assert finding.result.n_a >= 14 and finding.result.n_b >= 14


def test_a_habits_name_keeps_its_case_in_the_findings_words():
    moods = {START + timedelta(days=i): (9 + i % 2 if i % 2 == 0 else 4 + i % 2) for i in range(40)}
    done = frozenset(d for i, d in enumerate(sorted(moods)) if i % 2 == 0)
    habit = insights.HabitDays("h1", "BJJ at the Gym", START, done, frozenset(moods))
    days = insights.Days(reviews={d: insights.DayReview(mood=m) for d, m in moods.items()}, habits=[habit])
    finding = next(f for f in insights.insights(days).findings if f.question.key == "habit-h1")
    assert finding.sentence.startswith("Days BJJ at the Gym was done are associated with mood")
    assert insights.sentence_start(finding.question.a.label) == "Days BJJ at the Gym was done"


def test_what_is_needed_first_names_what_each_number_counts():
    moods = {START + timedelta(days=i): 6 for i in range(10)}
    days = _days(moods, {START})
    question = insights.insights(days).find("workout-mood")
    assert question.so_far == "So far 1 workout day and 9 rest days"

    # Five weeks of food on 4+ days; a weight trend around seven weeks; three weeks have both.
    calories = {START + timedelta(weeks=w, days=d): 2000.0 + w for w in range(5) for d in range(4)}
    trend_start = START + timedelta(weeks=2) - timedelta(days=1)
    weights = [(trend_start + timedelta(days=n), 80.0 - n / 100) for n in range(7 * 7 + 1)]
    question = insights.calories_question(insights.Days(calories=calories, weights=weights))
    assert not question.enough
    assert question.so_far == ("So far 5 weeks with food logged on at least 4 days, 7 with a weight trend "
                               "around them and 3 with both")
