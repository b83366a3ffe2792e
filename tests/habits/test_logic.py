"""Tests for the pure habit logic (streaks, strength score, rates, trend)."""

from __future__ import annotations

import csv
import itertools
import math
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manifest.habits.logic import (
    Mark,
    Pause,
    Schedule,
    Streaks,
    completion_rate,
    compute_streaks,
    is_success,
    streak_valid_until,
    strength_scores,
    trend,
)

DONE, SKIPPED, MISSED = Mark.DONE, Mark.SKIPPED, Mark.MISSED
DAILY = Schedule("daily")
MWF = Schedule("weekdays", weekdays=frozenset({0, 2, 4}))
TODAY = date(2024, 5, 15)  # a Wednesday
MONDAY = date(2024, 5, 13)  # start of TODAY's ISO week
LOOP_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "loop" / "csv_export"
FAST = settings(max_examples=200, deadline=None)


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def weekly(n: int) -> Schedule:
    return Schedule("weekly", times_per_week=n)


# --- is_success ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [(1, True), (1.0, True), (0, False), (None, False)]
)
def test_is_success_yes_no(value, expected):
    assert (
        is_success(value, numeric=False, target=None, direction="at_least") is expected
    )


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        (5, "at_least", True),
        (7.5, "at_least", True),
        (4.99, "at_least", False),
        (0, "at_least", False),
        (None, "at_least", False),
        (5, "at_most", True),
        (0, "at_most", True),
        (5.01, "at_most", False),
        (None, "at_most", False),  # nothing logged is not a success
    ],
)
def test_is_success_numeric(value, direction, expected):
    assert is_success(value, numeric=True, target=5, direction=direction) is expected


def test_is_success_rejects_bad_numeric_config():
    with pytest.raises(ValueError):
        is_success(3, numeric=True, target=None, direction="at_least")
    with pytest.raises(ValueError):
        is_success(3, numeric=True, target=2, direction="exactly")


# --- Schedule / Pause ----------------------------------------------------------


def test_schedule_frequency_and_scheduled_days():
    assert DAILY.frequency() == (1, 1)
    assert weekly(3).frequency() == (3, 7)
    assert MWF.frequency() == (3, 7)
    assert all(
        DAILY.is_scheduled(d) and weekly(2).is_scheduled(d) for d in days(MONDAY, 7)
    )
    assert [d.weekday() for d in days(MONDAY, 7) if MWF.is_scheduled(d)] == [0, 2, 4]
    # Any iterable of weekdays is accepted and normalised.
    assert Schedule("weekdays", weekdays={4, 0, 2}) == MWF  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "monthly"},
        {"kind": "weekly", "times_per_week": 0},
        {"kind": "weekly", "times_per_week": 8},
        {"kind": "weekdays"},
        {"kind": "weekdays", "weekdays": frozenset({7})},
    ],
)
def test_schedule_validation(kwargs):
    with pytest.raises(ValueError):
        Schedule(**kwargs)


def test_pause_must_not_end_before_start():
    with pytest.raises(ValueError):
        Pause(TODAY, ago(1))


# --- compute_streaks: daily -----------------------------------------------------


def test_no_marks():
    assert compute_streaks(DAILY, {}, TODAY) == Streaks(0, 0, 0)


def test_daily_consecutive_run_including_today():
    marks = {ago(n): DONE for n in range(5)}
    assert compute_streaks(DAILY, marks, TODAY) == Streaks(5, 5, 5)


def test_daily_miss_breaks_and_longest_is_kept():
    marks = {ago(n): DONE for n in (10, 9, 8, 7, 5, 4)}
    marks[ago(6)] = MISSED
    # 3 days ago was left blank: it breaks the run just like MISSED does.
    marks[ago(2)] = DONE
    marks[ago(1)] = DONE
    assert compute_streaks(DAILY, marks, TODAY) == Streaks(2, 4, 8)


def test_daily_today_open_does_not_break():
    marks = {ago(3): DONE, ago(2): DONE, ago(1): DONE}
    assert compute_streaks(DAILY, marks, TODAY).current == 3
    # An explicit MISSED today is still "not yet done": the day is open.
    assert compute_streaks(DAILY, {**marks, TODAY: MISSED}, TODAY).current == 3
    assert compute_streaks(DAILY, {**marks, TODAY: DONE}, TODAY).current == 4
    # ...but an unfinished yesterday does break it.
    assert compute_streaks(DAILY, {ago(3): DONE, ago(2): DONE}, TODAY).current == 0


