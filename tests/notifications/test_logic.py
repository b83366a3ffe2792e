"""Reminder scheduling as pure functions: schedules, pauses, skips, done days, quiet hours, DST, the
far ends of the world's time zones; and the property that any way of cutting time into runs finds
each reminder exactly once."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from manifest.habits.logic import Pause, Schedule
from manifest.notifications.logic import (
    GoalPlan,
    HabitPlan,
    Settings,
    due_reminders,
    hours_left,
    in_quiet_hours,
    is_late,
    local_instant,
)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def due(settings=None, habits=(), goals=(), reviewed=frozenset(), *, since, now):
    # Without settings: the defaults less the Monday summary, which has a test of its own.
    return due_reminders(settings or Settings(digest=False), list(habits), list(goals), reviewed, since, now)


def every_minute(settings, habits, goals, start: datetime, end: datetime):
    """What a job running every minute from start to end finds, run by run."""
    found, moment = [], start
    while moment < end:
        found += due(settings, habits, goals, since=moment, now=moment + timedelta(minutes=1))
        moment += timedelta(minutes=1)
    return found


MEDITATE = HabitPlan("meditate", time(7, 0))


def test_a_daily_habit_reminds_at_its_local_time_once_a_day():
    found = every_minute(Settings(timezone="Europe/Berlin"), [MEDITATE], [], utc(2026, 12, 4, 0), utc(2026, 12, 7, 0))
    assert [(r.at, r.key) for r in found] == [
        (utc(2026, 12, 4, 6), "habit:meditate:2026-12-04"),
        (utc(2026, 12, 5, 6), "habit:meditate:2026-12-05"),
        (utc(2026, 12, 6, 6), "habit:meditate:2026-12-06"),
    ]


def test_done_skipped_paused_and_unscheduled_days_send_nothing():
    habit = HabitPlan("h", time(7, 0), Schedule("weekdays", weekdays=frozenset({0, 1, 2, 3, 4})),
                      pauses=(Pause(date(2026, 12, 3), date(2026, 12, 3)),),
                      closed=frozenset({date(2026, 12, 1), date(2026, 12, 2)}))
    found = due(habits=[habit], since=utc(2026, 11, 30, 0), now=utc(2026, 12, 7, 0))
    # Mon 30 Nov due; 1 and 2 Dec done or skipped; 3 Dec paused; 4 Dec due; the weekend unscheduled.
    assert [r.day for r in found] == [date(2026, 11, 30), date(2026, 12, 4)]


def test_a_weekly_habit_stops_reminding_once_the_week_is_met():
    habit = HabitPlan("w", time(9, 0), Schedule("weekly", times_per_week=2),
                      closed=frozenset({date(2026, 11, 30), date(2026, 12, 1)}),
                      week_done={date(2026, 11, 30): 2, date(2026, 12, 7): 1})
    found = due(habits=[habit], since=utc(2026, 11, 30, 0), now=utc(2026, 12, 9, 0))
    assert [r.day for r in found] == [date(2026, 12, 7), date(2026, 12, 8)]


def test_turned_off_habit_reminders_send_nothing():
    assert due(Settings(habits=False), [MEDITATE], since=utc(2026, 12, 5, 0), now=utc(2026, 12, 6, 0)) == []


def test_spring_forward_in_berlin_a_0230_reminder_fires_once_at_0330_summer_time():
    zone = Settings(timezone="Europe/Berlin")
    habit = HabitPlan("h", time(2, 30))
    found = every_minute(zone, [habit], [], utc(2026, 3, 28, 22), utc(2026, 3, 29, 22))
    assert [(r.at, r.day) for r in found] == [(utc(2026, 3, 29, 1, 30), date(2026, 3, 29))]
    assert found[0].at.astimezone(ZoneInfo("Europe/Berlin")).time() == time(3, 30)


def test_fall_back_in_berlin_a_0230_reminder_fires_once_at_its_first_occurrence():
    found = every_minute(Settings(timezone="Europe/Berlin"), [HabitPlan("h", time(2, 30))], [],
                         utc(2026, 10, 24, 22), utc(2026, 10, 25, 23))
    assert [r.at for r in found] == [utc(2026, 10, 25, 0, 30)]


def test_new_york_dst_changes_fire_once_each():
    zone = Settings(timezone="America/New_York")
    spring = every_minute(zone, [HabitPlan("h", time(2, 30))], [], utc(2026, 3, 8, 5), utc(2026, 3, 9, 5))
    assert [r.at for r in spring] == [utc(2026, 3, 8, 7, 30)]  # 03:30 EDT
    fall = every_minute(zone, [HabitPlan("h", time(1, 30))], [], utc(2026, 11, 1, 4), utc(2026, 11, 2, 5))
    assert [r.at for r in fall] == [utc(2026, 11, 1, 5, 30)]  # 01:30 EDT, not again at 01:30 EST


def test_utc_plus_14_reminds_on_its_own_calendar_day():
    # Saturday 5 Dec 07:00 in Kiritimati is Friday 4 Dec 17:00 UTC.
    habit = HabitPlan("h", time(7, 0), Schedule("weekdays", weekdays=frozenset({5})))
    found = due(Settings(timezone="Pacific/Kiritimati"), [habit], since=utc(2026, 12, 3, 0), now=utc(2026, 12, 6, 0))
    assert [(r.at, r.key) for r in found] == [(utc(2026, 12, 4, 17), "habit:h:2026-12-05")]


def test_utc_minus_12_reminds_on_its_own_calendar_day():
    habit = HabitPlan("h", time(7, 0), Schedule("weekdays", weekdays=frozenset({5})))
    found = due(Settings(timezone="Etc/GMT+12"), [habit], since=utc(2026, 12, 3, 0), now=utc(2026, 12, 7, 0))
    assert [(r.at, r.key) for r in found] == [(utc(2026, 12, 5, 19), "habit:h:2026-12-05")]


def test_quiet_hours_move_a_reminder_to_their_end_or_drop_it_past_midnight():
    quiet = Settings(quiet_start=time(22, 0), quiet_end=time(7, 30), review_time=time(23, 0), digest=False)
    found = due(quiet, [MEDITATE], since=utc(2026, 12, 5, 0), now=utc(2026, 12, 6, 0))
    assert [(r.kind, r.at) for r in found] == [("habit", utc(2026, 12, 5, 7, 30))]
    evening = Settings(quiet_start=time(21, 0), quiet_end=time(23, 0), review_time=time(21, 30), digest=False)
    found = due(evening, since=utc(2026, 12, 5, 0), now=utc(2026, 12, 6, 0))
    assert [(r.kind, r.at) for r in found] == [("review", utc(2026, 12, 5, 23, 0))]


def test_the_review_reminder_only_when_picked_and_not_done():
    evening = Settings(timezone="Europe/Berlin", review_time=time(21, 30))
    assert due(since=utc(2026, 12, 5, 0), now=utc(2026, 12, 6, 0)) == []
    found = due(evening, since=utc(2026, 12, 5, 0), now=utc(2026, 12, 7, 0), reviewed=frozenset({date(2026, 12, 6)}))
    assert [(r.at, r.key) for r in found] == [(utc(2026, 12, 5, 20, 30), "review:2026-12-05")]


def test_a_goal_is_reminded_hours_before_its_deadline_ends_unless_reached():
    goal = GoalPlan("g", date(2026, 12, 10))
    found = due(Settings(timezone="Europe/Berlin", goal_hours=6, digest=False), goals=[goal],
                since=utc(2026, 12, 1), now=utc(2026, 12, 12))
    # The deadline ends at midnight after 10 Dec, Berlin time: 6 hours before is 18:00 local.
    assert [(r.at, r.key) for r in found] == [(utc(2026, 12, 10, 17), "goal:g:2026-12-10")]
    assert due(goals=[GoalPlan("g", date(2026, 12, 10), open=False)], since=utc(2026, 12, 1), now=utc(2026, 12, 12)) == []


def test_a_recurring_goal_asked_for_earlier_than_its_period_is_long_is_reminded_as_the_period_opens():
    berlin = Settings(timezone="Europe/Berlin", goal_hours=48, digest=False)
    daily = GoalPlan("g", date(2026, 12, 10), recurring=True, opens=date(2026, 12, 10))
    [found] = due(berlin, goals=[daily], since=utc(2026, 12, 9, 12), now=utc(2026, 12, 11))
    assert (found.at, found.key) == (utc(2026, 12, 9, 23), "goal:g:2026-12-10")  # Berlin midnight
    assert hours_left(found, ZoneInfo("Europe/Berlin")) == 24
    # A period longer than the ask keeps the ask.
    weekly = GoalPlan("w", date(2026, 12, 13), recurring=True, opens=date(2026, 12, 7))
    [found] = due(berlin, goals=[weekly], since=utc(2026, 12, 7), now=utc(2026, 12, 14))
    assert found.at == utc(2026, 12, 11, 23) and hours_left(found, ZoneInfo("Europe/Berlin")) == 48


def test_the_weekly_summary_comes_on_monday_morning_local_time():
    found = due(Settings(timezone="America/New_York", review=False), since=utc(2026, 12, 1), now=utc(2026, 12, 15))
    assert [(r.at, r.key) for r in found] == [(utc(2026, 12, 7, 13), "digest:2026-12-07"),
                                              (utc(2026, 12, 14, 13), "digest:2026-12-14")]
    assert due(Settings(digest=False), since=utc(2026, 11, 30), now=utc(2026, 12, 15)) == []


def test_late_means_past_the_grace_window():
    reminder = due(habits=[MEDITATE], since=utc(2026, 12, 5), now=utc(2026, 12, 5, 12))[0]
    grace = timedelta(hours=2)
    assert not is_late(reminder, utc(2026, 12, 5, 9), grace)
    assert is_late(reminder, utc(2026, 12, 5, 9, 1), grace)


# --- properties ---------------------------------------------------------------------------------

ZONES = ["Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Australia/Lord_Howe",
         "Asia/Kathmandu", "UTC"]
# Days around both DST changes of 2026 in Europe and North America, and an ordinary one.
STARTS = [utc(2026, 3, 7), utc(2026, 3, 27), utc(2026, 10, 24), utc(2026, 10, 31), utc(2026, 6, 1)]
times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 1, 15, 30, 59]))
windows = st.lists(st.integers(1, 600), min_size=1, max_size=40)  # run lengths in minutes


@st.composite
def plans(draw):
    quiet = draw(st.one_of(st.none(), st.tuples(times, times)))
    settings_ = Settings(
        timezone=draw(st.sampled_from(ZONES)), review_time=draw(st.one_of(st.none(), times)),
        goal_hours=draw(st.integers(1, 72)),
        quiet_start=quiet[0] if quiet else None, quiet_end=quiet[1] if quiet else None,
    )
    start = draw(st.sampled_from(STARTS))
    habits = [HabitPlan(f"h{i}", draw(times), closed=frozenset(
        start.date() + timedelta(days=d) for d in draw(st.sets(st.integers(0, 4), max_size=3))
    )) for i in range(draw(st.integers(0, 3)))]
    goals = [GoalPlan(f"g{i}", start.date() + timedelta(days=draw(st.integers(0, 4))), recurring=bool(i % 2))
             for i in range(draw(st.integers(0, 2)))]
    return settings_, habits, goals, start


@settings(max_examples=150, deadline=None)
@given(plans(), windows)
def test_any_cutting_of_time_into_runs_finds_each_reminder_exactly_once(plan, cuts):
    settings_, habits, goals, start = plan
    end = start + timedelta(days=4)
    whole = due(settings_, habits, goals, since=start, now=end)
    pieces, moment = [], start
    for minutes in cuts:
        if moment >= end:
            break
        later = min(moment + timedelta(minutes=minutes), end)
        found = due(settings_, habits, goals, since=moment, now=later)
        assert all(moment < r.at <= later for r in found)
        pieces += found
        moment = later
    if moment < end:
        pieces += due(settings_, habits, goals, since=moment, now=end)
    assert sorted(pieces) == whole
    assert len({r.key for r in whole}) == len(whole)


@settings(max_examples=150, deadline=None)
@given(plans())
def test_nothing_is_sent_inside_quiet_hours_or_on_a_closed_day(plan):
    settings_, habits, goals, start = plan
    zone = ZoneInfo(settings_.timezone)
    for reminder in due(settings_, habits, goals, since=start, now=start + timedelta(days=4)):
        local = reminder.at.astimezone(zone)
        assert not in_quiet_hours(local.time().replace(tzinfo=None), settings_.quiet_start, settings_.quiet_end)
        assert local.date() == reminder.day
        if reminder.kind == "habit":
            assert reminder.day not in reminder.ref.closed


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(ZONES), times, st.sampled_from(STARTS))
def test_a_daily_reminder_fires_on_every_local_day_once(zone_name, at, start):
    zone = ZoneInfo(zone_name)
    found = due(Settings(timezone=zone_name, digest=False), [HabitPlan("h", at)], since=start, now=start + timedelta(days=5))
    days = [r.day for r in found]
    assert len(days) == len(set(days))
    first, last = start.astimezone(zone).date() + timedelta(days=1), (start + timedelta(days=5)).astimezone(zone).date()
    assert {first + timedelta(days=n) for n in range((last - first).days)} <= set(days)
    for reminder in found:
        assert reminder.at == local_instant(reminder.day, at, zone)
