"""Export jobs: started by the user, built by the worker, downloaded by their owner until they expire."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from manifest.extensions import db
from manifest.models import DataExport, User
from manifest.transfer import export, store
from manifest.transfer.progress import Reporter
from manifest.transfer.values import as_utc

ACTIVE = ("queued", "running")
# A running export not heard from for this long was left by a stopped worker: it is started again.
STALLED_AFTER = timedelta(minutes=10)


def ttl() -> timedelta:
    return timedelta(hours=current_app.config["EXPORT_TTL_HOURS"])


def latest(user: User) -> DataExport | None:
    return db.session.scalars(
        sa.select(DataExport).where(DataExport.user_id == user.id).order_by(DataExport.created_at.desc()).limit(1)
    ).first()


def start(user: User) -> tuple[DataExport, bool]:
    """A new export, or the one already under way (a second click starts nothing). True when new."""
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    running = db.session.scalars(
        sa.select(DataExport).where(DataExport.user_id == user.id, DataExport.status.in_(ACTIVE))
    ).first()
    if running is not None:
        db.session.commit()
        return running, False
    job = DataExport(user_id=user.id, status="queued")
    db.session.add(job)
    db.session.commit()
    return job, True


def _claim(export_id: uuid.UUID) -> bool:
    """Take a queued export for this run; False when another run has it or it is finished."""
    claimed = db.session.execute(
        sa.update(DataExport).where(DataExport.id == export_id, DataExport.status == "queued")
        .values(status="running", updated_at=sa.func.now())
    ).rowcount
    db.session.commit()
    return claimed == 1


def run(export_id: uuid.UUID) -> None:
    """Build the archive of one export. Idempotent: only a queued export is built, once."""
    if not _claim(export_id):
        return
    job = db.session.get(DataExport, export_id)
    user = db.session.get(User, job.user_id)
    reporter = Reporter(DataExport.__table__, export_id)
    name = f"{uuid.uuid4().hex}.zip"
    partial = store.working_folder("exports") / f"{name}.part"
    try:
        counts, media_bytes = export.plan(user)
        total = sum(counts.values()) + media_bytes
        reporter.set(total_units=total, done_units=0)
        db.session.rollback()  # nothing of ours is pending; end the read so nothing holds a lock
        export.write_archive(user, partial, reporter)
        size = partial.stat().st_size
        store.put("exports", name, partial)
    except Exception as error:
        partial.unlink(missing_ok=True)
        db.session.rollback()
        current_app.logger.exception("export %s failed", export_id)
        reporter.set(status="failed", error=f"The export could not be built ({type(error).__name__}).")
        return
    reporter.set(status="done", file_name=name, file_size=size,
                 done_units=total,
                 expires_at=datetime.now(UTC) + ttl())
    db.session.expire_all()


def is_expired(job: DataExport, now: datetime | None = None) -> bool:
    return job.expires_at is not None and as_utc(job.expires_at) <= (now or datetime.now(UTC))


def downloadable(job: DataExport) -> bool:
    """Whether the export is built, not expired, and its archive is there."""
    return job.status == "done" and bool(job.file_name) and not is_expired(job) and store.exists(
        "exports", job.file_name)


def archive_chunks(job: DataExport):
    return store.chunks("exports", job.file_name)


def download_name(job: DataExport) -> str:
    return f"lets-manifest-export-{as_utc(job.created_at):%Y-%m-%d}.zip"


def stalled(now: datetime | None = None) -> list[uuid.UUID]:
    """Exports a stopped worker left behind, put back in the queue; returns the ids to enqueue."""
    now = now or datetime.now(UTC)
    db.session.execute(
        sa.update(DataExport).where(DataExport.status == "running", DataExport.updated_at < now - STALLED_AFTER)
        .values(status="queued", done_units=0, updated_at=sa.func.now())
    )
    ids = list(db.session.scalars(
        sa.select(DataExport.id).where(DataExport.status == "queued", DataExport.created_at < now - timedelta(minutes=1))
    ))
    db.session.commit()
    return ids


def remove_expired(now: datetime | None = None) -> int:
    """Delete the archives of expired exports (the rows stay, saying they expired)."""
    now = now or datetime.now(UTC)
    jobs = db.session.scalars(
        sa.select(DataExport).where(DataExport.file_name.is_not(None), DataExport.expires_at <= now)
    ).all()
    for job in jobs:
        store.delete("exports", job.file_name)
        job.file_name = None
    db.session.commit()
    return len(jobs)
