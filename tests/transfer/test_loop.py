"""Loop Habit Tracker's files against the real export in tests/fixtures/loop: habits, check-marks,
notes, colours, rhythm, and the strength Loop itself computed."""

import sqlite3
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.habits import services as habit_services
from manifest.models import Habit, HabitEntry
from manifest.transfer.readers import loop
from tests.transfer.conftest import LOOP_DIR, loop_zip
from tests.transfer.helpers import import_file

EXPORT = LOOP_DIR / "csv_export"
LAST_DAY = date(2015, 1, 25)


def _habits(app, user_id) -> dict[str, Habit]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Habit).where(Habit.user_id == user_id)).all()
        db.session.expunge_all()
        return {h.name: h for h in rows}


def _entries(app, habit_id) -> dict[date, HabitEntry]:
    with app.app_context():
        rows = db.session.scalars(sa.select(HabitEntry).where(HabitEntry.habit_id == habit_id)).all()
        db.session.expunge_all()
        return {e.entry_date: e for e in rows}


def _loop_score(name: str) -> float:
    lines = (EXPORT / "Scores.csv").read_text().splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    assert first[0] == LAST_DAY.isoformat()
    return float(first[header.index(name)])


def _check_imported(app, user_id):
    habits = _habits(app, user_id)
    assert set(habits) == {"Meditate", "Wake up early"}
    meditate, wake = habits["Meditate"], habits["Wake up early"]
    assert (meditate.frequency, meditate.rhythm_times, meditate.color) == ("daily", None, "#ff8f00")
    assert meditate.description == "Did you meditate this morning?"
    assert (wake.frequency, wake.target_days, wake.rhythm_times, wake.rhythm_days) == ("weekly", 5, 2, 3)
    assert wake.color == "#00897b" and wake.is_active
    assert _entries(app, meditate.id) == {}
    entries = _entries(app, wake.id)
    done = {d for d, e in entries.items() if e.completed}
    assert done == {date(2015, 1, d) for d in (16, 17, 20, 21, 22, 25)}
    # NO keeps its note as a not-done day; YES_AUTO is Loop's fill-in, kept only for its note.
    assert entries[date(2015, 1, 24)].notes == "Sick" and not entries[date(2015, 1, 24)].completed
    assert entries[date(2015, 1, 23)].notes == "Forgot to do it, really"
    assert entries[date(2015, 1, 19)].notes == '"Vacation"'
    assert date(2015, 1, 18) not in entries
    assert len(entries) == 9
    return habits


def test_a_loop_zip_imports_habits_and_check_marks(app, user, auth_client, immediate_jobs):
    job = import_file(app, auth_client, ("Loop Habits CSV 2015-01-25.zip", loop_zip()))
    assert job.source == "loop"
    assert job.result["added"] == {"habits": 2, "habit_entries": 9}
    _check_imported(app, user["id"])


def test_the_strength_on_the_habit_page_matches_loops_scores_for_the_last_day(
        app, user, auth_client, immediate_jobs, monkeypatch):
    import_file(app, auth_client, ("loop.zip", loop_zip()))
    habits = _habits(app, user["id"])
    for name, habit in habits.items():
        with app.app_context():
            overview = habit_services.overview(db.session.get(Habit, habit.id), LAST_DAY)
        assert overview.strength == pytest.approx(_loop_score(name), abs=1e-4), name
    monkeypatch.setattr("manifest.habits.routes.local_today", lambda user: LAST_DAY)
    page = auth_client.get(f"/habits/{habits['Wake up early'].id}").get_data(as_text=True)
    assert f'<span class="stat-value">{round(_loop_score("Wake up early") * 100)}%</span>' in page


def test_changing_the_schedule_drops_loops_rhythm(app, user, auth_client, immediate_jobs):
    import_file(app, auth_client, ("loop.zip", loop_zip()))
    wake = _habits(app, user["id"])["Wake up early"]
    with app.app_context():
        habit = db.session.get(Habit, wake.id)
        habit_services.update_habit(habit, {"name": habit.name, "frequency": "weekly", "times_per_week": 4},
                                    date(2015, 1, 25))
        assert (habit.target_days, habit.rhythm_times, habit.rhythm_days) == (4, None, None)


def test_importing_the_same_loop_file_twice_adds_nothing(app, user, auth_client, immediate_jobs):
    import_file(app, auth_client, ("loop.zip", loop_zip()))
    again = import_file(app, auth_client, ("loop.zip", loop_zip()))
    assert again.result["added"] == {}
    assert again.result["present"] == {"habits": 2, "habit_entries": 9}
    assert len(_habits(app, user["id"])) == 2


def test_habits_csv_with_the_checkmarks_grid_as_loose_files(app, user, auth_client, immediate_jobs):
    job = import_file(app, auth_client, ("Habits.csv", (EXPORT / "Habits.csv").read_bytes()),
                      ("Checkmarks.csv", (EXPORT / "Checkmarks.csv").read_bytes()))
    # The grid has no notes: the YES_AUTO days with notes are not check-ins and leave nothing.
    assert job.result["added"] == {"habits": 2, "habit_entries": 7}
    wake = _habits(app, user["id"])["Wake up early"]
    assert {d for d, e in _entries(app, wake.id).items() if e.completed} == {
        date(2015, 1, d) for d in (16, 17, 20, 21, 22, 25)}