def test_daily_skip_is_neutral():
    marks = {ago(4): DONE, ago(3): SKIPPED, ago(2): DONE, ago(1): SKIPPED, TODAY: DONE}
    assert compute_streaks(DAILY, marks, TODAY) == Streaks(3, 3, 3)


def test_daily_pause_is_neutral():
    marks = {ago(10): DONE, ago(9): DONE, ago(2): DONE, ago(1): DONE}
    pause = Pause(ago(8), ago(3))
    assert compute_streaks(DAILY, marks, TODAY, [pause]) == Streaks(4, 4, 4)
    assert compute_streaks(DAILY, marks, TODAY) == Streaks(2, 2, 4)


def test_daily_done_on_paused_day_counts_only_in_total():
    marks = {ago(2): DONE, ago(1): DONE}
    pause = Pause(ago(2), ago(2))
    assert compute_streaks(DAILY, marks, TODAY, [pause]) == Streaks(1, 1, 2)


def test_pause_running_into_the_future():
    marks = {ago(3): DONE, ago(2): DONE}
    pause = Pause(ago(1), TODAY + timedelta(days=30))
    assert compute_streaks(DAILY, marks, TODAY, [pause]) == Streaks(2, 2, 2)


def test_future_marks_are_ignored():
    marks = {ago(1): DONE, TODAY + timedelta(1): DONE, TODAY + timedelta(2): DONE}
    assert compute_streaks(DAILY, marks, TODAY) == Streaks(1, 1, 1)


def test_three_years_of_history():
    first = ago(3 * 365)
    marks = {d: DONE for d in days(first, 3 * 365 + 1)}
    marks[ago(500)] = MISSED
    assert compute_streaks(DAILY, marks, TODAY) == Streaks(500, 595, 3 * 365)


# --- compute_streaks: specific weekdays ---------------------------------------------


def test_weekdays_ignores_unscheduled_days():
    # Mon/Wed/Fri of last week and Mon + today of this week; weekends blank.
    marks = {MONDAY - timedelta(days=n): DONE for n in (7, 5, 3)}
    marks[MONDAY] = DONE
    marks[TODAY] = DONE
    assert compute_streaks(MWF, marks, TODAY) == Streaks(5, 5, 5)


def test_weekdays_done_on_unscheduled_day_counts_only_in_total():
    marks = {MONDAY: DONE, MONDAY + timedelta(days=1): DONE, TODAY: DONE}
    assert compute_streaks(MWF, marks, TODAY) == Streaks(2, 2, 3)


def test_weekdays_missed_scheduled_day_breaks():
    marks = {
        MONDAY - timedelta(days=7): DONE,
        MONDAY - timedelta(days=3): DONE,
        MONDAY: DONE,
    }
    # Last week's Wednesday was not done.
    assert compute_streaks(MWF, marks, TODAY) == Streaks(2, 2, 3)


# --- compute_streaks: N times per week ------------------------------------------------


def week_marks(monday: date, done_offsets, mark=DONE):
    return {monday + timedelta(days=i): mark for i in done_offsets}


def test_weekly_counts_successful_weeks_and_current_week_is_open():
    marks = {
        **week_marks(MONDAY - timedelta(days=14), (0, 3, 6)),
        **week_marks(MONDAY - timedelta(days=7), (1, 2, 4, 5)),
        **week_marks(MONDAY, (0,)),
    }
    assert compute_streaks(weekly(3), marks, TODAY) == Streaks(2, 2, 8)
    marks.update(week_marks(MONDAY, (1, 2)))
    assert compute_streaks(weekly(3), marks, TODAY) == Streaks(3, 3, 10)


def test_weekly_short_week_breaks():
    marks = {
        **week_marks(MONDAY - timedelta(days=21), (0, 1, 2)),
        **week_marks(MONDAY - timedelta(days=14), (0, 1)),  # only 2 of 3
        **week_marks(MONDAY - timedelta(days=7), (0, 1, 2)),
    }
    assert compute_streaks(weekly(3), marks, TODAY) == Streaks(1, 1, 8)


