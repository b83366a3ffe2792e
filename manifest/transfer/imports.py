"""Import jobs: an upload checked on the spot, a dry run by the worker, the user's go-ahead, then the
import by the worker in one transaction, which the user may cancel until it commits."""

from __future__ import annotations

import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from manifest.extensions import db
from manifest.forms import FieldError
from manifest.media.logic import human_size
from manifest.models import DataImport, User
from manifest.models.transfer import LABEL_SEPARATOR
from manifest.transfer import readers, restore, store
from manifest.transfer.bundle import Unreadable
from manifest.transfer.progress import Reporter

OPEN = ("uploaded", "ready", "queued", "running")
CANCELLABLE = OPEN
# A job not heard from for this long was left by a stopped worker and is taken up again.
STALLED_AFTER = timedelta(minutes=10)
# A dry run shows it is alive by touching its job's updated_at this often (at most).
HEARTBEAT_SECONDS = 30
# Uploads nobody confirmed are removed after this long.
UNCONFIRMED_FOR = timedelta(days=1)
MAX_FILES_PER_UPLOAD = 5


class Upload:
    def __init__(self, name: str, stream):
        self.name, self.stream = name, stream


def _labels(job: DataImport) -> list[str]:
    return job.labels


@contextmanager
def _files(job: DataImport) -> Iterator[list[tuple[Path, str]]]:
    """The uploaded files as local paths with the names they were sent with."""
    with ExitStack() as stack:
        yield [(stack.enter_context(store.local_copy("imports", f"{job.upload_name}/{n}")), label)
               for n, label in enumerate(_labels(job))]


