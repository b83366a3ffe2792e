"""Real consumers (``huey_consumer manifest.worker.huey``) on Redis build an export and run an import
that the web app queued, with the test database and the test app's folders."""

import os
import subprocess
import sys
import time as clock
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from manifest import jobs
from manifest.extensions import db
from manifest.models import Habit
from tests.conftest import HX
from tests.notifications.conftest import redis_url  # noqa: F401  (a fixture)
from tests.transfer.conftest import ROOT, loop_zip, read_archive
from tests.transfer.helpers import job, upload, uploaded_job


@contextmanager
def queue_on(url: str):
    jobs.use_storage(url, None)
    try:
        yield
    finally:
        jobs.use_storage(None, None)


@pytest.fixture
def consumer(app, tmp_path, redis_url):  # noqa: F811
    log_path = tmp_path / "consumer.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "manifest.worker.huey",
         "--workers", "2", "--worker-type", "thread", "--delay", "0.05", "--max-delay", "0.5"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "APP_ENV": "development", "SECRET_KEY": app.secret_key,
             "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": redis_url,
             "EXPORT_ROOT": app.config["EXPORT_ROOT"], "IMPORT_ROOT": app.config["IMPORT_ROOT"],
             "MEDIA_ROOT": app.config["MEDIA_ROOT"], "PYTHONPATH": str(ROOT)},
    )
    yield lambda: log_path.read_text(errors="replace")[-3000:]
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def wait_until(condition, logs, what: str, timeout: float = 40):
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        value = condition()
        if value:
            return value
        clock.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}:\n{logs()}")


def test_a_consumer_builds_the_export_and_runs_the_import(app, user, auth_client, consumer, redis_url):  # noqa: F811
    with queue_on(redis_url):
        auth_client.post("/settings/data/export")
        def ready_page():
            body = auth_client.get("/settings/data").get_data(as_text=True)
            return "Download your export" in body and body

        page = wait_until(ready_page, consumer, "the export")
        link = page.split('id="export-download" href="')[1].split('"')[0]
        assert read_archive(auth_client.get(link).data)["manifest.json"]["format_version"] == 1

        job_id = uploaded_job(upload(auth_client, ("loop.zip", loop_zip())))
        wait_until(lambda: job(app, job_id).status == "ready", consumer, "the dry run")
        assert "Will add 2 habits, 9 check-ins" in auth_client.get(
            f"/settings/data/imports/{job_id}", headers=HX).get_data(as_text=True)
        auth_client.post(f"/settings/data/imports/{job_id}/confirm")
        wait_until(lambda: job(app, job_id).status == "done", consumer, "the import")
    with app.app_context():
        names = set(db.session.scalars(sa.select(Habit.name).where(Habit.user_id == user["id"])))
    assert names == {"Meditate", "Wake up early"}
