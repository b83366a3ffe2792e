"""The names an upload's files were sent with come back as many as were sent, each its own,
whatever they hold (" + ", leading or trailing "+", the same name twice)."""

from manifest.models import DataImport
from manifest.transfer import imports
from tests.transfer.conftest import LOOP_DIR
from tests.transfer.helpers import job, upload, uploaded_job

EXPORT = LOOP_DIR / "csv_export"


def test_names_with_plus_signs_split_back_into_their_files(app, user, auth_client):
    habits, grid = (EXPORT / "Habits.csv").read_bytes(), (EXPORT / "Checkmarks.csv").read_bytes()
    job_id = uploaded_job(upload(auth_client, ("a +", habits), ("+ b", grid)))
    row = job(app, job_id)
    assert row.labels == ["a +", "+ b"]
    assert row.shown_label == "a + + + b"


def test_the_same_name_twice_keeps_both_files(app, user, auth_client, immediate_jobs):
    habits, grid = (EXPORT / "Habits.csv").read_bytes(), (EXPORT / "Checkmarks.csv").read_bytes()
    job_id = uploaded_job(upload(auth_client, ("export.csv", habits), ("export.csv", grid)))
    row = job(app, job_id)
    assert row.labels == ["export.csv", "export.csv (2)"]
    assert row.status == "ready", row.error
    assert row.preview["added"]["habit_entries"] > 0  # the grid was read, not overwritten by Habits.csv


def test_labels_stored_before_the_separator_still_split():
    assert DataImport(label="Habits.csv + Checkmarks.csv").labels == ["Habits.csv", "Checkmarks.csv"]
    assert imports.distinct_labels(["x" * 48, "x" * 48]) == ["x" * 48, "x" * 44 + " (2)"]
