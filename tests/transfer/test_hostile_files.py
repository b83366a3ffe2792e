"""Files no app writes as they are (targets of 1e30, a database cell holding bytes, a 200,000-
character field, NUL characters, an outsized manifest) are refused with a reason on the form or
imported with their problems listed: never a 500, never "an unexpected error"."""

import json
import sqlite3
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Habit, HabitEntry, Workout, WorkoutExercise
from manifest.transfer.readers import own
from tests.transfer.conftest import zip_of
from tests.transfer.helpers import all_jobs, import_file, job, upload, uploaded_job

LOOP_HEADER = "Position,Name,Question,Description,NumRepetitions,Interval,Color,Archived?,Type,Target Value\n"
HABITBULL = "HabitName,HabitDescription,HabitCategory,CalendarDate,Value,CommentText\n"
STRONG = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"


def _habits(app, user_id) -> dict[str, Habit]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Habit).where(Habit.user_id == user_id)).all()
        db.session.expunge_all()
        return {h.name: h for h in rows}


def _notes(app, model, column) -> set:
    with app.app_context():
        return set(db.session.scalars(sa.select(column)))


@pytest.mark.parametrize("target", ["1e30", "inf", "-inf", "nan", "1e8"])
def test_a_loop_target_out_of_range_is_a_problem_and_the_habit_gets_a_target_of_1(
        app, user, auth_client, immediate_jobs, target):
    done = import_file(app, auth_client, ("Habits.csv", (LOOP_HEADER + f"001,Run,,,1,1,#ffffff,false,NUMERICAL,{target}\n")
                                          .encode()))
    assert done.result["added"] == {"habits": 1}
    assert done.result["problems"] == [(f"Habits.csv line 2: the target {float(target):g} is out of range; "
                                       "it is imported as 1")]
    assert _habits(app, user["id"])["Run"].target_value == Decimal("1.00")


