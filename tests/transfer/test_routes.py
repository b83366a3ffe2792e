"""Every route of the data page: pages, htmx regions, spreadsheets, and the import's go-ahead and cancel."""

import csv
import io
from datetime import date, time
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import (
    DataExport,
    DataImport,
    Food,
    Habit,
    HabitEntry,
    Measurement,
    Workout,
    WorkoutExercise,
    WorkoutSet,
)
from manifest.transfer import imports
from tests.conftest import HX
from tests.transfer.conftest import LOOP_DIR
from tests.transfer.helpers import job, table_counts, upload, uploaded_job

HABITBULL = ("habitbull.csv", (LOOP_DIR / "habitbull.csv").read_bytes())


def test_the_data_page_offers_export_spreadsheets_and_import(app, user, auth_client):
    body = auth_client.get("/settings/data").get_data(as_text=True)
    assert "Export everything" in body and 'href="/settings/data/food.csv"' in body
    assert '<label for="files">File to import</label>' in body and 'enctype="multipart/form-data"' in body
    settings = auth_client.get("/settings").get_data(as_text=True)
    assert 'action="/settings/data/export"' in settings and 'href="/settings/data"' in settings


def test_export_from_the_settings_page_without_javascript(app, user, auth_client):
    response = auth_client.post("/settings/data/export")
    assert response.status_code == 303 and response.headers["Location"].endswith("/settings/data")
    assert "Building your export" in auth_client.get("/settings/data").get_data(as_text=True)


def test_the_export_status_region_without_htmx_leads_to_the_page(app, user, auth_client):
    auth_client.post("/settings/data/export")
    with app.app_context():
        export_id = db.session.scalar(sa.select(DataExport.id))
    response = auth_client.get(f"/settings/data/exports/{export_id}")
    assert response.status_code == 303


def _sheet(client, path) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_food_log_spreadsheet(app, user, other_user, auth_client):
    with app.app_context():
        for owner, name in ((user["id"], "Oats, rolled"), (other_user["id"], "Not mine")):
            db.session.add(Food(user_id=owner, meal_date=date(2026, 1, 2), meal_time=time(8, 30), meal_type="breakfast",
                                food_name=name, calories=Decimal("350.00"), protein_grams=Decimal("12.50")))
        db.session.add(Food(user_id=user["id"], meal_date=date(2026, 1, 1), meal_type="snack", food_name="Apple"))
        db.session.commit()
    header, *rows = _sheet(auth_client, "/settings/data/food.csv")
    assert header[:6] == ["date", "time", "meal", "food", "portion", "calories"]
    assert [r[:7] for r in rows] == [
        ["2026-01-01", "", "snack", "Apple", "", "", ""],
        ["2026-01-02", "08:30:00", "breakfast", "Oats, rolled", "", "350", "12.5"],
    ]


def test_workouts_spreadsheet_has_a_line_per_set(app, user, auth_client):
    with app.app_context():
        workout = Workout(user_id=user["id"], workout_date=date(2026, 1, 3), workout_name="Legs", workout_type="strength")
        db.session.add(workout)
        db.session.flush()
        squat = WorkoutExercise(workout_id=workout.id, exercise_name="Squat", order_index=0)
        run = WorkoutExercise(workout_id=workout.id, exercise_name="Run", order_index=1, distance=Decimal("3.5"),
                              distance_unit="km", duration_seconds=1200)
        db.session.add_all([squat, run])
        db.session.flush()
        db.session.add_all([
            WorkoutSet(workout_exercise_id=squat.id, position=0, reps=8, weight=Decimal(60), weight_unit="kg",
                       set_type="warmup"),
            WorkoutSet(workout_exercise_id=squat.id, position=1, reps=5, weight=Decimal("100.5"), weight_unit="kg"),
        ])
        db.session.commit()
    header, *rows = _sheet(auth_client, "/settings/data/workouts.csv")
    picked = [dict(zip(header, r, strict=True)) for r in rows]
    assert [(r["exercise"], r["set"], r["set_type"], r["reps"], r["weight"], r["distance"]) for r in picked] == [
        ("Squat", "1", "warmup", "8", "60", ""), ("Squat", "2", "normal", "5", "100.5", ""),
        ("Run", "", "", "", "", "3.5")]