def test_weekly_partial_week_requires_only_available_days():
    prev = MONDAY - timedelta(days=7)
    marks = {**week_marks(prev, (4, 5)), **week_marks(prev, (6,), SKIPPED)}
    marks.update(week_marks(MONDAY - timedelta(days=14), (0, 2, 4)))
    # Paused Mon-Thu and skipped Sunday: 2 available days, so 2 done is enough.
    pause = Pause(prev, prev + timedelta(days=3))
    assert compute_streaks(weekly(3), marks, TODAY, [pause]) == Streaks(2, 2, 5)
    # Without the pause the same week falls short.
    assert compute_streaks(weekly(3), marks, TODAY) == Streaks(0, 1, 5)


def test_weekly_fully_paused_or_skipped_week_is_neutral():
    marks = {
        **week_marks(MONDAY - timedelta(days=21), (0, 1)),
        **week_marks(MONDAY - timedelta(days=14), range(7), SKIPPED),
        **week_marks(MONDAY - timedelta(days=7), (5, 6)),
    }
    assert compute_streaks(weekly(2), marks, TODAY) == Streaks(2, 2, 4)
    # A fully paused week is neutral too, even with DONE marks inside it.
    marks.update(week_marks(MONDAY - timedelta(days=14), (0, 1)))
    pause = Pause(MONDAY - timedelta(days=14), MONDAY - timedelta(days=8))
    assert compute_streaks(weekly(2), marks, TODAY, [pause]) == Streaks(2, 2, 6)


def test_weekly_future_days_of_current_week():
    marks = week_marks(MONDAY, (0, 1, 2, 3, 4, 5))  # Thu-Sat are after today
    assert compute_streaks(weekly(5), marks, TODAY) == Streaks(0, 0, 3)
    # A planned pause for the rest of the week leaves 3 available days: met.
    pause = Pause(TODAY + timedelta(days=1), TODAY + timedelta(days=10))
    assert compute_streaks(weekly(5), marks, TODAY, [pause]) == Streaks(1, 1, 3)


# --- compute_streaks: property tests against a brute-force reference -------------------


def reference_streaks(schedule, marks, today, pauses) -> Streaks:
    """Slow, literal reading of the product rules, for comparison."""

    def paused(day):
        return any(p.start <= day <= p.end for p in pauses)

    def mark(day):
        return marks.get(day) if day <= today else None

    start = today - timedelta(days=130)  # before every generated mark
    states = []  # "S" success, "F" failure, "N" neutral, oldest first
    if schedule.kind == "weekly":
        monday = start - timedelta(days=start.weekday())
        while monday <= today:
            week = days(monday, 7)
            available = [d for d in week if not paused(d) and mark(d) is not SKIPPED]
            required = min(schedule.times_per_week, len(available))
            done = len([d for d in available if mark(d) is DONE])
            if required == 0:
                states.append("N")
            elif done >= required:
                states.append("S")
            else:
                states.append("N" if today in week else "F")
            monday += timedelta(days=7)
    else:
        for day in days(start, (today - start).days + 1):
            if not schedule.is_scheduled(day) or paused(day) or mark(day) is SKIPPED:
                states.append("N")
            elif mark(day) is DONE:
                states.append("S")
            else:
                states.append("N" if day == today else "F")

    longest = 0
    for i in range(len(states)):  # every run starting at i
        count = 0
        for state in states[i:]:
            if state == "F":
                break
            count += state == "S"
            longest = max(longest, count)
    current = 0
    for state in reversed(states):
        if state == "F":
            break
        current += state == "S"
    total = len([d for d, m in marks.items() if m is DONE and d <= today])
    return Streaks(current, longest, total)


schedules = st.one_of(
    st.just(DAILY),
    st.integers(1, 7).map(weekly),
    st.frozensets(st.integers(0, 6), min_size=1).map(
        lambda w: Schedule("weekdays", weekdays=w)
    ),
)
todays = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
mark_offsets = st.dictionaries(
    st.integers(-119, 5), st.sampled_from([DONE, DONE, SKIPPED, MISSED]), max_size=125
)
pause_specs = st.lists(st.tuples(st.integers(-125, 10), st.integers(0, 20)), max_size=3)


def build(today, offsets, pause_list):
    marks = {today + timedelta(days=k): v for k, v in offsets.items()}
    pauses = [
        Pause(today + timedelta(days=s), today + timedelta(days=s + n))
        for s, n in pause_list
    ]
    return marks, pauses


