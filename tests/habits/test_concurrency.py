"""Simultaneous check-ins from many tabs of one user: one row per day, and cached streaks that
match the entries. Only PostgreSQL has the row locks and concurrent writers this is about."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.habits import logic, services
from manifest.models import Habit, HabitEntry, User
from tests.conftest import calm_zone, fire

THREADS = 30

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite serialises every writer, so nothing races")


@pytest.fixture
def scene(app, make_user):
    zone = calm_zone()
    account = make_user("ana", timezone=zone)
    today = datetime.now(ZoneInfo(zone)).date()
    with app.app_context():
        owner = db.session.get(User, account["id"])
        habit_id = services.create_habit(owner, {"name": "Meditate", "frequency": "daily", "habit_type": "yes_no"}).id
        services.create_habit(owner, {"name": "Read", "frequency": "daily", "habit_type": "yes_no"})
    clients = []
    for _ in range(THREADS):
        client = app.test_client()
        client.login(account["email"])
        client.csrf_token()  # settle the session before the race
        clients.append(client)
    return {"user_id": account["id"], "habit_id": habit_id, "today": today, "clients": clients}


def state(app, habit_id, today):
    """The entries by day, the cached streaks and what the entries imply."""
    with app.app_context():
        habit = db.session.get(Habit, habit_id)
        rows = db.session.execute(sa.select(HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped)
                                  .where(HabitEntry.habit_id == habit_id)).all()
        marks = {r.entry_date: services.mark_of(r.completed, r.skipped) for r in rows}
        cached = logic.Streaks(habit.current_streak, habit.longest_streak, habit.total_completions)
        expected = logic.compute_streaks(services.schedule_of(habit), marks, today, services.pauses_of(habit))
        return rows, cached, expected


def seed_history(app, user_id, habit_id, today, days: int) -> None:
    with app.app_context():
        owner = db.session.get(User, user_id)
        for back in range(days, 0, -1):
            services.check_in(owner, habit_id, today - timedelta(days=back), today, state="done")


def test_thirty_simultaneous_done_requests_leave_one_entry(app, scene):
    habit_id, today = scene["habit_id"], scene["today"]
    seed_history(app, scene["user_id"], habit_id, today, 5)
    url = f"/habits/{habit_id}/days/{today}"

    results = fire(scene["clients"], [(url, {"state": "done"})] * THREADS)
    assert results == [200] * THREADS

    rows, cached, expected = state(app, habit_id, today)
    assert [(r.entry_date, r.completed, r.skipped) for r in rows if r.entry_date == today] == [(today, True, False)]
    assert len(rows) == 6
    assert cached == expected == logic.Streaks(6, 6, 6)
    page = scene["clients"][0].get("/").get_data(as_text=True)
    assert '<strong>1</strong> of 2 done' in page


def test_simultaneous_check_ins_on_different_days_keep_the_cache_right(app, scene):
    habit_id, today = scene["habit_id"], scene["today"]
    requests = [(f"/habits/{habit_id}/days/{today - timedelta(days=n)}", {"state": "done"}) for n in range(THREADS)]

    results = fire(scene["clients"], requests)
    assert results == [200] * THREADS

    rows, cached, expected = state(app, habit_id, today)
    assert len(rows) == THREADS and all(r.completed for r in rows)
    assert cached == expected == logic.Streaks(THREADS, THREADS, THREADS)


def test_simultaneous_opposite_requests_converge_with_a_matching_cache(app, scene):
    habit_id, today = scene["habit_id"], scene["today"]
    seed_history(app, scene["user_id"], habit_id, today, 3)
    days = [today - timedelta(days=n) for n in range(5)]
    # Every day gets both "done" and "not done" at the same moment; whichever lands last wins,
    # and the cached streaks must describe the entries as they ended up.
    requests = [(f"/habits/{habit_id}/days/{days[i % 5]}", {"state": "done" if i % 2 else "not_done"})
                for i in range(THREADS)]

    results = fire(scene["clients"], requests)
    assert results == [200] * THREADS

    rows, cached, expected = state(app, habit_id, today)
    assert sorted(r.entry_date for r in rows) == sorted(days)
    assert cached == expected