def test_habit_check_ins_as_a_grid_of_days_and_habits(app, user, auth_client):
    with app.app_context():
        read = Habit(user_id=user["id"], name="Read", position=0)
        water = Habit(user_id=user["id"], name="Water", position=1, habit_type="numeric", target_value=Decimal(8))
        db.session.add_all([read, water])
        db.session.flush()
        db.session.add_all([
            HabitEntry(habit_id=read.id, entry_date=date(2026, 1, 1), completed=True),
            HabitEntry(habit_id=read.id, entry_date=date(2026, 1, 2), skipped=True),
            HabitEntry(habit_id=water.id, entry_date=date(2026, 1, 2), value=Decimal("6.5")),
        ])
        db.session.commit()
    assert _sheet(auth_client, "/settings/data/habits.csv") == [
        ["Date", "Read", "Water"], ["2026-01-02", "SKIP", "6.5"], ["2026-01-01", "YES", ""]]


def test_body_measurements_spreadsheet_keeps_each_readings_unit(app, user, other_user, auth_client):
    with app.app_context():
        db.session.add_all([
            Measurement(user_id=user["id"], measured_on=date(2026, 2, 1), weight=Decimal("180.40"), weight_unit="lbs",
                        waist=Decimal("33.5"), waist_unit="in", note="after a run, tired"),
            Measurement(user_id=user["id"], measured_on=date(2026, 1, 5), body_fat_percentage=Decimal("18.5")),
            Measurement(user_id=other_user["id"], measured_on=date(2026, 1, 6), weight=Decimal(99), weight_unit="kg"),
        ])
        db.session.commit()
    assert _sheet(auth_client, "/settings/data/measurements.csv") == [
        ["date", "weight", "weight_unit", "body_fat_percentage", "waist", "waist_unit", "note"],
        ["2026-01-05", "", "", "18.5", "", "", ""],
        ["2026-02-01", "180.4", "lbs", "", "33.5", "in", "after a run, tired"],
    ]


def test_an_upload_leads_to_its_dry_run_page(app, user, auth_client):
    response = upload(auth_client, HABITBULL, headers=HX)
    assert response.status_code == 200 and "/settings/data/imports/" in response.headers["HX-Redirect"]
    job_id = uploaded_job(upload(auth_client, HABITBULL))
    # The preview job has not run (no worker here): the page says so and asks again.
    body = auth_client.get(f"/settings/data/imports/{job_id}").get_data(as_text=True)
    assert "Reading the file" in body and 'hx-trigger="every 1s"' in body
    with app.app_context():
        imports.preview(job_id)
    region = auth_client.get(f"/settings/data/imports/{job_id}", headers=HX).get_data(as_text=True)
    assert region.lstrip().startswith('<section id="import-status"')
    assert "Will add 4 habits, 14 check-ins;\n      4 rows already present will be skipped." in region
    assert "every 1s" not in region


def test_confirm_twice_imports_once(app, user, auth_client, immediate_jobs):
    job_id = uploaded_job(upload(auth_client, HABITBULL))
    first = auth_client.post(f"/settings/data/imports/{job_id}/confirm")
    assert first.status_code == 303
    counts = table_counts(app)
    second = auth_client.post(f"/settings/data/imports/{job_id}/confirm", headers=HX)
    assert second.status_code == 200 and "Imported" in second.get_data(as_text=True)
    assert table_counts(app) == counts and job(app, job_id).status == "done"


def test_cancel_before_the_import_runs(app, user, auth_client):
    job_id = uploaded_job(upload(auth_client, HABITBULL))
    with app.app_context():
        imports.preview(job_id)
    auth_client.post(f"/settings/data/imports/{job_id}/confirm")
    response = auth_client.post(f"/settings/data/imports/{job_id}/cancel", headers=HX)
    assert response.status_code == 200 and "Cancelled: nothing was imported." in response.get_data(as_text=True)
    with app.app_context():
        imports.run(job_id)  # the queued job, taken by a worker after all: it does nothing
    assert job(app, job_id).status == "cancelled"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Habit)) == 0