def clean_label(name: str | None) -> str:
    """A file's name as sent, for showing only: no folders, no control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).replace(" + ", " ").strip()
    return name[:48] or "upload"  # five of them fit the label column


def distinct_labels(labels: list[str]) -> list[str]:
    """The labels, a repeated one numbered ("Habits.csv (2)"): the files are told apart by them."""
    seen: set[str] = set()
    out = []
    for label in labels:
        candidate, n = label, 1
        while candidate in seen:
            n += 1
            candidate = f"{label[:48 - len(f' ({n})')]} ({n})"
        seen.add(candidate)
        out.append(candidate)
    return out


def limits() -> readers.Limits:
    config = current_app.config
    return readers.Limits(config["IMPORT_MAX_UNPACKED_BYTES"], config["IMPORT_MAX_FILES"])


def units(user: User) -> readers.Units:
    return readers.Units(user.weight_unit, user.distance_unit)


def max_bytes() -> int:
    return current_app.config["IMPORT_MAX_BYTES"]


def receive(user: User, uploads: list[Upload]) -> DataImport:
    """Store the upload and check it; FieldError (nothing kept) when it cannot be imported."""
    uploads = [u for u in uploads if u.name]
    if not uploads:
        raise FieldError("Choose a file to import.", "files")
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise FieldError(f"Send at most {MAX_FILES_PER_UPLOAD} files at once.", "files")
    folder_name = uuid.uuid4().hex
    folder = store.working_folder("imports") / folder_name
    folder.mkdir()
    try:
        total = 0
        files = []
        for n, upload in enumerate(uploads):
            path = folder / str(n)
            with path.open("wb") as out:
                total += _copy_limited(upload.stream, out, max_bytes() - total)
            files.append((path, clean_label(upload.name)))
        files = list(zip([p for p, _ in files], distinct_labels([label for _, label in files]), strict=True))
        source = readers.inspect(files, limits(), units(user))
        for n, (path, _) in enumerate(files):
            store.put("imports", f"{folder_name}/{n}", path)
    except Unreadable as error:
        raise FieldError(str(error), "files") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    job = DataImport(user_id=user.id, status="uploaded", source=source, upload_name=folder_name,
                     label=LABEL_SEPARATOR.join(label for _, label in files), file_size=total)
    db.session.add(job)
    db.session.commit()
    return job


class TooLarge(FieldError):
    pass


def too_large_message() -> str:
    return (f"The upload is larger than the {human_size(max_bytes())} an import may be; nothing was imported. "
            "Send one app's export at a time, or ask the administrator to raise IMPORT_MAX_BYTES.")


def reload(job: DataImport) -> DataImport:
    db.session.refresh(job)
    return job


def _copy_limited(source, out, allowed: int) -> int:
    written = 0
    while chunk := source.read(1024 * 1024):
        written += len(chunk)
        if written > allowed:
            raise TooLarge(too_large_message(), "files")
        out.write(chunk)
    return written


def latest(user: User, limit: int = 5) -> list[DataImport]:
    return list(db.session.scalars(
        sa.select(DataImport).where(DataImport.user_id == user.id).order_by(DataImport.created_at.desc()).limit(limit)
    ))


def _set(job_id: uuid.UUID, where_status: tuple[str, ...], **values) -> bool:
    changed = db.session.execute(
        sa.update(DataImport).where(DataImport.id == job_id, DataImport.status.in_(where_status))
        .values(updated_at=sa.func.now(), **values)
    ).rowcount
    db.session.commit()
    return changed == 1


def _load(job_id: uuid.UUID) -> tuple[DataImport, User]:
    job = db.session.get(DataImport, job_id)
    return job, db.session.get(User, job.user_id)


def _claim_preview(job_id: uuid.UUID) -> bool:
    """Take the dry run of an upload, so a second worker given the same job (the periodic tidy-up
    enqueues uploads still waiting) leaves it alone. An upload is free while no preview has touched
    it since it was stored (updated_at = created_at), or when the one that did has not been heard
    from for STALLED_AFTER (its worker stopped). The claim sets updated_at, and the dry run keeps
    it fresh."""
    now = datetime.now(UTC)
    claimed = db.session.execute(
        sa.update(DataImport).where(
            DataImport.id == job_id, DataImport.status == "uploaded",
            sa.or_(DataImport.updated_at == DataImport.created_at, DataImport.updated_at < now - STALLED_AFTER))
        .values(updated_at=now).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


class _Heartbeat:
    """The dry run's progress callback: the job's updated_at touched every HEARTBEAT_SECONDS, on a
    connection of its own (the dry run's transaction stays open until its rollback)."""

    def __init__(self, job_id: uuid.UUID):
        self.reporter = Reporter(DataImport.__table__, job_id, inside_transaction=True)
        self._last = time.monotonic()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if self.reporter.enabled and now - self._last >= HEARTBEAT_SECONDS:
            self._last = now
            self.reporter.set()


def preview(job_id: uuid.UUID) -> None:
    """The dry run: everything the import would do, then rolled back. Idempotent: a job is claimed
    before any work, and a second call while a dry run is alive returns at once."""
    job = db.session.get(DataImport, job_id)
    if job is None or job.status != "uploaded" or not _claim_preview(job_id):
        return
    job, user = _load(job_id)
    try:
        with _files(job) as files, readers.read(files, limits(), units(user)) as bundle:
            outcome = restore.restore(user, bundle, dry_run=True, progress=_Heartbeat(job_id))
    except Unreadable as error:
        db.session.rollback()
        _set(job_id, ("uploaded",), status="refused", error=str(error)[:500])
        _remove_upload(job_id)
        return
    except Exception:
        db.session.rollback()
        current_app.logger.exception("preview of import %s failed", job_id)
        _set(job_id, ("uploaded",), status="failed", error="The file could not be read on an unexpected error.")
        _remove_upload(job_id)
        return
    _set(job_id, ("uploaded",), status="ready", preview=outcome.as_dict(), total_units=bundle.row_count)


def confirm(job: DataImport) -> bool:
    """The user's go-ahead; a second one changes nothing."""
    return _set(job.id, ("ready",), status="queued", done_units=0)


def cancellable_while_running() -> bool:
    """SQLite takes one writer at a time: a running import holds it until its commit, so a cancel
    could not be written before the end. PostgreSQL takes it at once."""
    return db.engine.dialect.name != "sqlite"


def cancel(job: DataImport) -> bool:
    return _set(job.id, CANCELLABLE, status="cancelled")


def run(job_id: uuid.UUID) -> None:
    """The import, in one transaction. Only a queued job runs, once."""
    if not _set(job_id, ("queued",), status="running"):
        return
    job, user = _load(job_id)
    reporter = Reporter(DataImport.__table__, job_id, inside_transaction=True)

    def finish(outcome: restore.Outcome) -> bool:
        # In the import's own transaction: a cancel that came first wins, one that comes after finds it done.
        return db.session.execute(
            sa.update(DataImport).where(DataImport.id == job_id, DataImport.status == "running")
            .values(status="done", result=outcome.as_dict(), done_units=job.total_units, updated_at=sa.func.now())
        ).rowcount == 1

    try:
        with _files(job) as files, readers.read(files, limits(), units(user)) as bundle:
            restore.restore(user, bundle, dry_run=False, progress=reporter,
                            cancelled=lambda: reporter.status() != "running", before_commit=finish)
    except restore.Cancelled:
        db.session.rollback()
    except Unreadable as error:
        db.session.rollback()
        _set(job_id, ("running",), status="refused", error=str(error)[:500])
    except Exception:
        db.session.rollback()
        current_app.logger.exception("import %s failed", job_id)
        _set(job_id, ("running",), status="failed",
             error="The import stopped on an unexpected error; nothing was imported.")
    _remove_upload(job_id)


def _remove_upload(job_id: uuid.UUID) -> None:
    job = db.session.get(DataImport, job_id)
    if job is not None and job.upload_name:
        for n in range(len(_labels(job))):
            store.delete("imports", f"{job.upload_name}/{n}")


def stalled(now: datetime | None = None) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Jobs a stopped worker left: (uploads to preview, imports to run), put back in the queue."""
    now = now or datetime.now(UTC)
    db.session.execute(
        sa.update(DataImport).where(DataImport.status == "running", DataImport.updated_at < now - STALLED_AFTER)
        .values(status="queued", updated_at=sa.func.now())
    )
    old = now - timedelta(minutes=1)
    # An upload waits for its dry run: one never begun (its task was lost), or one whose worker
    # stopped (not heard from for STALLED_AFTER). One still alive is left to finish.
    waiting_upload = sa.and_(DataImport.status == "uploaded", DataImport.updated_at < old, sa.or_(
        DataImport.updated_at == DataImport.created_at, DataImport.updated_at < now - STALLED_AFTER))
    waiting = db.session.execute(
        sa.select(DataImport.id, DataImport.status).where(sa.or_(
            waiting_upload, sa.and_(DataImport.status == "queued", DataImport.updated_at < old)))
    ).all()
    db.session.commit()
    return [i for i, s in waiting if s == "uploaded"], [i for i, s in waiting if s == "queued"]


def remove_unconfirmed(now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    ids = list(db.session.scalars(sa.select(DataImport.id).where(
        DataImport.status.in_(("ready", "cancelled", "refused")), DataImport.updated_at < now - UNCONFIRMED_FOR)))
    for job_id in ids:
        _remove_upload(job_id)
    _set_many(ids)
    return len(ids)


def _set_many(ids) -> None:
    if ids:
        db.session.execute(sa.update(DataImport).where(DataImport.id.in_(ids), DataImport.status == "ready")
                           .values(status="cancelled", updated_at=sa.func.now()))
        db.session.commit()
