"""Attachments in an archive count against the storage quota by the bytes they unpack to, not by
the file_size their rows declare."""

import json
import uuid

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Media
from tests.transfer.conftest import zip_of
from tests.transfer.helpers import import_file

QUOTA = 10_000


def _archive(files: list[tuple[int, int | None]]) -> bytes:
    """An export whose media rows each declare a size of 0: (file bytes, thumbnail bytes or None)."""
    contents = {"manifest.json": json.dumps({"format": "lets-manifest-export", "format_version": 1,
                                             "account": {"id": str(uuid.uuid4())}})}
    rows = []
    for n, (size, thumb) in enumerate(files):
        media_id = str(uuid.uuid4())
        row = {"id": media_id, "file_name": f"a{n}.txt", "file_type": "text/plain", "file_size": 0,
               "file": f"attachments/{media_id}.txt"}
        contents[row["file"]] = "x" * size
        if thumb is not None:
            row["thumbnail"] = f"attachments/{media_id}-thumb.txt"
            contents[row["thumbnail"]] = "y" * thumb
        rows.append(row)
    contents["media.json"] = "[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]\n"
    return zip_of(contents)


def _stored(app, user_id) -> tuple[int, int]:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Media.file_size), 0))
                                  .where(Media.user_id == user_id)).one()


@pytest.mark.parametrize("files", [[(6000, None)] * 5, [(10, 20_000)]], ids=["files", "a large thumbnail"])
def test_attachments_over_the_quota_are_left_out_whatever_their_rows_declare(
        app, user, auth_client, immediate_jobs, monkeypatch, files):
    monkeypatch.setitem(app.config, "MEDIA_QUOTA_BYTES", QUOTA)
    done = import_file(app, auth_client, ("export.zip", _archive(files)))
    assert "media" not in done.result["added"]
    assert done.result["problems"][0].startswith("attachments: they need ")
    assert done.result["problems"][0].endswith(" of your storage is left; they are left out")
    assert _stored(app, user["id"]) == (0, 0)


def test_attachments_within_the_quota_come_in(app, user, auth_client, immediate_jobs, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_QUOTA_BYTES", QUOTA)
    done = import_file(app, auth_client, ("export.zip", _archive([(3000, 1000), (4000, None)])))
    assert done.result["added"] == {"media": 2} and done.result["problems"] == []
    assert _stored(app, user["id"]) == (2, 7000)
