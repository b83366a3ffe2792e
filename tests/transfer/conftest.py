"""Fixtures for exports and imports: jobs run inline, archives read back, rows counted, and the
fixture files of other apps."""

import io
import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from manifest import jobs
from manifest.extensions import db

ROOT = Path(__file__).resolve().parents[2]
LOOP_DIR = ROOT / "tests" / "fixtures" / "loop"
HERE = Path(__file__).resolve().parent / "files"


@pytest.fixture
def immediate_jobs():
    """Tasks run inline, in the caller, as soon as they are enqueued."""
    jobs.huey.immediate = True
    try:
        yield jobs.huey
    finally:
        jobs.huey.immediate = False


def read_archive(data: bytes) -> dict:
    """An export archive: name -> parsed JSON, CSV text or bytes."""
    contents = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            raw = archive.read(name)
            if name.endswith(".json"):
                contents[name] = json.loads(raw)
            elif name.endswith(".csv"):
                contents[name] = raw.decode("utf-8")
            else:
                contents[name] = raw
    return contents


def count_rows(app, model, **where) -> int:
    with app.app_context():
        statement = sa.select(sa.func.count()).select_from(model)
        for column, value in where.items():
            statement = statement.where(getattr(model, column) == value)
        return db.session.scalar(statement)


def zip_of(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def loop_zip() -> bytes:
    base = LOOP_DIR / "csv_export"
    return zip_of({str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*.csv"))})
