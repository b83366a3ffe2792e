"""The whole account as one archive: built by a job, with progress, downloaded by its owner only."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import (
    DataExport,
    Food,
    Habit,
    HabitEntry,
    Media,
    Tag,
    Taggable,
    Workout,
)
from manifest.transfer import exports
from manifest.transfer.format import AREAS, FORMAT_NAME, FORMAT_VERSION
from tests.conftest import HX
from tests.transfer.conftest import LOOP_DIR, read_archive


def _small_account(app, user_id):
    with app.app_context():
        habit = Habit(user_id=user_id, name="Read ☕", color="#00897b")
        food = Food(user_id=user_id, meal_date=date(2026, 3, 1), meal_type="lunch", food_name="Soup, \"hot\"",
                    calories=Decimal("420.50"), protein_grams=Decimal("12.25"))
        db.session.add_all([habit, food])
        db.session.flush()
        db.session.add(HabitEntry(habit_id=habit.id, entry_date=date(2026, 3, 1), completed=True, notes="line1\nline2"))
        tag = Tag(user_id=user_id, name="Morning", slug="morning", usage_count=1)
        db.session.add(tag)
        db.session.flush()
        db.session.add(Taggable(tag_id=tag.id, taggable_type="habit", taggable_id=habit.id))
        db.session.commit()
        return habit.id, food.id


def _export(auth_client) -> bytes:
    response = auth_client.post("/settings/data/export")
    assert response.status_code == 303
    page = auth_client.get("/settings/data")
    link = page.get_data(as_text=True).split('id="export-download" href="')[1].split('"')[0]
    download = auth_client.get(link)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/zip"
    assert "attachment" in download.headers["Content-Disposition"]
    return download.data


def test_export_holds_every_area_as_json_and_csv_with_a_manifest(app, user, auth_client, immediate_jobs):
    habit_id, _food_id = _small_account(app, user["id"])
    contents = read_archive(_export(auth_client))
    manifest = contents["manifest.json"]
    assert manifest["format"] == FORMAT_NAME and manifest["format_version"] == FORMAT_VERSION
    assert datetime.fromisoformat(manifest["exported_at"]) > datetime.now(UTC) - timedelta(minutes=5)
    assert manifest["app_version"] and manifest["schema_revision"]
    assert manifest["counts"]["habits"] == 1 and manifest["counts"]["habit_entries"] == 1
    assert manifest["counts"]["foods"] == 1 and manifest["counts"]["taggables"] == 1
    assert "password_hash" not in manifest["account"] and manifest["account"]["email"] == user["email"]
    for area in AREAS:
        assert f"{area.name}.json" in contents and f"{area.name}.csv" in contents
    [habit] = contents["habits.json"]
    assert habit["id"] == str(habit_id) and habit["name"] == "Read ☕" and habit["tags"] == ["Morning"]
    assert habit["created_at"].endswith("+00:00")
    [entry] = contents["habit_entries.json"]
    assert entry["habit_id"] == str(habit_id) and entry["entry_date"] == "2026-03-01" and entry["notes"] == "line1\nline2"
    [food] = contents["foods.json"]
    assert food["calories"] == 420.5 and food["protein_grams"] == 12.25
    rows = list(csv.DictReader(io.StringIO(contents["foods.csv"])))
    assert rows[0]["food_name"] == 'Soup, "hot"' and rows[0]["calories"] == "420.5"
    assert rows[0]["meal_date"] == "2026-03-01" and rows[0]["is_favorite"] == "false"
    assert "user_id" not in rows[0]
    habit_rows = list(csv.DictReader(io.StringIO(contents["habits.csv"])))
    assert habit_rows[0]["tags"] == "Morning"


def test_the_export_status_polls_until_done_then_offers_the_download(app, user, auth_client):
    # Queued, not yet run: the region asks again every second.
    response = auth_client.post("/settings/data/export", headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in body and "<progress" in body
    with app.app_context():
        job = db.session.scalars(sa.select(DataExport)).one()
        assert job.status == "queued"
        exports.run(job.id)
        job_id = job.id
    region = auth_client.get(f"/settings/data/exports/{job_id}", headers=HX).get_data(as_text=True)
    assert "every 1s" not in region and "Download your export" in region
    # A second run of the same job (a retry, a second consumer) does nothing.
    with app.app_context():
        before = db.session.get(DataExport, job_id).file_name
        exports.run(job_id)
        assert db.session.get(DataExport, job_id).file_name == before


def test_a_second_click_while_building_starts_nothing(app, user, auth_client):
    auth_client.post("/settings/data/export")
    auth_client.post("/settings/data/export")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DataExport)) == 1


def test_another_user_gets_404_for_the_status_and_the_download(app, user, auth_client, other_client, immediate_jobs):
    _small_account(app, user["id"])
    auth_client.post("/settings/data/export")
    with app.app_context():
        job_id = db.session.scalars(sa.select(DataExport.id)).one()
    assert other_client.get(f"/settings/data/exports/{job_id}/download").status_code == 404
    assert other_client.get(f"/settings/data/exports/{job_id}", headers=HX).status_code == 404
    assert auth_client.get(f"/settings/data/exports/{job_id}/download").status_code == 200


def test_the_download_expires_after_a_day(app, user, auth_client, immediate_jobs):
    auth_client.post("/settings/data/export")
    with app.app_context():
        job = db.session.scalars(sa.select(DataExport)).one()
        assert timedelta(hours=23) < job.expires_at.replace(tzinfo=UTC) - datetime.now(UTC) <= timedelta(hours=24)
        job.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
        job_id = job.id
    response = auth_client.get(f"/settings/data/exports/{job_id}/download")
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    with app.app_context():
        assert exports.remove_expired() == 1
        assert db.session.get(DataExport, job_id).file_name is None


def test_attachments_are_in_the_archive_with_their_metadata(app, user, auth_client, immediate_jobs):
    from manifest.media.storage import get_storage, new_key

    with app.app_context():
        workout = Workout(user_id=user["id"], workout_date=date(2026, 2, 2), workout_type="strength")
        db.session.add(workout)
        db.session.flush()
        key = new_key(user["id"], "txt")
        get_storage().save(key, b"hello file", "text/plain")
        media = Media(user_id=user["id"], file_name="notes.txt", file_path=key, file_type="text/plain",
                      file_size=10, related_to_type="workout", related_to_id=workout.id)
        db.session.add(media)
        db.session.commit()
        media_id = media.id
    contents = read_archive(_export(auth_client))
    [row] = contents["media.json"]
    assert row["file_name"] == "notes.txt" and "file_path" not in row
    assert contents[row["file"]] == b"hello file" and row["file"] == f"attachments/{media_id}.txt"


def test_the_worker_takes_up_an_export_a_stopped_worker_left(app, user, auth_client, immediate_jobs):
    from manifest.transfer import tasks

    with app.app_context():
        job = DataExport(user_id=user["id"], status="running", created_at=datetime.now(UTC) - timedelta(minutes=30),
                         updated_at=datetime.now(UTC) - timedelta(minutes=30))
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    with app.app_context():
        tasks.tidy_transfers.call_local()
    with app.app_context():
        assert db.session.get(DataExport, job_id).status == "done"


def test_unconfirmed_uploads_are_removed_after_a_day(app, user, auth_client):
    from manifest.models import DataImport
    from manifest.transfer import imports, store
    from tests.transfer.helpers import upload, uploaded_job

    job_id = uploaded_job(upload(auth_client, ("habitbull.csv", (LOOP_DIR / "habitbull.csv").read_bytes())))
    with app.app_context():
        imports.preview(job_id)
        row = db.session.get(DataImport, job_id)
        assert store.exists("imports", f"{row.upload_name}/0")
        row.updated_at = datetime.now(UTC) - timedelta(days=2)
        db.session.commit()
        assert imports.remove_unconfirmed() == 1
        row = db.session.get(DataImport, job_id)
        assert row.status == "cancelled" and not store.exists("imports", f"{row.upload_name}/0")


def test_deleting_the_account_removes_its_export_archive(app, user, auth_client, immediate_jobs):
    from manifest.transfer import store
    from tests.conftest import PASSWORD

    auth_client.post("/settings/data/export")
    with app.app_context():
        name = db.session.scalars(sa.select(DataExport.file_name)).one()
        assert store.exists("exports", name)
    assert auth_client.post("/settings/delete", data={"password": PASSWORD}).status_code == 303
    with app.app_context():
        assert not store.exists("exports", name)
