"""One dry run per upload: the periodic tidy-up enqueues uploads still waiting, and a second dry run
of a job whose first one still runs must leave it alone (it used to fail the job and remove its
upload). The dry run does not hold the user's row either."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import DataImport, User
from manifest.transfer import imports, restore, store
from tests.transfer.conftest import LOOP_DIR
from tests.transfer.helpers import job, upload, uploaded_job

HABITBULL = ("habitbull.csv", (LOOP_DIR / "habitbull.csv").read_bytes())


def needs_postgres(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite serialises every writer")


def upload_kept(app, job_id) -> bool:
    with app.app_context():
        row = db.session.get(DataImport, job_id)
        return store.exists("imports", f"{row.upload_name}/0")


def set_times(app, job_id, *, created: datetime, updated: datetime) -> None:
    with app.app_context():
        db.session.execute(sa.update(DataImport).where(DataImport.id == job_id)
                           .values(created_at=created, updated_at=updated))
        db.session.commit()


def test_a_second_dry_run_while_the_first_runs_leaves_the_job_alone(app, user, auth_client, monkeypatch):
    needs_postgres(app)
    job_id = uploaded_job(upload(auth_client, HABITBULL))
    real_check = restore.Restorer._check_quota
    second: list = []

    def check_quota(self):
        # The first dry run is under way: the tidy-up's copy of the task starts on another thread.
        if not second:
            def again():
                with app.app_context():
                    imports.preview(job_id)
                    second.append(job(app, job_id).status)

            second.append("started")
            thread = threading.Thread(target=again)
            thread.start()
            thread.join(timeout=30)
            assert not thread.is_alive()
        return real_check(self)

    monkeypatch.setattr(restore.Restorer, "_check_quota", check_quota)
    with app.app_context():
        imports.preview(job_id)
    assert second == ["started", "uploaded"]  # the second one changed nothing
    done = job(app, job_id)
    assert done.status == "ready", (done.status, done.error)
    assert upload_kept(app, job_id)


def test_a_dry_run_claimed_by_a_live_worker_is_not_run_again(app, user, auth_client):
    job_id = uploaded_job(upload(auth_client, HABITBULL))
    now = datetime.now(UTC)
    # Another worker's dry run took the job a minute ago and still reports.
    set_times(app, job_id, created=now - timedelta(minutes=2), updated=now - timedelta(minutes=1))
    with app.app_context():
        imports.preview(job_id)
    assert job(app, job_id).status == "uploaded" and upload_kept(app, job_id)

    # Its worker stopped: not heard from for longer than STALLED_AFTER, the job is taken again.
    set_times(app, job_id, created=now - imports.STALLED_AFTER * 2,
              updated=now - imports.STALLED_AFTER - timedelta(minutes=1))
    with app.app_context():
        imports.preview(job_id)
    assert job(app, job_id).status == "ready"


def test_the_tidy_up_enqueues_only_uploads_no_live_dry_run_holds(app, user, auth_client):
    never_begun, alive, stopped, fresh = (uploaded_job(upload(auth_client, HABITBULL)) for _ in range(4))
    now = datetime.now(UTC)
    long_ago = now - timedelta(hours=1)
    set_times(app, never_begun, created=long_ago, updated=long_ago)
    set_times(app, alive, created=long_ago, updated=now - timedelta(minutes=3))
    set_times(app, stopped, created=long_ago, updated=now - imports.STALLED_AFTER - timedelta(minutes=1))
    with app.app_context():
        uploads, queued = imports.stalled(now)
    assert sorted(uploads) == sorted([never_begun, stopped]) and queued == []
    assert fresh not in uploads


def test_the_dry_run_does_not_hold_the_users_row(app, user, auth_client, monkeypatch):
    needs_postgres(app)
    job_id = uploaded_job(upload(auth_client, HABITBULL))
    real_check = restore.Restorer._check_quota
    signed_in: list = []

    def check_quota(self):
        # The user signs in while the dry run is under way: the sign-in writes last_login_at.
        with db.engine.begin() as connection:
            connection.execute(sa.text("SET LOCAL lock_timeout = '1s'"))
            users = User.__table__
            signed_in.append(connection.execute(
                sa.update(users).where(users.c.id == user["id"]).values(last_login_at=sa.func.now())).rowcount)
        return real_check(self)

    monkeypatch.setattr(restore.Restorer, "_check_quota", check_quota)
    with app.app_context():
        imports.preview(job_id)
    assert signed_in == [1]
    assert job(app, job_id).status == "ready"