def _loop_database(path, *, numeric=False):
    """A backup in the shape of Loop's database (version 25 tables)."""
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE TABLE Habits (id integer primary key autoincrement, archived integer, color integer,
            description text, freq_den integer, freq_num integer, highlight integer, name text,
            position integer, reminder_hour integer, reminder_min integer, reminder_days integer not null default 127,
            type integer not null default 0, target_type integer not null default 0,
            target_value real not null default 0, unit text not null default "", question text, uuid text);
        CREATE TABLE Repetitions (id integer primary key autoincrement, habit integer not null references habits(id),
            timestamp integer not null, value integer not null, notes text);
    """)
    connection.execute("INSERT INTO Habits (id, archived, color, description, freq_den, freq_num, name, position,"
                       " type, target_type, target_value, unit, question, uuid)"
                       " VALUES (1, 0, 8, '', 3, 2, 'Wake up early', 0, 0, 0, 0, '', 'Before 6am?', 'aaa'),"
                       " (2, 1, 3, 'Pages', 7, 7, 'Read', 1, 1, 0, 20, 'pages', 'How many?', 'bbb')")
    day = 1421884800000  # 2015-01-22 00:00 UTC
    connection.executemany("INSERT INTO Repetitions (habit, timestamp, value, notes) VALUES (?, ?, ?, ?)", [
        (1, day, 2, ""), (1, day + 86400000, 3, "Travel"), (1, day + 2 * 86400000, 0, "Sick"),
        (2, day, 25000, ""), (2, day + 86400000, 12500, "Short day"),
    ])
    connection.commit()
    connection.close()


def test_a_loop_database_backup(app, user, auth_client, immediate_jobs, tmp_path):
    path = tmp_path / "Loop Habits Backup.db"
    _loop_database(path)
    job = import_file(app, auth_client, ("Loop Habits Backup.db", path.read_bytes()))
    assert job.result["added"] == {"habits": 2, "habit_entries": 5}
    habits = _habits(app, user["id"])
    wake, read = habits["Wake up early"], habits["Read"]
    assert (wake.rhythm_times, wake.rhythm_days, wake.color, wake.description) == (2, 3, "#00897b", "Before 6am?")
    assert (read.habit_type, read.target_value, read.unit, read.frequency, read.is_active) == (
        "numeric", Decimal("20.00"), "pages", "daily", False)
    entries = _entries(app, wake.id)
    assert entries[date(2015, 1, 22)].completed and entries[date(2015, 1, 23)].skipped
    assert entries[date(2015, 1, 23)].notes == "Travel" and not entries[date(2015, 1, 24)].completed
    values = {d: (e.value, e.completed) for d, e in _entries(app, read.id).items()}
    assert values == {date(2015, 1, 22): (Decimal("25.00"), True), date(2015, 1, 23): (Decimal("12.50"), False)}


def test_the_schedule_mapping_keeps_loops_rhythm_only_when_ours_cannot_say_it():
    assert loop.schedule(1, 1) == {"frequency": "daily"}
    assert loop.schedule(3, 7) == {"frequency": "weekly", "target_days": 3}
    assert loop.schedule(2, 3) == {"frequency": "weekly", "target_days": 5, "rhythm_times": 2, "rhythm_days": 3}
    assert loop.schedule(1, 30) == {"frequency": "weekly", "target_days": 1, "rhythm_times": 1, "rhythm_days": 30}


def test_a_numeric_loop_habit_from_the_csv_export(app, user, auth_client, immediate_jobs):
    from tests.transfer.conftest import zip_of

    archive = zip_of({
        "Habits.csv": "Position,Name,Type,Question,Description,FrequencyNumerator,FrequencyDenominator,Color,"
                      "Unit,Target Type,Target Value,Archived?\n"
                      "001,Read,NUMERICAL,How many pages?,,1,1,#1976D2,pages,AT_LEAST,20.0,false\n"
                      "002,Sugar,NUMERICAL,,,1,1,#D32F2F,g,AT_MOST,30,true\n",
        "001 Read/Checkmarks.csv": "Date,Value,Notes\n2024-02-04,UNKNOWN,\n2024-02-03,SKIP,Ill\n"
                                   "2024-02-02,12500,\n2024-02-01,25000,Long chapter\n",
        "002 Sugar/Checkmarks.csv": "Date,Value,Notes\n2024-02-02,45000,\n2024-02-01,10000,\n",
    })
    job = import_file(app, auth_client, ("Loop Habits CSV.zip", archive))
    assert job.result["added"] == {"habits": 2, "habit_entries": 5}
    habits = _habits(app, user["id"])
    read, sugar = habits["Read"], habits["Sugar"]
    assert (read.habit_type, read.target_value, read.unit, read.target_direction, read.color) == (
        "numeric", Decimal("20.00"), "pages", "at_least", "#1976d2")
    assert (sugar.target_direction, sugar.is_active) == ("at_most", False)
    entries = _entries(app, read.id)
    assert {d: (e.value, e.completed, e.skipped) for d, e in entries.items()} == {
        date(2024, 2, 1): (Decimal("25.00"), True, False), date(2024, 2, 2): (Decimal("12.50"), False, False),
        date(2024, 2, 3): (None, False, True)}
    assert entries[date(2024, 2, 3)].notes == "Ill"
    assert {d: e.completed for d, e in _entries(app, sugar.id).items()} == {
        date(2024, 2, 1): True, date(2024, 2, 2): False}
