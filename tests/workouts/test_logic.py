"""Pure rules: Epley, personal records, set summaries, durations, calendars and weeks."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from manifest.workouts import logic
from manifest.workouts.logic import Effort, Lift, Records

weights = st.decimals(min_value=0, max_value=Decimal("4535.92"), places=2)  # 9999.99 lbs in kg, roughly
reps = st.integers(min_value=0, max_value=1000)
lifts = st.builds(Lift, st.one_of(st.none(), weights), st.one_of(st.none(), reps),
                  st.sampled_from(("normal", "warmup", "drop", "failure")))
efforts = st.builds(Effort, st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2)),
                    st.one_of(st.none(), st.integers(min_value=0, max_value=86400)))


def test_epley():
    assert logic.epley(Decimal(100), 1) == 100
    assert logic.epley(Decimal(100), 10) == Decimal(100) * (1 + Decimal(10) / 30)
    assert logic.epley(Decimal(100), 30) == 200
    assert logic.epley(Decimal(100), 0) is None
    assert logic.epley(None, 5) is None


@given(weights, st.integers(min_value=1, max_value=1000))
def test_epley_is_never_below_the_weight_and_grows_with_reps(weight, n):
    assert logic.epley(weight, n) >= weight
    assert logic.epley(weight, n + 1) >= logic.epley(weight, n)


@given(st.lists(lifts, max_size=30), st.lists(efforts, max_size=30))
def test_a_record_is_never_below_any_set(lift_list, effort_list):
    rec = logic.records(lift_list, effort_list)
    for lift in lift_list:
        if lift.weight_kg is not None and lift.reps != 0:
            assert rec.heaviest >= lift.weight_kg
        one = logic.epley(lift.weight_kg, lift.reps)
        if one is not None:
            assert rec.one_rep_max >= one
        vol = logic.volume(lift.weight_kg, lift.reps)
        if vol is not None:
            assert rec.volume >= vol
    for effort in effort_list:
        if effort.meters:
            assert rec.distance >= effort.meters
        pace = logic.pace(effort.seconds, effort.meters)
        if pace is not None:
            assert rec.pace <= pace


@given(st.lists(lifts, min_size=1, max_size=30))
def test_a_record_is_one_of_the_sets(lift_list):
    rec = logic.records(lift_list)
    if rec.one_rep_max is not None:
        assert rec.one_rep_max in {logic.epley(lift.weight_kg, lift.reps) for lift in lift_list}
    if rec.heaviest is not None:
        assert rec.heaviest in {lift.weight_kg for lift in lift_list}


@given(st.lists(lifts, max_size=20), lifts)
def test_a_set_beats_a_record_exactly_when_the_record_grows(history, new):
    before = logic.records(history)
    after = logic.records([*history, new])
    beaten = logic.beaten(before, lift=new)
    for kind in ("heaviest", "one_rep_max", "volume"):
        old, now = getattr(before, kind), getattr(after, kind)
        assert (kind in beaten) == (old is not None and now > old)


def test_the_first_set_sets_the_bar_without_a_badge():
    assert logic.beaten(Records(), lift=Lift(Decimal(100), 5)) == []


def test_pace_record_is_the_lowest_and_distance_the_longest():
    rec = logic.records(efforts=[Effort(Decimal(5000), 1500), Effort(Decimal(10000), 3300), Effort(None, 600)])
    assert rec.distance == 10000
    assert rec.pace == Decimal(300)
    assert logic.beaten(rec, effort=Effort(Decimal(5000), 1400)) == ["pace"]
    assert logic.beaten(rec, effort=Effort(Decimal(12000), 4000)) == ["distance"]


def test_summary_counts_warmups_apart_and_quotes_the_best_working_set():
    sets = [Lift(Decimal(60), 8, "warmup", "w"), Lift(Decimal(100), 5, key="a"), Lift(Decimal(105), 3, key="b"),
            Lift(Decimal(80), 12, "drop", "c")]
    summary = logic.summarise(sets)
    assert (summary.count, summary.warmups) == (4, 1)
    # 80 x 12 -> 112; 100 x 5 -> 116.7; 105 x 3 -> 115.5
    assert summary.best.key == "a"


def test_bodyweight_sets_quote_the_most_reps():
    assert logic.best_lift([Lift(None, 10, key=1), Lift(None, 15, key=2)]).key == 2


@pytest.mark.parametrize(("text", "seconds"), [
    ("45", 2700), ("45:30", 2730), ("1:02:03", 3723), ("0:59", 59), (" 5 ", 300), ("", None),
])
def test_parse_duration(text, seconds):
    assert logic.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["abc", "1:60", "1:00:60", "-5", "1.5", "25:00:00", "99999"])
def test_parse_duration_refuses(text):
    with pytest.raises(ValueError):
        logic.parse_duration(text)


@given(st.integers(min_value=0, max_value=logic.MAX_DURATION_SECONDS))
def test_duration_round_trip(seconds):
    assert logic.parse_duration(logic.format_duration(seconds)) == seconds


def test_month_grid_starts_on_monday_and_marks_workout_days():
    month = logic.month_grid(date(2026, 2, 14), {date(2026, 2, 3): (1, 45), date(2026, 3, 1): (2, 90)}, date(2026, 2, 10))
    assert month.first == date(2026, 2, 1)
    assert all(len(week) == 7 and week[0].day.weekday() == 0 for week in month.weeks)
    days = {c.day: c for week in month.weeks for c in week}
    assert days[date(2026, 2, 3)].workouts == 1 and days[date(2026, 2, 3)].in_month
    assert days[date(2026, 3, 1)].workouts == 2 and not days[date(2026, 3, 1)].in_month
    assert days[date(2026, 2, 10)].is_today
    assert (month.previous, month.next) == (date(2026, 1, 1), date(2026, 3, 1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
       st.dictionaries(st.integers(0, 200), st.tuples(st.integers(0, 5), st.integers(0, 300)), max_size=30))
def test_weekly_totals_keep_everything_in_range(last, offsets):
    days = {last - timedelta(days=o): v for o, v in offsets.items()}
    weeks = logic.weekly(days, last, 12)
    assert len(weeks) == 12 and weeks[-1].start == logic.week_start(last)
    first = weeks[0].start
    inside = [v for d, v in days.items() if first <= d <= last]
    assert sum(w.sessions for w in weeks) == sum(v[0] for v in inside)
    assert sum(w.minutes for w in weeks) == sum(v[1] for v in inside)