@FAST
@given(schedules, todays, mark_offsets, pause_specs)
def test_streaks_match_reference(schedule, today, offsets, pause_list):
    marks, pauses = build(today, offsets, pause_list)
    result = compute_streaks(schedule, marks, today, pauses)
    assert result == reference_streaks(schedule, marks, today, pauses)
    assert result.longest >= result.current >= 0
    assert result.total_completions == sum(
        1 for d, m in marks.items() if m is DONE and d <= today
    )


@FAST
@given(schedules, todays, mark_offsets, pause_specs, st.integers(-119, 0))
def test_adding_a_done_mark_never_lowers_streaks(
    schedule, today, offsets, pause_list, k
):
    # True for every schedule kind: DONE turns a failure or neutral day into a
    # success; for weekly it raises done and at most raises required by one.
    marks, pauses = build(today, offsets, pause_list)
    before = compute_streaks(schedule, marks, today, pauses)
    day = today + timedelta(days=k)
    after = compute_streaks(schedule, {**marks, day: DONE}, today, pauses)
    assert after.current >= before.current
    assert after.longest >= before.longest
    expected_total = before.total_completions + (marks.get(day) is not DONE)
    assert after.total_completions == expected_total


@FAST
@given(schedules, todays, mark_offsets)
def test_everything_paused_means_no_streak(schedule, today, offsets):
    marks, _ = build(today, offsets, [])
    result = compute_streaks(
        schedule, marks, today, [Pause(today - timedelta(400), today)]
    )
    assert (result.current, result.longest) == (0, 0)


# --- strength_scores -----------------------------------------------------------------

LOOP_CELLS = {"YES_MANUAL": DONE, "SKIP": SKIPPED, "NO": MISSED}
# YES_AUTO (Loop's own fill-in) and UNKNOWN are not check-ins: left out.


def read_loop_csv(path: Path, column: str) -> dict[date, str]:
    with path.open(newline="") as f:
        return {
            date.fromisoformat(row["Date"]): row[column] for row in csv.DictReader(f)
        }


def loop_case(checkmarks: Path, scores: Path, mark_column: str, score_column: str):
    cells = read_loop_csv(checkmarks, mark_column)
    marks = {d: LOOP_CELLS[c] for d, c in cells.items() if c in LOOP_CELLS}
    expected = {d: float(s) for d, s in read_loop_csv(scores, score_column).items()}
    return cells, marks, expected


LOOP_CASES = [
    pytest.param(
        LOOP_DIR / "Checkmarks.csv",
        LOOP_DIR / "Scores.csv",
        "Wake up early",
        "Wake up early",
        (2, 3),
        id="wake-up-early",
    ),
    pytest.param(
        LOOP_DIR / "002 Wake up early" / "Checkmarks.csv",
        LOOP_DIR / "002 Wake up early" / "Scores.csv",
        "Value",
        "Score",
        (2, 3),
        id="wake-up-early-per-habit",
    ),
    pytest.param(
        LOOP_DIR / "Checkmarks.csv",
        LOOP_DIR / "Scores.csv",
        "Meditate",
        "Meditate",
        (1, 1),
        id="meditate",
    ),
]


@pytest.mark.parametrize(
    ("checkmarks", "scores", "mcol", "scol", "frequency"), LOOP_CASES
)
def test_strength_matches_loop_export(checkmarks, scores, mcol, scol, frequency):
    cells, marks, expected = loop_case(checkmarks, scores, mcol, scol)
    assert len(expected) == len(cells) == 10
    # Loop scores from the habit's first entry: the oldest exported date.
    # Starting earlier gives the same numbers (empty days keep S at 0), so
    # the fixture pins the window/doubling logic, not the start date.
    for start in (min(cells), min(cells) - timedelta(days=20)):
        result = dict(
            strength_scores(
                marks,
                frequency=frequency,
                numeric=False,
                target=None,
                direction="at_least",
                start=start,
                end=max(cells),
            )
        )
        for day, score in expected.items():
            assert result[day] == pytest.approx(score, abs=1e-4), day


def test_loop_export_rejects_counting_yes_auto():
    # The fixture only matches if Loop's automatic fill-ins are not check-ins.
    cells, _, expected = loop_case(
        LOOP_DIR / "Checkmarks.csv",
        LOOP_DIR / "Scores.csv",
        "Wake up early",
        "Wake up early",
    )
    marks = {d: DONE for d, c in cells.items() if c.startswith("YES")}
    result = dict(
        strength_scores(
            marks,
            frequency=(2, 3),
            numeric=False,
            target=None,
            direction="at_least",
            start=min(cells),
            end=max(cells),
        )
    )
    assert any(abs(result[d] - s) > 1e-3 for d, s in expected.items())