def _database(path, target: float, notes: list) -> None:
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE TABLE Habits (id integer primary key, name text, freq_num integer, freq_den integer,
            position integer, type integer, target_value real, unit text, uuid text);
        CREATE TABLE Repetitions (id integer primary key, habit integer, timestamp integer, value integer, notes);
    """)
    connection.execute("INSERT INTO Habits VALUES (1, 'Read', 1, 1, 0, 1, ?, 'pages', 'r'),"
                       " (2, 'Walk', 1, 1, 1, 0, 0, '', 'w')", (target,))
    day = 1421884800000  # 2015-01-22 00:00 UTC
    connection.executemany("INSERT INTO Repetitions (habit, timestamp, value, notes) VALUES (?, ?, ?, ?)",
                           [(2, day + n * 86400000, 2, note) for n, note in enumerate(notes)])
    connection.commit()
    connection.close()


def test_a_loop_database_with_a_huge_target_and_notes_of_any_type(app, user, auth_client, immediate_jobs, tmp_path):
    path = tmp_path / "Loop.db"
    _database(path, 1e308, [b"caf\xc3\xa9 in bytes", b"\xff\xfe not utf-8", "nul\x00inside", 42])
    done = import_file(app, auth_client, ("Loop.db", path.read_bytes()))
    assert done.result["added"] == {"habits": 2, "habit_entries": 4}
    assert done.result["problems"] == ["Habits row 1: the target 1e+308 is out of range; it is imported as 1"]
    habits = _habits(app, user["id"])
    assert habits["Read"].target_value == Decimal("1.00")
    assert _notes(app, HabitEntry, HabitEntry.notes) == {"café in bytes", "\ufffd\ufffd not utf-8", "nulinside", "42"}


def test_nul_characters_in_habitbull_strong_and_loop_notes_are_dropped(app, user, auth_client, immediate_jobs):
    import_file(app, auth_client, ("h.csv", (HABITBULL + "Run\x00,with\x00love,,2024-01-01,1,fast\x00\n").encode()))
    import_file(app, auth_client, ("s.csv", (STRONG + "2024-01-01 10:00:00,Legs\x00,1h,Squat,1,100,5,,,deep\x00,felt\x00good,\n")
                                   .encode()))
    loop = zip_of({"Habits.csv": "Position,Name,NumRepetitions,Interval\n001,Read,1,1\n",
                   "001 Read/Checkmarks.csv": "Date,Value,Notes\n2024-02-01,YES_MANUAL,a\x00b\n"})
    import_file(app, auth_client, ("loop.zip", loop))
    assert set(_habits(app, user["id"])) == {"Run", "Read"}
    assert _notes(app, HabitEntry, HabitEntry.notes) == {"fast", "ab"}
    assert _notes(app, Workout, Workout.workout_name) == {"Legs"}
    assert _notes(app, Workout, Workout.notes) == {"feltgood"}
    assert _notes(app, WorkoutExercise, WorkoutExercise.notes) == {"deep"}
    with app.app_context():
        assert db.session.scalar(sa.select(Habit.description).where(Habit.name == "Run")) == "withlove"
        assert db.session.scalar(sa.select(HabitEntry.entry_date).where(HabitEntry.notes == "fast")) == date(2024, 1, 1)


@pytest.mark.parametrize(("name", "data"), [
    ("h.csv", (HABITBULL + "Run," + "x" * 200_000 + ",c,2024-01-01,1,\n").encode()),
    ("s.csv", (STRONG + "2024-01-01 10:00:00,W,1h,Bench,1,100,5,,,\"" + "x" * 200_000 + "\",,\n").encode()),
    ("Habits.csv", (LOOP_HEADER + "001,Run,\"" + "x" * 200_000 + "\",,1,1,#ffffff,false,YES_NO,\n").encode()),
])
def test_a_csv_field_over_the_csv_limit_is_refused_on_the_form(app, user, auth_client, name, data):
    response = upload(auth_client, (name, data))
    assert response.status_code == 422, response.get_data(as_text=True)[:2000]
    assert f"{name} line 2 has a field longer than 131,072 characters" in response.get_data(as_text=True)
    assert all_jobs(app) == []


def test_loop_checkmarks_with_a_field_over_the_limit_are_refused(app, user, auth_client, immediate_jobs):
    loop = zip_of({"Habits.csv": "Position,Name,NumRepetitions,Interval\n001,Read,1,1\n",
                   "001 Read/Checkmarks.csv": "Date,Value,Notes\n2024-02-01,YES_MANUAL," + "x" * 200_000 + "\n"})
    response = upload(auth_client, ("loop.zip", loop))
    assert response.status_code == 422
    assert "001 Read/Checkmarks.csv line 2 has a field longer than" in response.get_data(as_text=True)


def _manifest(extra) -> bytes:
    return zip_of({"manifest.json": json.dumps({"format": "lets-manifest-export", "format_version": 1, **extra})})


def test_an_outsized_manifest_is_refused_unread(app, user, auth_client):
    response = upload(auth_client, ("export.zip", _manifest({"padding": "x" * (own.MAX_MANIFEST + 1)})))
    assert response.status_code == 422
    assert "manifest.json is larger than a Let&#39;s Manifest export writes" in response.get_data(as_text=True)


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"format": ' + "1" * 5000 + "}"])
def test_a_manifest_json_cannot_parse_is_refused(app, user, auth_client, text):
    response = upload(auth_client, ("export.zip", zip_of({"manifest.json": text})))
    assert response.status_code == 422
    assert "manifest.json is not valid JSON" in response.get_data(as_text=True)


def test_an_area_file_nested_too_deep_is_refused_by_the_preview(app, user, auth_client, immediate_jobs):
    archive = zip_of({"manifest.json": json.dumps({"format": "lets-manifest-export", "format_version": 1}),
                      "habits.json": "[" * 100_000 + "]" * 100_000})
    preview = job(app, uploaded_job(upload(auth_client, ("export.zip", archive))))
    assert (preview.status, preview.error) == ("refused", "habits.json is not valid JSON.")
