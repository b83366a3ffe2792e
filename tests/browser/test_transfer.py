"""Your data in a real browser: an export's progress bar reaching 100 % and its download, and a
Loop import's dry run, go-ahead and habits on Today, all without a page reload."""

import re
import threading
import zipfile

import sqlalchemy as sa
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import DataExport, DataImport, Habit
from manifest.transfer import exports, imports
from tests.transfer.conftest import loop_zip


def _only(app, model):
    with app.app_context():
        return db.session.scalars(sa.select(model.id)).one()


def _run_later(app, work, job_id, delay: float = 0.5) -> threading.Thread:
    """The worker's part, done from here after the page has shown the waiting state."""
    def run():
        with app.app_context():
            work(job_id)
    thread = threading.Timer(delay, run)
    thread.start()
    return thread


def test_export_progress_reaches_100_and_the_archive_downloads(page, app, user, log_in, tmp_path):
    with app.app_context():
        db.session.add(Habit(user_id=user["id"], name="Stretch"))
        db.session.commit()
    log_in(page, user["username"])
    page.goto("/settings/data")
    page.evaluate("window.__marker = 1")
    page.get_by_role("button", name="Export everything").click()

    progress = page.get_by_label(re.compile(r"^Building your export"))
    expect(progress).to_be_visible()
    worker = _run_later(app, exports.run, _only(app, DataExport))
    expect(page.get_by_label("Export built: 100 %")).to_have_attribute("value", "100")
    worker.join()
    assert page.evaluate("window.__marker") == 1, "the page reloaded"

    with page.expect_download() as download:
        page.get_by_role("link", name="Download your export").click()
    path = tmp_path / "export.zip"
    download.value.save_as(path)
    assert download.value.suggested_filename.startswith("lets-manifest-export-")
    with zipfile.ZipFile(path) as archive:
        assert "manifest.json" in archive.namelist()
        assert b'"Stretch"' in archive.read("habits.json")


def test_loop_import_dry_run_then_import_then_the_habits_are_on_today(page, app, user, log_in, tmp_path):
    archive = tmp_path / "Loop Habits CSV 2015-01-25.zip"
    archive.write_bytes(loop_zip())
    log_in(page, user["username"])
    page.goto("/settings/data")
    page.get_by_label("File to import").set_input_files(str(archive))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name=re.compile("Import “Loop Habits CSV"))).to_be_visible()
    expect(page.get_by_label("Reading the file…")).to_be_visible()
    page.evaluate("window.__marker = 1")
    job_id = _only(app, DataImport)
    _run_later(app, imports.preview, job_id).join()
    expect(page.locator("#import-summary")).to_have_text(re.compile(r"Will add 2 habits, 9 check-ins\."))

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_label(re.compile(r"^Importing…"))).to_be_visible()
    _run_later(app, imports.run, job_id).join()
    expect(page.locator("#import-result")).to_have_text(re.compile(r"Added 2 habits, 9 check-ins\."))
    assert page.evaluate("window.__marker") == 1, "the page reloaded"

    page.get_by_role("link", name="Go to Today").click()
    expect(page.get_by_text("Wake up early")).to_be_visible()
    expect(page.get_by_text("Meditate")).to_be_visible()
