"""Driving an import the way a user does: upload, read the dry run, confirm."""

import io
import re
import uuid

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import DataImport, ImportedRow
from manifest.transfer.format import AREAS
from tests.conftest import HX

IMPORT_URL = re.compile(r"/settings/data/imports/([0-9a-f-]{36})")


def upload(client, *files: tuple[str, bytes], headers=None):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/settings/data/import", data=data, content_type="multipart/form-data",
                       headers=headers or {})


def uploaded_job(response) -> uuid.UUID:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return uuid.UUID(IMPORT_URL.search(response.headers["Location"]).group(1))


def job(app, job_id) -> DataImport:
    with app.app_context():
        row = db.session.get(DataImport, job_id)
        db.session.expunge(row)
        return row


def table_counts(app) -> dict[str, int]:
    """Rows in every table an import writes to (and its records), whoever owns them."""
    with app.app_context():
        tables = [area.table for area in AREAS] + [ImportedRow.__table__]
        return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables}


def import_file(app, client, *files: tuple[str, bytes]) -> DataImport:
    """Upload, check the dry run is ready and changed nothing, confirm; jobs must run inline
    (immediate_jobs)."""
    before = table_counts(app)
    job_id = uploaded_job(upload(client, *files))
    preview = job(app, job_id)
    assert preview.status == "ready", (preview.status, preview.error)
    assert table_counts(app) == before, "the dry run wrote rows"
    response = client.post(f"/settings/data/imports/{job_id}/confirm", headers=HX)
    assert response.status_code == 200
    done = job(app, job_id)
    assert done.status == "done", (done.status, done.error)
    return done


def all_jobs(app) -> list[DataImport]:
    with app.app_context():
        rows = db.session.scalars(sa.select(DataImport)).all()
        db.session.expunge_all()
        return rows
