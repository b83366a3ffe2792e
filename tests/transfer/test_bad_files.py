"""Files that cannot be imported get a clear answer on the form, never a 500, and change nothing."""

import io
import json
import zipfile

import pytest

from tests.conftest import HX
from tests.transfer.conftest import LOOP_DIR, zip_of
from tests.transfer.helpers import all_jobs, import_file, table_counts, upload

HABITBULL = (LOOP_DIR / "habitbull.csv").read_bytes()


def _refused(app, client, *files, status=422, htmx=False) -> str:
    before = table_counts(app)
    response = upload(client, *files, headers=HX if htmx else None)
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    assert table_counts(app) == before
    assert all_jobs(app) == []
    body = response.get_data(as_text=True)
    assert 'id="import-form"' in body
    return body


def _own_export(**manifest) -> dict:
    return {"manifest.json": json.dumps({"format": "lets-manifest-export", "format_version": 1, **manifest})}


@pytest.mark.parametrize(("files", "message"), [
    ([("notes.zip", b"PK\x03\x04 this is not really a zip")], "not a ZIP archive that can be opened"),
    ([("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")], "is not UTF-8 text"),
    ([("empty.csv", b"")], "The file is empty."),
    ([("list.csv", b"name,amount\nbread,2\n")], "not one this app can import"),
    ([("habitbull.csv", "HabitName,HabitDescription,HabitCategory,CalendarDate,Value,CommentText\n"
                        "Caf\xe9,,,2022-01-01,1,\n".encode("latin-1"))], "habitbull.csv is not UTF-8 text"),
    ([("strong.csv", b"Date,Workout Name,Exercise Name,Set Order,Weight\n2024-01-01 08:00:00,A,B,1,10\n")],
     "strong.csv has no Reps column"),
    ([("Habits.csv", b"Position,Name,Question\n001,Read,Did you read?\n")],
     "Habits.csv has no FrequencyNumerator or NumRepetitions column"),
    ([("export.zip", zip_of(_own_export(format_version=2)))],
     "uses format version 2, made by a newer Let&#39;s Manifest"),
    ([("export.zip", zip_of({"manifest.json": "{not json"}))], "manifest.json is not valid JSON"),
    ([("other.zip", zip_of({"readme.txt": "hello"}))], "This ZIP archive is not one this app can import"),
    ([("evil.zip", zip_of({"../../etc/cron.d/evil": "x", "manifest.json": "{}"}))], "names a file outside itself"),
    ([("evil.zip", zip_of({"/etc/passwd": "x"}))], "names a file outside itself"),
    ([("evil.zip", zip_of({"C:\\Windows\\x.csv": "x"}))], "names a file outside itself"),
])
def test_a_file_that_cannot_be_imported_is_refused_on_the_form(app, user, auth_client, files, message):
    assert message in _refused(app, auth_client, *files)


def test_htmx_gets_the_form_back_with_the_message(app, user, auth_client):
    body = _refused(app, auth_client, ("x.zip", b"PK\x03\x04broken"), htmx=True)
    assert body.lstrip().startswith("<form") and "not a ZIP archive" in body


def test_no_file_chosen(app, user, auth_client):
    response = auth_client.post("/settings/data/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a file to import." in response.get_data(as_text=True)


def test_a_zip_bomb_is_refused_by_its_unpacked_size(app, user, auth_client, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_UNPACKED_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Habits.csv", b"0" * (5 * 1024 * 1024))  # 5 MB of zeros, a few KB packed
    assert len(buffer.getvalue()) < 50_000
    body = _refused(app, auth_client, ("bomb.zip", buffer.getvalue()))
    assert "would unpack to 5.0 MB; at most 1.0 MB is accepted" in body


def test_an_archive_with_too_many_files_is_refused(app, user, auth_client, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_FILES", 10)
    body = _refused(app, auth_client, ("many.zip", zip_of({f"{n}.csv": "x" for n in range(11)})))
    assert "holds 11 files; at most 10 are accepted" in body


def test_a_file_over_the_size_limit_is_refused_unread(app, user, auth_client, monkeypatch):
    # The same check that refuses a 200 MB upload against the default 100 MB, at a smaller scale.
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 4096)
    body = _refused(app, auth_client, ("big.csv", HABITBULL + b"x" * 300_000), status=413)
    assert "larger than the 4.0 KB an import may be; nothing was imported" in body
    # Under the request limit but over the import limit, by the stored bytes.
    body = _refused(app, auth_client, ("big.csv", HABITBULL * 4), status=413)
    assert "an import may be" in body


def test_a_byte_order_mark_is_not_a_problem(app, user, auth_client, immediate_jobs):
    job = import_file(app, auth_client, ("habitbull.csv", b"\xef\xbb\xbf" + HABITBULL))
    assert job.result["added"] == {"habits": 4, "habit_entries": 14}


def test_impossible_rows_are_listed_by_file_and_line_and_the_rest_is_previewed(
        app, user, auth_client, immediate_jobs):
    lines = [
        "[",
        '{"id": "5d0a7f0e-0000-4000-8000-000000000001", "review_date": "2025-01-01", "mood_rating": 7},',
        '{"id": "5d0a7f0e-0000-4000-8000-000000000002", "review_date": "2025-01-02", "mood_rating": 11},',
        '{"id": "5d0a7f0e-0000-4000-8000-000000000003", "review_date": "not a day"},',
        '{"id": "5d0a7f0e-0000-4000-8000-000000000004", "review_date": "2025-01-04", "steps": 12000}',
        "]",
    ]
    reviews = "\n".join(lines)
    archive = zip_of({**_own_export(account={"id": "5d0a7f0e-0000-4000-8000-0000000000ff"}),
                      "daily_reviews.json": reviews})
    job = import_file(app, auth_client, ("export.zip", archive))
    assert job.result["added"] == {"daily_reviews": 2}
    assert job.result["problems"] == [
        "daily_reviews.json line 4: review_date: not a valid date: 'not a day'",
        "daily_reviews.json line 3: a value is out of range (mood rating range)",
    ]
