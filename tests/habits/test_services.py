"""The habit services against the database: schedules, skips and pauses in the cached streaks,
refusals that write nothing, and a property test that the cache always matches the entries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import NotFound

from manifest.extensions import db
from manifest.forms import FieldError
from manifest.habits import logic, services
from manifest.models import Habit, HabitEntry, HabitPause, User
from manifest.ownership import owned

TODAY = date(2024, 5, 15)  # a Wednesday
MONDAY = date(2024, 5, 13)
BASE = {"name": "Meditate", "frequency": "daily", "habit_type": "yes_no"}
NUMERIC = {"habit_type": "numeric", "target_value": Decimal(8), "target_direction": "at_least", "unit": "glasses"}


def ago(n: int, today: date = TODAY) -> date:
    return today - timedelta(days=n)


@pytest.fixture
def owner_id(make_user):
    return make_user("ana")["id"]


@pytest.fixture
def stranger_id(make_user):
    return make_user("ben")["id"]


class Habits:
    """Service calls for one user, each in its own app context like a request."""

    def __init__(self, app, user_id):
        self.app, self.user_id = app, user_id

    def call(self, name: str, *args, **kwargs):
        with self.app.app_context():
            result = getattr(services, name)(db.session.get(User, self.user_id), *args, **kwargs)
            return getattr(result, "id", result)

    def call_on(self, name: str, habit_id, *args):
        """A service that takes a habit (and a pause), looked up as routes do: owner-scoped."""
        with self.app.app_context():
            user = db.session.get(User, self.user_id)
            habit = owned(user, Habit, habit_id)
            if name == "delete_pause":
                args = (owned(user, HabitPause, args[0], parent=habit), *args[1:])
            if name == "get_habit":
                return habit.id
            if name == "move_habit":
                return services.move_habit(user, habit, *args)
            result = getattr(services, name)(habit, *args)
            return getattr(result, "id", result)

    def create(self, **data):
        return self.call("create_habit", {**BASE, **data})

    def check(self, habit_id, day: date, today: date = TODAY, **fields):
        with self.app.app_context():
            return services.check_in(db.session.get(User, self.user_id), habit_id, day, today, **fields)

    def done(self, habit_id, *days: date, today: date = TODAY):
        for day in days:
            self.check(habit_id, day, today, state="done")

    def pause(self, habit_id, start: date, end: date, today: date = TODAY):
        with self.app.app_context():
            known = set(db.session.scalars(sa.select(HabitPause.id)))
            habit = services.add_pause(db.session.get(Habit, habit_id), start, end, today)
            (added,) = {p.id for p in habit.pauses} - known
            return added

    def streaks(self, habit_id) -> logic.Streaks:
        with self.app.app_context():
            habit = db.session.get(Habit, habit_id)
            return logic.Streaks(habit.current_streak, habit.longest_streak, habit.total_completions)

    def live(self, habit_id, today: date) -> int:
        with self.app.app_context():
            return services.live_streak(db.session.get(Habit, habit_id), today)

    def recomputed(self, habit_id, today: date = TODAY) -> logic.Streaks:
        """What the rows in the database imply, by the pure logic."""
        with self.app.app_context():
            habit = db.session.get(Habit, habit_id)
            return logic.compute_streaks(services.schedule_of(habit), marks(habit_id), today, services.pauses_of(habit))

    def rows(self) -> dict[str, list]:
        with self.app.app_context():
            return {
                m.__tablename__: sorted(tuple(map(str, r)) for r in db.session.execute(sa.select(m.__table__)))
                for m in (Habit, HabitEntry, HabitPause)
            }


def marks(habit_id) -> dict[date, logic.Mark]:
    rows = db.session.execute(
        sa.select(HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped).where(HabitEntry.habit_id == habit_id)
    ).all()
    return {r.entry_date: services.mark_of(r.completed, r.skipped) for r in rows}


@pytest.fixture
def habits(app, owner_id) -> Habits:
    return Habits(app, owner_id)


# --- schedules --------------------------------------------------------------------------------

def test_a_daily_streak_counts_days_and_today_stays_open(habits):
    habit = habits.create()
    habits.done(habit, *(ago(n) for n in range(6, 0, -1)))
    assert habits.streaks(habit) == logic.Streaks(6, 6, 6), "today not done yet does not break it"
    habits.done(habit, TODAY)
    assert habits.streaks(habit) == logic.Streaks(7, 7, 7)
    habits.check(habit, ago(3), state="not_done")
    assert habits.streaks(habit) == logic.Streaks(3, 3, 6)
    assert habits.streaks(habit) == habits.recomputed(habit)


def test_a_weekday_habit_ignores_unscheduled_days(habits):
    habit = habits.create(frequency="custom", weekdays=[0, 2, 4])
    scheduled = [ago(n) for n in range(16, -1, -1) if ago(n).weekday() in (0, 2, 4)]
    assert len(scheduled) == 8
    habits.done(habit, *scheduled)
    assert habits.streaks(habit) == logic.Streaks(8, 8, 8), "the Tuesdays, Thursdays and weekends in between are ignored"

    with habits.app.app_context():
        owner = db.session.get(User, habits.user_id)
        assert [r.habit.id for r in services.day_board(owner, ago(1), TODAY).rows] == [], "not due on a Tuesday"
        assert [r.habit.id for r in services.day_board(owner, TODAY, TODAY).rows] == [habit]

    habits.check(habit, date(2024, 5, 6), state="not_done")  # a Monday
    assert habits.streaks(habit) == logic.Streaks(4, 4, 7)
    assert habits.streaks(habit) == habits.recomputed(habit)


def test_a_weekly_habit_counts_whole_weeks(habits):
    habit = habits.create(frequency="weekly", times_per_week=3)
    weeks = [MONDAY - timedelta(weeks=n) for n in (3, 2, 1)]
    for monday, count in zip(weeks, (3, 3, 2), strict=True):
        habits.done(habit, *(monday + timedelta(days=d) for d in range(0, 2 * count, 2)))
    assert habits.streaks(habit) == logic.Streaks(0, 2, 8), "last week fell short; this week is still open"

    habits.done(habit, weeks[2] + timedelta(days=6))
    assert habits.streaks(habit) == logic.Streaks(3, 3, 9)
    habits.done(habit, MONDAY)
    assert habits.streaks(habit) == logic.Streaks(3, 3, 10), "an unmet current week neither counts nor breaks"
    habits.done(habit, MONDAY + timedelta(days=1), TODAY)
    assert habits.streaks(habit) == logic.Streaks(4, 4, 12)
    assert habits.streaks(habit) == habits.recomputed(habit)


def test_skipped_and_paused_days_are_neutral(habits):
    habit = habits.create()
    habits.done(habit, *(ago(n) for n in range(10, 5, -1)))
    habits.check(habit, ago(5), skip=True)
    habits.done(habit, *(ago(n) for n in range(2, -1, -1)))
    assert habits.streaks(habit) == logic.Streaks(3, 5, 8)

    pause = habits.pause(habit, ago(4), ago(3))
    assert habits.streaks(habit) == logic.Streaks(8, 8, 8)
    with habits.app.app_context():
        owner = db.session.get(User, habits.user_id)
        assert services.day_board(owner, ago(3), TODAY).rows == [], "a paused habit is not due"
        board = services.day_board(owner, ago(5), TODAY)
        assert (board.due_count, board.done_count, board.rows[0].skipped) == (0, 0, True)

    habits.call_on("delete_pause", habit, pause, TODAY)
    assert habits.streaks(habit) == logic.Streaks(3, 5, 8)
    habits.check(habit, ago(5), skip=False)
    assert habits.streaks(habit) == logic.Streaks(3, 5, 8)
    habits.check(habit, ago(6), skip=True)
    assert habits.streaks(habit) == logic.Streaks(3, 4, 7)
    assert habits.streaks(habit) == habits.recomputed(habit)


def test_a_weekly_habit_asks_less_of_a_week_half_paused(habits):
    habit = habits.create(frequency="weekly", times_per_week=3)
    last_week = MONDAY - timedelta(weeks=1)
    habits.done(habit, last_week, last_week + timedelta(days=1))
    assert habits.streaks(habit) == logic.Streaks(0, 0, 2)
    habits.pause(habit, last_week + timedelta(days=2), last_week + timedelta(days=6))
    assert habits.streaks(habit) == logic.Streaks(1, 1, 2)


def test_a_numeric_habit_is_done_when_the_value_meets_the_target(habits):
    more = habits.create(name="Water", **NUMERIC)
    less = habits.create(name="Coffee", **{**NUMERIC, "target_value": Decimal(2), "target_direction": "at_most"})
    for day, value in ((ago(2), "8"), (ago(1), "7.99"), (TODAY, "12")):
        habits.check(more, day, value=value)
    for day, value in ((ago(2), "2"), (ago(1), "0"), (TODAY, "2.5")):
        habits.check(less, day, value=value)
    assert habits.streaks(more) == logic.Streaks(1, 1, 2)
    assert habits.streaks(less) == logic.Streaks(2, 2, 2), "today's miss is still open"
    with habits.app.app_context():
        values = {e.entry_date: (e.value, e.completed) for e in db.session.scalars(
            sa.select(HabitEntry).where(HabitEntry.habit_id == more))}
    assert values == {ago(2): (Decimal("8.00"), True), ago(1): (Decimal("7.99"), False),
                      TODAY: (Decimal("12.00"), True)}


# --- live streaks -----------------------------------------------------------------------------

def test_a_cached_streak_lives_until_a_due_day_passes(habits):
    daily = habits.create()
    habits.done(daily, ago(2), ago(1), TODAY)
    assert [habits.live(daily, TODAY + timedelta(days=n)) for n in range(3)] == [3, 3, 0]

    mwf = habits.create(name="Gym", frequency="custom", weekdays=[0, 2, 4])
    habits.done(mwf, MONDAY, TODAY)
    # Thursday is not due, Friday still can be done, Saturday it is gone.
    assert [habits.live(mwf, TODAY + timedelta(days=n)) for n in range(4)] == [2, 2, 2, 0]

    weekly = habits.create(name="Run", frequency="weekly", times_per_week=2)
    last_week = MONDAY - timedelta(weeks=1)
    habits.done(weekly, last_week, last_week + timedelta(days=3))
    sunday = MONDAY + timedelta(days=6)
    assert habits.live(weekly, sunday) == 1, "this week can still be met"
    assert habits.live(weekly, sunday + timedelta(days=1)) == 0

    with habits.app.app_context():
        assert db.session.get(Habit, daily).current_streak == 3, "reading never writes"


# --- refusals ---------------------------------------------------------------------------------

def test_a_future_day_is_refused_and_nothing_is_written(habits):
    habit = habits.create()
    before = habits.rows()
    for fields in ({"state": "done"}, {"skip": True}):
        with pytest.raises(FieldError, match="Future days cannot be checked in yet."):
            habits.check(habit, TODAY + timedelta(days=1), **fields)
    with pytest.raises(FieldError):
        habits.call("save_note", habit, TODAY + timedelta(days=1), TODAY, "plans")
    assert habits.rows() == before


@pytest.mark.parametrize("raw", ["-1", "1000000", "NaN", "Infinity", "sNaN", "abc", "\x00", "1e400"])
def test_a_bad_value_is_refused_and_nothing_is_written(habits, raw):
    habit = habits.create(name="Water", **NUMERIC)
    habits.check(habit, TODAY, value="3")
    before = habits.rows()
    with pytest.raises(FieldError):
        habits.check(habit, TODAY, value=raw)
    assert habits.rows() == before


def test_another_users_habit_is_not_found(app, habits, stranger_id):
    theirs = Habits(app, stranger_id)
    habit = theirs.create()
    pause = theirs.pause(habit, TODAY, TODAY)
    mine = habits.create(name="Mine")
    before = habits.rows()
    calls = [
        ("get_habit", habit), ("overview", habit, TODAY), ("update_habit", habit, {**BASE, "name": "Mine"}, TODAY),
        ("set_archived", habit, True), ("delete_habit", habit), ("move_habit", habit, -1),
        ("add_pause", habit, TODAY, TODAY, TODAY),
        ("delete_pause", habit, pause, TODAY), ("delete_pause", mine, pause, TODAY),
    ]
    for name, *args in calls:
        with pytest.raises(NotFound):
            habits.call_on(name, *args)
    with pytest.raises(NotFound):
        habits.call("save_note", habit, TODAY, TODAY, "mine")
    with pytest.raises(NotFound):
        habits.check(habit, TODAY, state="done")
    assert habits.rows() == before


def test_an_archived_habit_is_not_on_the_board_and_cannot_be_checked(habits):
    habit = habits.create()
    habits.call_on("set_archived", habit, True)
    with pytest.raises(NotFound):
        habits.check(habit, TODAY, state="done")
    with habits.app.app_context():
        assert services.day_board(db.session.get(User, habits.user_id), TODAY, TODAY).rows == []


# --- the cache always equals the entries (property test) --------------------------------------

START = date(2024, 2, 20)  # the history crosses 29 February
HORIZON = 60

KINDS = {
    "daily": {},
    "weekdays": {"frequency": "custom", "weekdays": [0, 2, 4]},
    "weekly": {"frequency": "weekly", "times_per_week": 3},
    "at_least": NUMERIC,
    "at_most": {**NUMERIC, "target_direction": "at_most"},
}
# Days before today, mostly recent so that runs form and pauses and gaps matter; a negative
# offset is a future day.
offsets = st.one_of(st.integers(-2, 14), st.integers(0, HORIZON - 1))
steps = st.one_of(
    st.tuples(st.just("run"), offsets, st.integers(2, 12)),
    st.tuples(st.sampled_from(["done", "not_done", "skip", "unskip"]), offsets),
    st.tuples(st.just("value"), offsets, st.sampled_from(["0", "5", "8", "9.5", ""])),
    st.tuples(st.just("pause"), offsets, st.integers(0, 8)),
    st.tuples(st.just("unpause"), st.integers(0, 9)),
    st.tuples(st.just("wait"), st.integers(1, 3)),
)


def _fields(kind: str, step: tuple) -> dict:
    """The check-in a step stands for; numeric habits get a value instead of a state."""
    action = step[0]
    numeric = kind in ("at_least", "at_most")
    if action in ("skip", "unskip"):
        return {"skip": action == "skip"}
    if action == "value":
        return {"value": step[2]} if numeric else {"state": "done" if step[2] else "not_done"}
    if numeric:
        return {"value": "8" if action == "done" else ""}
    return {"state": action}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(KINDS)), script=st.lists(steps, min_size=4, max_size=25))
def test_cached_streaks_always_equal_the_entries(app, owner_id, kind, script):
    habits = Habits(app, owner_id)
    habit = habits.create(name=f"Prop {kind}", **KINDS[kind])
    today = START + timedelta(days=HORIZON)
    pauses: list = []
    try:
        for step in script:
            action = step[0]
            wrote = action != "wait"
            if action == "wait":
                today += timedelta(days=step[1])
            elif action == "pause":
                start = today - timedelta(days=step[1])
                pauses.append(habits.pause(habit, start, start + timedelta(days=step[2]), today))
            elif action == "run":
                first = today - timedelta(days=max(step[1], 0))
                for n in range(step[2]):
                    if first + timedelta(days=n) <= today:
                        habits.check(habit, first + timedelta(days=n), today, **_fields(kind, ("done",)))
            elif action == "unpause":
                wrote = bool(pauses)
                if pauses:
                    habits.call_on("delete_pause", habit, pauses.pop(step[1] % len(pauses)), today)
            else:
                day = today - timedelta(days=step[1])
                if day > today:
                    wrote = False
                    before = habits.rows()
                    with pytest.raises(FieldError):
                        habits.check(habit, day, today, **_fields(kind, step))
                    assert habits.rows() == before
                else:
                    habits.check(habit, day, today, **_fields(kind, step))

            expected = habits.recomputed(habit, today)
            if not wrote:
                # Nothing was written: the cache is as of the last write, and only the current
                # streak can have lapsed, which live_streak must notice.
                assert habits.live(habit, today) == expected.current, step
                cached = habits.streaks(habit)
                assert (cached.longest, cached.total_completions) == (expected.longest, expected.total_completions), step
            else:
                assert habits.streaks(habit) == expected, step
                assert habits.live(habit, today) == expected.current, step
    finally:
        with app.app_context():
            db.session.execute(sa.delete(Habit).where(Habit.id == habit))
            db.session.commit()


def test_a_locked_lookup_sees_a_change_committed_after_the_row_was_loaded(app, habits):
    # Two quick clicks: the second request waits for the first's lock; by then the habit it loaded
    # earlier in the request is stale, and streaks built on it would be wrong.
    habit_id = habits.create()
    with app.app_context():
        user = db.session.get(User, habits.user_id)
        loaded = owned(user, Habit, habit_id)
        assert loaded.current_streak == 0
        with db.engine.begin() as other:
            other.execute(sa.update(Habit).where(Habit.id == habit_id).values(current_streak=7))
        assert owned(user, Habit, habit_id, lock=True).current_streak == 7
