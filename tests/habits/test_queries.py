"""SQL statements per request stay few and do not grow with the amount of history."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.habits import services
from manifest.models import Habit, HabitEntry, HabitPause
from tests.conftest import HX, TODAY_QUERY_LIMIT, calm_zone, counted_statements

TOGGLE_LIMIT = 6
CATEGORIES = ("Health", "Mind", None, "Work")


def seed(app, user_id, today, *, habits: int, days: int) -> list[uuid.UUID]:
    """``habits`` daily habits (every fifth one numeric) with ``days`` days of history each, a
    pause apiece, written in three executemany statements rather than through the app."""
    habit_rows, entry_rows, pause_rows = [], [], []
    for n in range(habits):
        habit_id = uuid.uuid4()
        numeric = n % 5 == 4
        habit_rows.append({
            "id": habit_id, "user_id": user_id, "name": f"Habit {n:02}", "category": CATEGORIES[n % 4],
            "position": n, "frequency": "daily", "habit_type": "numeric" if numeric else "yes_no",
            "target_value": Decimal(8) if numeric else None, "unit": "glasses" if numeric else None,
        })
        for back in range(days):
            day = today - timedelta(days=back)
            skipped = back % 11 == 5
            entry_rows.append({
                "id": uuid.uuid4(), "habit_id": habit_id, "entry_date": day,
                "completed": not skipped and back % 3 != 1, "skipped": skipped,
                "value": Decimal(back % 12) if numeric and not skipped else None,
                "notes": "A note" if back % 17 == 0 else None,
            })
        pause_rows.append({"id": uuid.uuid4(), "habit_id": habit_id, "start_date": today - timedelta(days=400),
                           "end_date": today - timedelta(days=390)})
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.insert(Habit.__table__), habit_rows)
            conn.execute(sa.insert(HabitEntry.__table__), entry_rows)
            conn.execute(sa.insert(HabitPause.__table__), pause_rows)
        for habit in db.session.scalars(sa.select(Habit).where(Habit.user_id == user_id)):
            services.recompute(habit, today)
        db.session.commit()
    return [row["id"] for row in habit_rows]


@pytest.fixture
def accounts(app, make_user):
    """A user with 50 habits and three years of history and one with 5 habits and 10 days."""
    zone = calm_zone()
    today = datetime.now(ZoneInfo(zone)).date()
    result = {}
    for name, habits, days in (("big", 50, 3 * 365), ("small", 5, 10)):
        account = make_user(name, timezone=zone)
        client = app.test_client()
        client.login(account["email"])
        result[name] = {"client": client, "habits": seed(app, account["id"], today, habits=habits, days=days),
                        "id": account["id"]}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HabitEntry)) == 50 * 3 * 365 + 5 * 10
    return today, result


def count(app, client, method: str, url: str, **kwargs) -> tuple[int, object]:
    with counted_statements(app) as sent:
        response = client.open(url, method=method, **kwargs)
    assert response.status_code < 400, response.get_data(as_text=True)
    return len(sent), response


def test_today_needs_few_queries_whatever_the_history(app, accounts):
    today, users = accounts
    counts = {}
    for name, shown in (("big", 50), ("small", 5)):
        client = users[name]["client"]
        counts[name], response = count(app, client, "GET", "/")
        assert response.get_data(as_text=True).count('<li id="habit-') == shown
        assert counts[name] <= TODAY_QUERY_LIMIT, (name, counts[name])
        # A past day and an htmx request for the day need no more.
        past, _ = count(app, client, "GET", f"/?day={today - timedelta(days=30)}")
        fragment, _ = count(app, client, "GET", "/", headers=HX)
        assert past == fragment == counts[name], name
    assert counts["big"] == counts["small"]


CHECK_INS = [
    (0, {"state": "not_done"}),  # today's seeded entry was done: the streak changes
    (0, {"state": "done"}),
    (4, {"value": "9"}),
    (4, {"skip": "1"}),
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
def test_a_check_in_needs_few_queries_whatever_the_history(app, accounts, htmx):
    today, users = accounts
    for index, data in CHECK_INS:
        counts = {}
        for name in ("big", "small"):
            habit_id = users[name]["habits"][index]
            counts[name], response = count(app, users[name]["client"], "POST", f"/habits/{habit_id}/days/{today}",
                                           data=data, headers=HX if htmx else None)
            assert counts[name] <= TOGGLE_LIMIT, (name, data, counts[name])
            if htmx:
                assert response.get_data(as_text=True).count('<li id="habit-') == 1
        assert counts["big"] == counts["small"], data


def test_a_note_needs_few_queries_whatever_the_history(app, accounts):
    today, users = accounts
    counts = {}
    for name in ("big", "small"):
        habit_id = users[name]["habits"][0]
        counts[name], response = count(app, users[name]["client"], "POST", f"/habits/{habit_id}/days/{today}/note",
                                       data={"note": "Felt good"}, headers=HX)
        assert "Felt good" in response.get_data(as_text=True)
    assert counts["big"] == counts["small"] <= TOGGLE_LIMIT


def test_the_habit_page_and_its_heatmap_need_the_same_queries_whatever_the_history(app, accounts):
    today, users = accounts
    page, toggle = {}, {}
    for name in ("big", "small"):
        habit_id, client = users[name]["habits"][0], users[name]["client"]
        page[name], response = count(app, client, "GET", f"/habits/{habit_id}")
        assert "Habit 00" in response.get_data(as_text=True)
        toggle[name], _ = count(app, client, "POST", f"/habits/{habit_id}/heatmap",
                                data={"cell": f"{today - timedelta(days=1)}:done"}, headers=HX)
    assert page["big"] == page["small"]
    assert toggle["big"] == toggle["small"]


@pytest.mark.postgres
def test_a_check_in_today_reads_the_same_rows_whatever_the_history(app, accounts):
    """Three years of history or ten days: a check-in today reads the same number of rows
    (the habit, its week, the day's counter), so its cost does not grow with history."""
    today, users = accounts
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite does not report how many rows a SELECT returned")
        engine = db.engine
    for index, data in CHECK_INS:
        fetched = {}
        for name in ("big", "small"):
            rows: list[int] = []

            def record(conn, cursor, statement, parameters, context, executemany, rows=rows):
                if statement.lstrip().upper().startswith("SELECT"):
                    rows.append(cursor.rowcount)

            habit_id = users[name]["habits"][index]
            sa.event.listen(engine, "after_cursor_execute", record)
            try:
                response = users[name]["client"].post(f"/habits/{habit_id}/days/{today}", data=data, headers=HX)
            finally:
                sa.event.remove(engine, "after_cursor_execute", record)
            assert response.status_code == 200, response.get_data(as_text=True)
            fetched[name] = rows
        # The counter reads one row per active habit; everything else is the same size.
        big, small = fetched["big"], fetched["small"]
        assert len(big) == len(small), data
        assert sum(big) - 50 == sum(small) - 5, (data, big, small)
        assert sum(small) - 5 <= 1 + 7 + 1, (data, small)  # the user, the habit, its week