def test_a_cancel_while_running_rolls_the_import_back(app, user, auth_client, monkeypatch):
    job_id = uploaded_job(upload(auth_client, HABITBULL))
    with app.app_context():
        imports.preview(job_id)
    auth_client.post(f"/settings/data/imports/{job_id}/confirm")
    # The user cancels while the rows are being written: the check between batches sees it.
    monkeypatch.setattr("manifest.transfer.restore.CHUNK", 2)
    monkeypatch.setattr("manifest.transfer.progress.Reporter.status", lambda self: "cancelled")
    with app.app_context():
        imports.run(job_id)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Habit)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HabitEntry)) == 0


def test_another_users_import_is_404_and_stays_as_it_was(app, user, auth_client, other_client):
    job_id = uploaded_job(upload(auth_client, HABITBULL))
    with app.app_context():
        imports.preview(job_id)
    for method, path in (("get", ""), ("post", "/confirm"), ("post", "/cancel")):
        response = getattr(other_client, method)(f"/settings/data/imports/{job_id}{path}")
        assert response.status_code == 404, path
    assert job(app, job_id).status == "ready"
    with app.app_context():
        assert db.session.get(DataImport, job_id).user_id == user["id"]


def test_each_spreadsheet_is_offered_on_its_own_page(app, user, auth_client):
    for page, link in (("/food", "/settings/data/food.csv"), ("/workouts", "/settings/data/workouts.csv"),
                       ("/habits", "/settings/data/habits.csv"),
                       ("/progress/measurements", "/settings/data/measurements.csv"),
                       ("/settings/data", "/settings/data/measurements.csv")):
        response = auth_client.get(page, follow_redirects=True)
        assert f'href="{link}"' in response.get_data(as_text=True), page


def test_a_running_import_offers_cancel_where_the_database_can_take_it(app, user, auth_client):
    job_id = uploaded_job(upload(auth_client, HABITBULL))
    with app.app_context():
        imports.preview(job_id)
        db.session.execute(sa.update(DataImport).where(DataImport.id == job_id).values(status="running"))
        db.session.commit()
        expected = imports.cancellable_while_running()
    body = auth_client.get(f"/settings/data/imports/{job_id}", headers=HX).get_data(as_text=True)
    assert "Importing… 0 %" in body and 'hx-trigger="every 1s"' in body
    assert ('name="csrf_token"' in body) == expected


def test_rows_whose_parent_is_missing_are_listed(app, user, auth_client, immediate_jobs):
    import json

    from tests.transfer.conftest import zip_of
    from tests.transfer.helpers import import_file

    entry = {"id": "7c000000-0000-4000-8000-000000000001", "habit_id": "7c000000-0000-4000-8000-0000000000ff",
             "entry_date": "2026-01-01", "completed": True}
    archive = zip_of({"manifest.json": json.dumps({"format": "lets-manifest-export", "format_version": 1}),
                      "habit_entries.json": "[\n" + json.dumps(entry) + "\n]\n"})
    done = import_file(app, auth_client, ("export.zip", archive))
    assert done.result["added"] == {}
    assert done.result["problems"] == [
        "habit_entries.json line 2: it belongs to a habits row that is not imported"]


def test_left_out_rows_are_told_ahead_in_the_dry_run_and_as_done_after_the_import(app, user, auth_client,
                                                                                  immediate_jobs):
    from tests.transfer.helpers import import_file

    habitbull2 = ("habitbull2.csv", (LOOP_DIR / "habitbull2.csv").read_bytes())
    job_id = uploaded_job(upload(auth_client, habitbull2))
    dry_run = auth_client.get(f"/settings/data/imports/{job_id}").get_data(as_text=True)
    assert "2 rows cannot be imported and will be left out" in dry_run

    done = import_file(app, auth_client, habitbull2)
    after = auth_client.get(f"/settings/data/imports/{done.id}").get_data(as_text=True)
    assert "2 rows could not be imported and were left out" in after
    assert "will be left out" not in after and "cannot be imported" not in after