def test_meditate_per_habit_export_is_zero():
    expected = read_loop_csv(LOOP_DIR / "001 Meditate" / "Scores.csv", "Score")
    assert read_loop_csv(LOOP_DIR / "001 Meditate" / "Checkmarks.csv", "Value") == {}
    day = date(2015, 1, 25)
    scores = strength_scores(
        {},
        frequency=(1, 1),
        numeric=False,
        target=None,
        direction="at_least",
        start=date(2015, 1, 16),
        end=day,
    )
    assert scores[-1] == (day, pytest.approx(float(expected[day]), abs=1e-4))


def daily_scores(entries, *, numeric=False, target=None, direction="at_least", n=60):
    return strength_scores(
        entries,
        frequency=(1, 1),
        numeric=numeric,
        target=target,
        direction=direction,
        start=TODAY,
        end=TODAY + timedelta(days=n - 1),
    )


def test_all_done_daily_score_follows_closed_form_and_rises():
    m = 0.5 ** (1 / 13)
    scores = [s for _, s in daily_scores({d: DONE for d in days(TODAY, 400)}, n=400)]
    for n, score in enumerate(scores, start=1):
        assert score == pytest.approx(1 - m**n, abs=1e-12)
    assert all(a < b for a, b in itertools.pairwise(scores[:101]))
    assert all(a <= b <= 1 for a, b in itertools.pairwise(scores))


def test_one_entry_per_day_inclusive():
    scores = daily_scores({}, n=5)
    assert [d for d, _ in scores] == days(TODAY, 5)
    assert (
        strength_scores(
            {},
            frequency=(1, 1),
            numeric=False,
            target=None,
            direction="at_least",
            start=TODAY,
            end=ago(1),
        )
        == []
    )


def test_skipped_day_keeps_score():
    entries = {TODAY: DONE, TODAY + timedelta(1): DONE, TODAY + timedelta(2): SKIPPED}
    scores = [s for _, s in daily_scores(entries, n=4)]
    assert scores[2] == scores[1] > 0
    assert scores[3] < scores[2]


def test_entries_outside_range_are_ignored():
    with_outside = {ago(1): DONE, TODAY + timedelta(days=100): DONE}
    assert daily_scores(with_outside, n=10) == daily_scores({}, n=10)


def test_numeric_at_least_meeting_target_equals_yes_no():
    values = {d: 12.0 for d in days(TODAY, 30)}
    marks = {d: DONE for d in days(TODAY, 30)}
    assert daily_scores(values, numeric=True, target=10) == daily_scores(marks)


def test_numeric_at_least_partial_credit():
    m = 0.5 ** (1 / 13)
    scores = daily_scores(
        {TODAY: 5.0, TODAY + timedelta(1): -3.0}, numeric=True, target=10, n=2
    )
    assert scores[0][1] == pytest.approx(0.5 * (1 - m))
    # Negative values count as zero, and so does MISSED.
    assert scores[1][1] == pytest.approx(scores[0][1] * m)
    missed = daily_scores({TODAY: MISSED}, numeric=True, target=10, n=2)
    assert missed == daily_scores({TODAY: 0.0}, numeric=True, target=10, n=2)


def test_numeric_at_most():
    kwargs = {"numeric": True, "target": 4, "direction": "at_most", "n": 3}
    assert [s for _, s in daily_scores({}, **kwargs)] == pytest.approx([1.0] * 3)
    m = 0.5 ** (1 / 13)
    scores = daily_scores({TODAY: 6.0, TODAY + timedelta(1): 8.0}, **kwargs)
    assert scores[0][1] == pytest.approx(m + 0.5 * (1 - m))  # 50% over: c = 0.5
    assert scores[1][1] == pytest.approx(scores[0][1] * m)  # 100% over: c = 0


def test_numeric_zero_targets():
    assert daily_scores({TODAY: 0.0}, numeric=True, target=0, n=1)[0][1] > 0
    at_most = {"numeric": True, "target": 0, "direction": "at_most", "n": 2}
    scores = daily_scores({TODAY: 1.0}, **at_most)
    assert scores[0][1] < 1.0
    assert daily_scores({}, **at_most)[1][1] == pytest.approx(1.0)


