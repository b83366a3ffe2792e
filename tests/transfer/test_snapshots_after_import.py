"""An import reaches the progress snapshots: those of the periods its rows fall in are removed in
one statement, whatever the number of rows, and the next snapshot counts the imported rows."""

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import (
    DailyReview,
    HabitEntry,
    Measurement,
    ProgressSnapshot,
    User,
    Workout,
)
from manifest.progress import logic, services
from manifest.transfer import export
from tests.conftest import HX
from tests.transfer.conftest import HERE, LOOP_DIR, loop_zip
from tests.transfer.helpers import job, upload, uploaded_job

DELETE_SNAPSHOTS = re.compile(r"^\s*DELETE FROM progress_snapshots", re.IGNORECASE)


@contextmanager
def snapshot_deletes(app):
    """The DELETE statements on progress_snapshots sent to the database inside."""
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if DELETE_SNAPSHOTS.match(statement):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)


def _backfill(app, user_id, today: date) -> None:
    with app.app_context():
        services.backfill(db.session.get(User, user_id), today)
        db.session.commit()


def _snapshots(app, user_id) -> dict:
    with app.app_context():
        return {(s.snapshot_type, s.snapshot_date): s for s in db.session.scalars(
            sa.select(ProgressSnapshot).where(ProgressSnapshot.user_id == user_id))}


def _import(app, client, *files) -> list[str]:
    """Upload (the dry run runs and rolls back), confirm; the snapshot deletes of the import itself."""
    job_id = uploaded_job(upload(client, *files))
    assert job(app, job_id).status == "ready"
    with snapshot_deletes(app) as deletes:
        assert client.post(f"/settings/data/imports/{job_id}/confirm", headers=HX).status_code == 200
    assert job(app, job_id).status == "done", job(app, job_id).error
    return deletes


def _month(day: date) -> tuple[str, date]:
    return ("monthly", logic.period("monthly", day).start)


def test_importing_other_apps_files_outdates_their_periods_in_one_statement_each(
        app, user, other_user, auth_client, immediate_jobs, monkeypatch):
    monkeypatch.setattr("manifest.transfer.restore.CHUNK", 5)  # many insert statements per area
    today = date(2026, 12, 1)
    with app.app_context():
        db.session.add_all([
            DailyReview(user_id=user["id"], review_date=date(2014, 6, 2), mood_rating=5),
            Workout(user_id=user["id"], workout_date=date(2023, 1, 20), workout_type="cardio", duration_minutes=20),
            ProgressSnapshot(user_id=other_user["id"], snapshot_type="monthly", snapshot_date=date(2023, 1, 1),
                             total_workouts=9),
        ])
        db.session.commit()
    _backfill(app, user["id"], today)
    before = _snapshots(app, user["id"])
    assert before[_month(date(2023, 1, 20))].total_workouts == 1

    files = [("loop.zip", loop_zip()), ("habitbull.csv", (LOOP_DIR / "habitbull.csv").read_bytes()),
             ("strong.csv", (HERE / "strong_comma.csv").read_bytes())]
    for name, data in files:
        deletes = _import(app, auth_client, (name, data))
        assert len(deletes) == 1, (name, deletes)

    after = _snapshots(app, user["id"])
    # Loop's check-ins start in 2015: the earlier month stays, the ones of the files are gone.
    assert _month(date(2014, 6, 2)) in after
    for day in (date(2015, 1, 20), date(2016, 3, 18), date(2023, 1, 2)):
        assert _month(day) not in after and ("yearly", date(day.year, 1, 1)) not in after, day
    assert len(_snapshots(app, other_user["id"])) == 1  # nobody else's

    _backfill(app, user["id"], today)
    again = _snapshots(app, user["id"])
    with app.app_context():
        workouts = db.session.scalar(sa.select(sa.func.count()).select_from(Workout).where(
            Workout.user_id == user["id"], Workout.workout_date.between(date(2023, 1, 1), date(2023, 1, 31))))
        check_ins = db.session.scalar(sa.select(sa.func.count()).select_from(HabitEntry))
    assert workouts > 1 and again[_month(date(2023, 1, 2))].total_workouts == workouts
    assert check_ins and ("yearly", date(2015, 1, 1)) in again
    assert again[_month(date(2014, 6, 2))].average_daily_mood == Decimal(5)


def test_importing_our_own_export_outdates_the_receivers_snapshots_and_computes_them_again(
        app, user, other_user, auth_client, immediate_jobs, tmp_path, monkeypatch):
    monkeypatch.setattr("manifest.transfer.restore.CHUNK", 5)  # many insert statements per area
    today = date(2026, 12, 1)
    with app.app_context():
        db.session.add_all([
            Measurement(user_id=other_user["id"], measured_on=date(2025, 3, 3 + n), weight=Decimal(80 + n),
                        weight_unit="kg", created_at=datetime(2025, 3, 3 + n, 7, tzinfo=UTC)) for n in range(40 // 2)
        ] + [DailyReview(user_id=other_user["id"], review_date=date(2025, 4, n), mood_rating=8) for n in range(1, 29)])
        # The receiver weighed in that March too, and has its snapshots.
        db.session.add(Measurement(user_id=user["id"], measured_on=date(2025, 3, 1), weight=Decimal(70),
                                   weight_unit="kg"))
        db.session.commit()
    _backfill(app, other_user["id"], today)
    _backfill(app, user["id"], today)
    assert _snapshots(app, user["id"])[_month(date(2025, 3, 1))].weight == Decimal(70)
    with app.app_context():
        export.write_archive(db.session.get(User, other_user["id"]), tmp_path / "export.zip")

    deletes = _import(app, auth_client, ("export.zip", (tmp_path / "export.zip").read_bytes()))
    assert len(deletes) == 1, deletes
    after = _snapshots(app, user["id"])
    # March's snapshot of the receiver's own is gone (the file's weigh-ins change it), and the
    # file's snapshots do not come in: they were summed from the file's rows alone.
    assert _month(date(2025, 3, 1)) not in after and _month(date(2025, 4, 1)) not in after
    _backfill(app, user["id"], today)
    again = _snapshots(app, user["id"])
    assert again[_month(date(2025, 3, 1))].weight == Decimal(99)  # the last weigh-in of the month: the file's
    assert again[_month(date(2025, 4, 1))].average_daily_mood == Decimal(8)


def test_importing_an_export_again_never_brings_back_a_snapshot_it_outdates(
        app, user, auth_client, immediate_jobs, tmp_path):
    """An export taken when last month had one workout, imported after a second was logged: the
    month counts two once computed again, never the file's one."""
    today = date(2026, 12, 1)
    with app.app_context():
        db.session.add(Workout(user_id=user["id"], workout_date=date(2026, 10, 10), workout_type="strength"))
        db.session.commit()
    _backfill(app, user["id"], today)
    assert _snapshots(app, user["id"])[_month(date(2026, 10, 1))].total_workouts == 1
    with app.app_context():
        export.write_archive(db.session.get(User, user["id"]), tmp_path / "export.zip")
        db.session.add(Workout(user_id=user["id"], workout_date=date(2026, 10, 20), workout_type="strength"))
        db.session.commit()
    assert _month(date(2026, 10, 1)) not in _snapshots(app, user["id"])  # the new workout outdated it

    _import(app, auth_client, ("export.zip", (tmp_path / "export.zip").read_bytes()))
    assert _month(date(2026, 10, 1)) not in _snapshots(app, user["id"])
    _backfill(app, user["id"], today)
    assert _snapshots(app, user["id"])[_month(date(2026, 10, 1))].total_workouts == 2
