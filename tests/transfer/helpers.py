"""Driving an import the way a user does: upload, read the dry run, confirm."""

import io
import re
import uuid

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import DataImport
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


def import_file(app, client, *files: tuple[str, bytes]) -> DataImport:
    """Upload, check the dry run is ready, confirm; jobs must run inline (immediate_jobs)."""
    job_id = uploaded_job(upload(client, *files))
    preview = job(app, job_id)
    assert preview.status == "ready", (preview.status, preview.error)
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
