"""Text that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is written
to every CSV with a leading single quote; numbers, negative ones too, and dates are not. The JSON
files, which our import reads, keep the text as it is."""

import csv
import io
from datetime import date, time
from decimal import Decimal

from manifest.extensions import db
from manifest.models import Food, Goal, GoalProgress, Habit, HabitEntry, Measurement
from manifest.transfer.readers import loop
from manifest.transfer.values import to_csv, unguard_text
from tests.transfer.conftest import read_archive
from tests.transfer.test_export import _export

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1"]


def _sheet(client, path) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_a_formula_in_text_is_quoted_and_numbers_and_dates_are_not():
    for text in HOSTILE:
        assert to_csv(text) == "'" + text
        assert unguard_text(to_csv(text)) == text
    assert to_csv(["=evil", "ok"]) == "'=evil, ok"
    assert to_csv("Oats, rolled") == "Oats, rolled" and to_csv("it's fine") == "it's fine"
    assert to_csv(Decimal("-2.5")) == "-2.5" and to_csv(-3) == "-3" and to_csv(-2.5) == "-2.5"
    assert to_csv(date(2026, 1, 2)) == "2026-01-02" and to_csv(time(8, 30)) == "08:30:00"


def test_spreadsheet_downloads_quote_formula_text(app, user, auth_client):
    with app.app_context():
        for n, name in enumerate(HOSTILE):
            db.session.add(Food(user_id=user["id"], meal_date=date(2026, 1, n + 1), meal_type="snack",
                                food_name=name, notes="@note", calories=Decimal(10)))
        habit = Habit(user_id=user["id"], name="=1+1", position=0, habit_type="numeric", target_value=Decimal(8))
        db.session.add(habit)
        db.session.flush()
        db.session.add(HabitEntry(habit_id=habit.id, entry_date=date(2026, 1, 2), value=Decimal("6.5")))
        db.session.add(Measurement(user_id=user["id"], measured_on=date(2026, 1, 3), weight=Decimal(70),
                                   weight_unit="kg", note="-tired"))
        db.session.commit()
    _header, *rows = _sheet(auth_client, "/settings/data/food.csv")
    assert [(r[0], r[3], r[5], r[13]) for r in rows] == [
        (f"2026-01-0{n + 1}", "'" + name, "10", "'@note") for n, name in enumerate(HOSTILE)]
    assert _sheet(auth_client, "/settings/data/habits.csv") == [["Date", "'=1+1"], ["2026-01-02", "6.5"]]
    _, measurement = _sheet(auth_client, "/settings/data/measurements.csv")
    assert measurement == ["2026-01-03", "70", "kg", "", "", "", "'-tired"]


def test_the_exports_csv_files_quote_formula_text_and_its_json_keeps_it(app, user, auth_client, immediate_jobs):
    with app.app_context():
        goal = Goal(user_id=user["id"], title="+Lose weight", goal_type="life", measure="milestones")
        db.session.add(goal)
        db.session.flush()
        db.session.add(GoalProgress(goal_id=goal.id, progress_date=date(2026, 2, 1), value=Decimal("-2.5"),
                                    notes="=cmd"))
        db.session.commit()
    contents = read_archive(_export(auth_client))
    [goal_row] = csv.DictReader(io.StringIO(contents["goals.csv"]))
    assert goal_row["title"] == "'+Lose weight"
    [progress] = csv.DictReader(io.StringIO(contents["goal_progress.csv"]))
    assert progress["value"] == "-2.5" and progress["progress_date"] == "2026-02-01" and progress["notes"] == "'=cmd"
    assert contents["goals.json"][0]["title"] == "+Lose weight"
    assert contents["goal_progress.json"][0]["notes"] == "=cmd" and contents["goal_progress.json"][0]["value"] == -2.5


def test_our_check_ins_grid_read_as_a_loop_grid_has_its_names_back():
    assert set(loop._grid("Date,'=1+1,Read\n2026-01-02,YES,NO\n")) == {"=1+1", "Read"}
