"""Writing an account into one ZIP archive (docs/export-format.md), with flat memory: rows are read
in batches and written straight into the archive's entries, attachments are copied in chunks."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from manifest.extensions import db
from manifest.media.storage import get_storage
from manifest.models import Media, User
from manifest.transfer import queries
from manifest.transfer.format import (
    ACCOUNT_FIELDS,
    AREAS,
    ATTACHMENTS_DIR,
    FORMAT_NAME,
    FORMAT_VERSION,
    Area,
)
from manifest.transfer.values import to_csv, to_json

# Storage keys say where our own copy lives; the archive carries the files themselves instead.
HIDDEN_COLUMNS = {"media": ("file_path", "thumbnail_path")}
COPY_CHUNK = 1024 * 1024

Progress = Callable[[int], None]


def app_version() -> str:
    return os.environ.get("APP_VERSION") or "unversioned"


def schema_revision() -> str | None:
    try:
        return db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    except sa.exc.DatabaseError:
        db.session.rollback()
        return None


def plan(user: User) -> tuple[dict[str, int], int]:
    """Rows per area and attachment bytes: what the progress bar counts to."""
    counts = {area.name: queries.count(area, user.id) for area in AREAS}
    media_bytes = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Media.file_size), 0)).where(Media.user_id == user.id)
    ) or 0
    return counts, int(media_bytes)


def export_columns(area: Area) -> list[str]:
    hidden = HIDDEN_COLUMNS.get(area.name, ())
    names = [c.name for c in area.columns if c.name not in hidden]
    if area.name == "media":
        names += ["file", "thumbnail"]
    if area.name in queries.AREA_TYPES:
        names.append("tags")
    return names


def attachment_name(media_id, key: str | None, suffix: str = "") -> str | None:
    if not key:
        return None
    return f"{ATTACHMENTS_DIR}/{media_id}{suffix}.{key.rsplit('.', 1)[-1]}"


def _records(area: Area, rows) -> list[dict]:
    tags = queries.tag_names(area, [r.id for r in rows]) if area.name in queries.AREA_TYPES else None
    hidden = HIDDEN_COLUMNS.get(area.name, ())
    records = []
    for row in rows:
        record = {k: v for k, v in row._mapping.items() if k not in hidden}
        if area.name == "media":
            record["file"] = attachment_name(row.id, row.file_path)
            record["thumbnail"] = attachment_name(row.id, row.thumbnail_path, "-thumb")
        if tags is not None:
            record["tags"] = tags.get(row.id, [])
        records.append(record)
    return records


def _account(user: User) -> dict:
    return {"id": str(user.id), **{name: to_json(getattr(user, name)) for name in ACCOUNT_FIELDS}}


def write_archive(user: User, target: Path, progress: Progress = lambda done: None,
                  now: datetime | None = None) -> dict[str, int]:
    """Write the user's whole account to ``target``; returns the rows per area."""
    now = now or datetime.now(UTC)
    counts: dict[str, int] = {}
    done = 0
    storage = get_storage()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for area in AREAS:
            written = 0
            columns = export_columns(area)
            # The CSV waits in a temporary file: an archive takes one entry at a time.
            with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
                table = csv.writer(spool)
                table.writerow(columns)
                with archive.open(f"{area.name}.json", "w", force_zip64=True) as raw:
                    out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                    out.write("[")
                    for rows in queries.batches(area, user.id):
                        for record in _records(area, rows):
                            out.write(",\n" if written else "\n")
                            out.write(json.dumps({k: to_json(v) for k, v in record.items()},
                                                 ensure_ascii=False, sort_keys=False))
                            table.writerow([to_csv(record.get(c)) for c in columns])
                            written += 1
                        done += len(rows)
                        progress(done)
                    out.write("\n]\n" if written else "]\n")
                    out.flush()
                    out.detach()
                spool.seek(0)
                with archive.open(f"{area.name}.csv", "w", force_zip64=True) as raw:
                    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                    shutil.copyfileobj(spool, out, COPY_CHUNK)
                    out.flush()
                    out.detach()
            counts[area.name] = written
        done = _copy_attachments(archive, user, storage, done, progress)
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "exported_at": now.isoformat(),
            "app_version": app_version(),
            "schema_revision": schema_revision(),
            "account": _account(user),
            "counts": counts,
            "files": [f"{area.name}.json" for area in AREAS] + [f"{area.name}.csv" for area in AREAS],
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return counts


def _copy_attachments(archive: zipfile.ZipFile, user: User, storage, done: int, progress: Progress) -> int:
    """Each attachment's file (and thumbnail) into attachments/, read in chunks from storage."""
    media = Media.__table__.c
    last = None
    while True:
        statement = (sa.select(media.id, media.file_path, media.thumbnail_path, media.file_size)
                     .where(media.user_id == user.id).order_by(media.id).limit(queries.BATCH))
        if last is not None:
            statement = statement.where(media.id > last)
        rows = db.session.execute(statement).all()
        for row in rows:
            for key, name in ((row.file_path, attachment_name(row.id, row.file_path)),
                              (row.thumbnail_path, attachment_name(row.id, row.thumbnail_path, "-thumb"))):
                if not key:
                    continue
                try:
                    source = storage.open(key)
                except FileNotFoundError:
                    continue  # a file lost from storage: its row says so by a missing entry
                with source, archive.open(name, "w", force_zip64=True) as out:
                    shutil.copyfileobj(source, out, COPY_CHUNK)
            done += row.file_size or 0
            progress(done)
        if len(rows) < queries.BATCH:
            return done
        last = rows[-1].id