def test_numeric_windows_are_not_doubled():
    m = 0.5 ** (math.sqrt(2 / 3) / 13)
    scores = strength_scores(
        {TODAY: 10.0},
        frequency=(2, 3),
        numeric=True,
        target=10,
        direction="at_least",
        start=TODAY,
        end=TODAY + timedelta(days=3),
    )
    # The value stays in the 3-day window on days 0..2 and leaves on day 3.
    expected, s = [], 0.0
    for c in (1, 1, 1, 0):
        s = s * m + c * (1 - m)
        expected.append(s)
    assert [x for _, x in scores] == pytest.approx(expected)


def test_strength_rejects_bad_input():
    with pytest.raises(ValueError):
        daily_scores({}, numeric=True, target=None)
    with pytest.raises(ValueError):
        daily_scores({TODAY: DONE}, numeric=True, target=3)
    with pytest.raises(TypeError):
        daily_scores({TODAY: 1.0})
    with pytest.raises(ValueError):
        strength_scores(
            {},
            frequency=(3, 2),
            numeric=False,
            target=None,
            direction="at_least",
            start=TODAY,
            end=TODAY,
        )


def loop_reference(entries, *, numerator, denominator, numeric, at_most, target):
    """Line-by-line transliteration of Loop's ScoreList.recompute (Kotlin).

    ``entries`` is oldest first; None stands for SKIP. Like Loop, it walks an
    array stored newest first. (Loop's numeric SKIP sentinel adds 0.003 to the
    rolling sum; this reference, like the module, adds nothing.)
    """
    freq = numerator / denominator
    values = list(reversed(entries))
    if not numeric and freq < 1.0:
        numerator *= 2
        denominator *= 2

    def amount(v):
        if v is None:
            return 0.0
        return max(0.0, v) if numeric else float(v is DONE)

    previous = 1.0 if numeric and at_most else 0.0
    rolling = 0.0
    out = []
    for i in range(len(values)):
        offset = len(values) - i - 1
        rolling += amount(values[offset])
        if offset + denominator < len(values):
            rolling -= amount(values[offset + denominator])
        if values[offset] is not None:
            if not numeric:
                pc = min(1.0, rolling / numerator)
            elif not at_most:
                pc = min(1.0, rolling / target) if target > 0 else 1.0
            elif target > 0:
                pc = min(1.0, max(0.0, 1 - (rolling - target) / target))
            else:
                pc = 0.0 if rolling > 0 else 1.0
            multiplier = 0.5 ** (math.sqrt(freq) / 13.0)
            previous = previous * multiplier + pc * (1 - multiplier)
        out.append(previous)
    return out


frequencies = st.integers(1, 7).flatmap(
    lambda d: st.tuples(st.integers(1, d), st.just(d))
)
# Quarter steps are exact in binary, so Loop's add/subtract rolling sum is exact too.
quarters = st.integers(-4, 60).map(lambda q: q / 4)


@FAST
@given(
    frequencies,
    st.booleans(),
    st.sampled_from(["at_least", "at_most"]),
    st.integers(0, 40).map(lambda q: q / 4),
    st.lists(
        st.one_of(st.none(), st.sampled_from([DONE, MISSED]), quarters), max_size=120
    ),
)
def test_strength_matches_loop_reference_and_stays_in_unit_range(
    frequency, numeric, direction, target, raw
):
    def fit(v):  # make each generated entry valid for the habit type
        if v is None:
            return SKIPPED
        if numeric:
            return 0.0 if v is MISSED else (3.0 if v is DONE else v)
        return v if isinstance(v, Mark) else (DONE if v > 0 else MISSED)

    entries = [fit(v) for v in raw]
    mapping = dict(zip(days(TODAY, len(entries)), entries))
    result = strength_scores(
        mapping,
        frequency=frequency,
        numeric=numeric,
        target=target,
        direction=direction,
        start=TODAY,
        end=TODAY + timedelta(days=len(entries) - 1),
    )
    expected = loop_reference(
        [None if e is SKIPPED else e for e in entries],
        numerator=frequency[0],
        denominator=frequency[1],
        numeric=numeric,
        at_most=numeric and direction == "at_most",
        target=target,
    )
    assert [s for _, s in result] == pytest.approx(expected, abs=1e-9)
    assert all(0.0 <= s <= 1.0 for _, s in result)


