"""The pure goal arithmetic: periods, rollups, pace, streaks of periods and chart geometry."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manifest.goals import logic
from manifest.goals.logic import Node, Period

FAST = settings(max_examples=300, deadline=None)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
kinds = st.sampled_from(logic.PERIOD_KINDS)
D = Decimal


# --- periods ---------------------------------------------------------------------------------


@FAST
@given(kind=kinds, day=days)
def test_a_period_contains_its_day_and_starts_on_the_calendars_boundary(kind, day):
    period = logic.period_of(kind, day)
    assert day in period
    assert period.start <= period.end
    if kind == "daily":
        assert period.days == 1
    elif kind == "weekly":
        assert period.start.weekday() == 0 and period.end.weekday() == 6 and period.days == 7
    elif kind == "monthly":
        assert period.start.day == 1 and period.start.month == period.end.month
        assert (period.end + timedelta(days=1)).day == 1
    else:
        assert (period.start.month, period.start.day, period.end.month, period.end.day) == (1, 1, 12, 31)


@FAST
@given(kind=kinds, day=days)
def test_every_day_of_a_period_maps_to_that_same_period(kind, day):
    period = logic.period_of(kind, day)
    for probe in (period.start, period.end, period.start + timedelta(days=(period.days - 1) // 2)):
        assert logic.period_of(kind, probe) == period


@FAST
@given(kind=kinds, first=days, length=st.integers(0, 800))
def test_periods_between_tile_the_range_without_gaps_or_overlaps(kind, first, length):
    last = min(first + timedelta(days=length), date(2199, 12, 31))
    periods = logic.periods_between(kind, first, last)
    assert periods[0].start <= first <= periods[0].end
    assert periods[-1].start <= last <= periods[-1].end
    for earlier, later in itertools.pairwise(periods):
        assert later.start == earlier.end + timedelta(days=1)
        assert logic.next_period(kind, earlier) == later
        assert logic.previous_period(kind, later) == earlier


def test_periods_between_is_empty_when_the_range_is_backwards():
    assert logic.periods_between("weekly", date(2024, 5, 2), date(2024, 5, 1)) == []


@FAST
@given(year=st.integers(1900, 2199))
def test_february_and_the_year_follow_leap_years(year):
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    assert logic.period_of("monthly", date(year, 2, 10)).end == date(year, 2, 29 if leap else 28)
    assert logic.period_of("yearly", date(year, 6, 1)).days == (366 if leap else 365)


@pytest.mark.parametrize(("day", "monday"), [
    (date(2024, 1, 1), date(2024, 1, 1)),  # a Monday starts its own week
    (date(2024, 1, 7), date(2024, 1, 1)),  # Sunday ends it
    (date(2023, 12, 31), date(2023, 12, 25)),  # a week that crosses the new year
    (date(2025, 1, 1), date(2024, 12, 30)),
])
def test_weeks_start_on_monday(day, monday):
    assert logic.period_of("weekly", day) == Period(monday, monday + timedelta(days=6))


def test_life_goals_have_no_period():
    with pytest.raises(ValueError):
        logic.period_of("life", date(2024, 1, 1))


@FAST
@given(day=days, months=st.integers(0, 36))
def test_adding_months_clamps_to_the_months_end(day, months):
    later = logic.add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == min(day.day, logic.month_end(later.year, later.month).day)


@pytest.mark.parametrize(("kind", "start", "end"), [
    ("daily", date(2024, 3, 15), date(2024, 3, 15)),
    ("weekly", date(2024, 3, 15), date(2024, 3, 21)),
    ("monthly", date(2024, 3, 15), date(2024, 4, 14)),
    ("monthly", date(2024, 1, 31), date(2024, 2, 28)),  # 31 Jan + a month = 29 Feb, less a day
    ("monthly", date(2024, 3, 1), date(2024, 3, 31)),
    ("yearly", date(2024, 2, 29), date(2025, 2, 27)),
    ("yearly", date(2024, 1, 1), date(2024, 12, 31)),
])
def test_a_span_from_a_start_lasts_one_period(kind, start, end):
    assert logic.span_from(kind, start) == Period(start, end)


@pytest.mark.parametrize(("kind", "day", "today", "label"), [
    ("daily", date(2024, 5, 15), date(2024, 5, 15), "Today"),
    ("daily", date(2024, 5, 14), date(2024, 5, 15), "Yesterday"),
    ("daily", date(2024, 5, 10), date(2024, 5, 15), "Fri 10 May 2024"),
    ("weekly", date(2024, 5, 13), date(2024, 5, 15), "This week"),
    ("weekly", date(2024, 5, 8), date(2024, 5, 15), "Last week"),
    ("weekly", date(2024, 4, 30), date(2024, 5, 15), "Week of 29 Apr 2024"),
    ("monthly", date(2024, 5, 2), date(2024, 5, 15), "This month"),
    ("monthly", date(2024, 2, 2), date(2024, 5, 15), "February 2024"),
    ("yearly", date(2023, 2, 2), date(2024, 5, 15), "2023"),
])
def test_period_labels(kind, day, today, label):
    assert logic.period_label(kind, logic.period_of(kind, day), today) == label


def test_amounts_are_summed_per_period_keyed_by_its_first_day():
    totals = logic.bucket_by_period("weekly", [
        (date(2024, 5, 13), D(1)), (date(2024, 5, 19), D("2.5")), (date(2024, 5, 20), D(4)),
    ])
    assert totals == {date(2024, 5, 13): D("3.5"), date(2024, 5, 20): D(4)}


# --- progress and rollups ------------------------------------------------------------------


def test_entries_progress_is_value_over_target_and_may_pass_it():
    progress = logic.rollup([Node("a", value=D(15), target=D(12), unit="books")])["a"]
    assert progress.fraction == pytest.approx(1.25)
    assert (progress.percent, progress.bar, progress.reached, progress.remaining) == (125, 100, True, D(0))


def test_percent_rounds_down_so_an_unfinished_goal_never_shows_100():
    progress = logic.rollup([Node("a", value=D("99.99"), target=D(100))])["a"]
    assert progress.percent == 99 and not progress.reached


def test_no_target_means_no_percentage():
    progress = logic.rollup([Node("a", value=D(3))])["a"]
    assert progress.fraction is None and progress.percent is None and progress.bar == 0 and not progress.reached


def test_milestones_progress_is_the_share_done():
    progress = logic.rollup([Node("a", measure="milestones", milestones_done=3, milestones_total=4)])["a"]
    assert progress.fraction == 0.75 and progress.value == 3 and progress.target == 4
    empty = logic.rollup([Node("b", measure="milestones")])["b"]
    assert empty.fraction is None and not empty.reached


def test_a_source_that_vanished_reads_as_unknown():
    progress = logic.rollup([Node("a", measure="source", value=None, target=D(5))])["a"]
    assert progress.fraction is None and progress.note


def test_children_average_caps_each_child_and_counts_unknown_as_zero():
    nodes = [
        Node("p", measure="children"),
        Node("a", parent_id="p", value=D(30), target=D(10)),  # 300 % counts as 100 %
        Node("b", parent_id="p", value=D(0), target=D(10)),
        Node("c", parent_id="p", value=D(5)),  # no target: 0 %
        Node("d", parent_id="p", value=D(5), target=D(10)),
    ]
    parent = logic.rollup(nodes)["p"]
    assert parent.fraction == pytest.approx((1 + 0 + 0 + 0.5) / 4)
    assert parent.counted == 4 and parent.value is None


def test_children_sum_adds_values_when_every_unit_matches():
    nodes = [
        Node("year", measure="children", rollup="sum", target=D(24), unit="Books"),
        Node("jan", parent_id="year", value=D(2), target=D(2), unit="books"),
        Node("feb", parent_id="year", value=D(3), target=D(2), unit=" books "),
    ]
    year = logic.rollup(nodes)["year"]
    assert (year.value, year.target, year.unit) == (D(5), D(24), "Books")
    assert year.fraction == pytest.approx(5 / 24)


def test_children_sum_falls_back_to_the_average_when_units_differ():
    nodes = [
        Node("p", measure="children", rollup="sum", target=D(10), unit="km"),
        Node("a", parent_id="p", value=D(5), target=D(5), unit="km"),
        Node("b", parent_id="p", value=D(0), target=D(4), unit="hours"),
    ]
    parent = logic.rollup(nodes)["p"]
    assert parent.fraction == pytest.approx(0.5) and parent.value is None and "unit" in parent.note


def test_cancelled_children_do_not_count():
    nodes = [
        Node("p", measure="children"),
        Node("a", parent_id="p", value=D(10), target=D(10)),
        Node("b", parent_id="p", value=D(0), target=D(10), counts=False),
    ]
    assert logic.rollup(nodes)["p"].fraction == 1.0


def test_a_parent_without_children_has_no_percentage():
    progress = logic.rollup([Node("p", measure="children", target=D(3))])["p"]
    assert progress.fraction is None and progress.note


def test_rollups_go_any_depth():
    depth = 400  # deeper than Python's recursion would like
    nodes = [Node(0, measure="children")]
    nodes += [Node(i, parent_id=i - 1, measure="children") for i in range(1, depth)]
    nodes.append(Node(depth, parent_id=depth - 1, value=D(1), target=D(4)))
    result = logic.rollup(nodes)
    assert result[0].fraction == pytest.approx(0.25)


def test_a_loop_in_parents_is_ignored_instead_of_followed_forever():
    nodes = [
        Node("a", parent_id="b", measure="children"),
        Node("b", parent_id="a", measure="children"),
        Node("c", parent_id="a", value=D(1), target=D(2)),
        Node("self", parent_id="self", value=D(1), target=D(1)),
    ]
    result = logic.rollup(nodes)
    assert set(result) == {"a", "b", "c", "self"}
    assert result["self"].fraction == 1.0


@FAST
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 40), st.integers(1, 20)), min_size=1, max_size=30))
def test_an_average_rollup_stays_between_0_and_1(children):
    nodes = [Node("p", measure="children")]
    nodes += [Node(i, parent_id="p", value=D(v), target=D(t)) for i, (_, v, t) in enumerate(children)]
    fraction = logic.rollup(nodes)["p"].fraction
    assert 0 <= fraction <= 1


def test_cycles_are_detected_by_walking_parents():
    parent_of = {"a": None, "b": "a", "c": "b", "d": None}
    assert logic.would_cycle("a", "c", parent_of)  # a would sit under its own grandchild
    assert logic.would_cycle("a", "a", parent_of)
    assert not logic.would_cycle("c", "a", parent_of)
    assert not logic.would_cycle("a", "d", parent_of)
    assert not logic.would_cycle("a", None, parent_of)
    assert logic.descendants("a", parent_of) == {"b", "c"}
    assert logic.ancestors("c", parent_of) == ["b", "a"]


def test_ancestors_stop_at_a_loop():
    assert logic.ancestors("a", {"a": "b", "b": "a"}) == ["b"]


# --- pace and deadlines --------------------------------------------------------------------


@pytest.mark.parametrize(("remaining", "days_left", "expected"), [
    (D(23), 10, logic.Pace(D("2.3"), "day")),
    (D(10), 3, logic.Pace(D("3.4"), "day")),  # rounded up: keeping the pace is enough
    (D(1), 5, logic.Pace(D("0.2"), "day")),  # under two weeks stays per day
    (D(3), 30, logic.Pace(D("0.7"), "week")),
    (D(2), 200, logic.Pace(D("0.31"), "month")),
    (D(0), 10, None),
    (D(5), 0, None),
    (None, 10, None),
])
def test_pace_needed(remaining, days_left, expected):
    assert logic.pace_needed(remaining, days_left) == expected


@FAST
@given(remaining=st.decimals(min_value=D("0.01"), max_value=D(1000000), places=2), left=st.integers(1, 3000))
def test_keeping_the_pace_reaches_the_target_in_time(remaining, left):
    pace = logic.pace_needed(remaining, left)
    per_unit_days = {"day": D(1), "week": D(7), "month": D("30.4375")}[pace.per]
    assert pace.amount * left / per_unit_days >= remaining * D("0.9999")


def test_days_left_counts_today_and_never_goes_negative():
    today = date(2024, 5, 15)
    assert logic.days_left(today, today) == 1
    assert logic.days_left(date(2024, 5, 20), today) == 6
    assert logic.days_left(date(2024, 5, 1), today) == 0


@pytest.mark.parametrize(("end", "reached", "open_", "state"), [
    (date(2024, 5, 14), False, True, "overdue"),
    (date(2024, 5, 15), False, True, "due_soon"),
    (date(2024, 5, 22), False, True, "due_soon"),
    (date(2024, 5, 23), False, True, None),
    (date(2024, 5, 14), True, True, None),
    (date(2024, 5, 14), False, False, None),
    (None, False, True, None),
])
def test_due_state(end, reached, open_, state):
    assert logic.due_state(end, date(2024, 5, 15), reached=reached, open_=open_) == state


def test_projected_finish_extrapolates_the_pace_so_far():
    start, today = date(2024, 5, 1), date(2024, 5, 10)
    assert logic.projected_finish(D(5), D(10), start, today) == date(2024, 5, 20)
    assert logic.projected_finish(D(0), D(10), start, today) is None
    assert logic.projected_finish(D(10), D(10), start, today) is None


# --- recurring periods ---------------------------------------------------------------------


def test_period_results_mark_achieved_missed_and_the_open_period():
    today = date(2024, 5, 15)
    values = {date(2024, 4, 29): D(5), date(2024, 5, 6): D(2), date(2024, 5, 13): D(1)}
    results = logic.period_results("weekly", date(2024, 4, 29), today, today, values, D(3))
    assert [(r.period.start, r.achieved, r.current) for r in results] == [
        (date(2024, 4, 29), True, False), (date(2024, 5, 6), False, False), (date(2024, 5, 13), False, True),
    ]


def _results(pattern: str) -> list[logic.PeriodResult]:
    """'A' achieved, 'm' missed; a trailing '.' or '*' is the open period (not yet / already achieved)."""
    start = date(2024, 1, 1)
    results = []
    for i, mark in enumerate(pattern):
        period = logic.period_of("daily", start + timedelta(days=i))
        results.append(logic.PeriodResult(period, D(0), mark in "A*", mark in ".*"))
    return results


@pytest.mark.parametrize(("pattern", "current", "longest"), [
    ("", 0, 0),
    ("AAmAA.", 2, 2),  # the open period does not break the run
    ("AAmAA*", 3, 3),  # and counts once achieved
    ("AAAmA", 1, 3),
    ("AAAm.", 0, 3),
    ("mmmm*", 1, 1),
])
def test_period_streaks(pattern, current, longest):
    streaks = logic.period_streaks(_results(pattern))
    assert (streaks.current, streaks.longest) == (current, longest)
    assert streaks.achieved == pattern.count("A") + pattern.count("*")
    assert streaks.missed == pattern.count("m")


@FAST
@given(st.text(alphabet="Am", max_size=40), st.sampled_from(["", ".", "*"]))
def test_streaks_never_exceed_the_achieved_periods(pattern, tail):
    streaks = logic.period_streaks(_results(pattern + tail))
    assert 0 <= streaks.current <= streaks.longest <= streaks.achieved


# --- charts --------------------------------------------------------------------------------


def test_cumulative_chart_steps_up_on_each_day_and_marks_the_target():
    chart = logic.cumulative_chart([(date(2024, 1, 3), D(2)), (date(2024, 1, 5), D(2))],
                                   date(2024, 1, 1), date(2024, 1, 11), D(8))
    points = [tuple(map(float, p.split(","))) for p in chart.points.split()]
    assert points[0] == (0, 100) and points[-1][0] == 10
    ys = [y for _, y in points]
    assert ys == sorted(ys, reverse=True)  # never goes down
    assert chart.target_y < points[-1][1]  # the target is above the progress made
    assert chart.ideal == f"0,100 10,{chart.target_y}"


def test_cumulative_chart_needs_something_to_draw():
    assert logic.cumulative_chart([], date(2024, 1, 1), date(2024, 1, 9), D(1)) is None


def test_period_chart_puts_the_latest_period_on_the_right():
    results = _results("AmA")
    chart = logic.period_chart(results, D(1))
    assert chart.width == logic.MIN_BAR_SLOTS * 10
    assert [b.result for b in chart.bars] == results
    assert chart.bars[-1].x + chart.bar_width < chart.width
    assert logic.period_chart([], D(1)) is None