# --- completion_rate -------------------------------------------------------------------


def test_completion_rate_daily():
    marks = {ago(n): DONE for n in (9, 8, 7, 5, 4, 1)}
    marks[ago(6)] = SKIPPED
    pause = Pause(ago(3), ago(2))
    # Due: days 9,8,7,5,4,1 and 0 (today, open) -> 6 occasions, all met.
    assert completion_rate(DAILY, marks, TODAY, 10, [pause]) == 1.0
    # Without the pause days 3 and 2 are missed: 6 of 8.
    assert completion_rate(DAILY, marks, TODAY, 10) == 0.75
    # Only the last 2 days: yesterday done, today open.
    assert completion_rate(DAILY, marks, TODAY, 2) == 1.0
    assert completion_rate(DAILY, {**marks, TODAY: DONE}, TODAY, 2) == 1.0


def test_completion_rate_none_when_nothing_due():
    assert completion_rate(DAILY, {}, TODAY, 1) is None  # only today, still open
    assert completion_rate(DAILY, {}, TODAY, 30, [Pause(ago(40), TODAY)]) is None
    assert completion_rate(DAILY, {}, TODAY, 5) == 0.0
    with pytest.raises(ValueError):
        completion_rate(DAILY, {}, TODAY, 0)


def test_completion_rate_weekdays():
    # Last 7 days (Thu..Wed) contain Fri, Mon, Wed(today) for MWF.
    marks = {ago(5): DONE, MONDAY + timedelta(days=1): DONE}
    assert completion_rate(MWF, marks, TODAY, 7) == 0.5  # Fri met, Mon missed
    assert completion_rate(MWF, {**marks, TODAY: DONE}, TODAY, 7) == pytest.approx(
        2 / 3
    )


def test_completion_rate_weekly_uses_whole_weeks():
    prev = MONDAY - timedelta(days=7)
    marks = {**week_marks(prev, (0, 6)), **week_marks(MONDAY, (0,))}
    # 3 days (Mon..Wed) only reach this week, which is open and not yet met.
    assert completion_rate(weekly(3), marks, TODAY, 3) is None
    # 10 days reach into last week: 2 of 3 met; the open current week is left out.
    assert completion_rate(weekly(3), marks, TODAY, 10) == pytest.approx(2 / 3)
    marks.update(week_marks(MONDAY, (1, 2)))
    assert completion_rate(weekly(3), marks, TODAY, 10) == pytest.approx(5 / 6)
    # Extra completions in a week do not earn more than the week's due.
    marks.update(week_marks(prev, range(7)))
    assert completion_rate(weekly(3), marks, TODAY, 10) == 1.0


# --- trend ---------------------------------------------------------------------------


def series(values, first=TODAY):
    return list(zip(days(first, len(values)), values))


def test_trend():
    assert trend(series([0.2] * 30 + [0.3])) == "improving"
    assert trend(series([0.5] * 30 + [0.4])) == "declining"
    assert trend(series([0.5] * 30 + [0.53])) == "stable"
    assert trend(series([0.5] * 10 + [0.9]), window=10) == "improving"


def test_trend_with_little_or_gappy_history():
    assert trend([]) == "stable"
    assert trend(series([0.0] * 30 + [1.0])[1:]) == "stable"  # only 29 days back
    # Only the latest score and one 40 days earlier: that one is used.
    assert trend([(ago(40), 0.1), (TODAY, 0.5)]) == "improving"
    # Order does not matter.
    assert trend([(TODAY, 0.1), (ago(30), 0.5)]) == "declining"


# --- streak_valid_until: the cached current streak expires exactly when time alone breaks it.


@settings(max_examples=300, deadline=None)
@given(schedule=schedules, today=todays, offsets=mark_offsets, pause_list=pause_specs)
def test_streak_valid_until_matches_recomputing_later(schedule, today, offsets, pause_list):
    marks, pauses = build(today, offsets, pause_list)
    marks = {d: m for d, m in marks.items() if d <= today}  # nothing recorded after today
    now = compute_streaks(schedule, marks, today, pauses)
    until = streak_valid_until(schedule, marks, today, pauses)
    for later in range(45):
        day = today + timedelta(days=later)
        current = compute_streaks(schedule, marks, day, pauses).current
        if until is None or day <= until:
            assert current == now.current, (day, until)
        else:
            assert current == 0, (day, until)
