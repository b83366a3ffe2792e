"""Helpers for the attachment tests: a storage folder per test, goals to attach to, files to send."""

import io
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from manifest.extensions import db
from manifest.models import Goal, Media


@pytest.fixture(autouse=True)
def media_root(app, tmp_path, monkeypatch) -> Path:
    """Each test stores its files in a folder of its own, so "no new files" can be asserted."""
    root = tmp_path / "media"
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(root))
    monkeypatch.setitem(app.config, "MEDIA_STORAGE", "local")
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def make_goal(app, user_id, title: str = "Run a marathon") -> uuid.UUID:
    with app.app_context():
        goal = Goal(user_id=user_id, title=title, goal_type="yearly")
        db.session.add(goal)
        db.session.commit()
        return goal.id


@pytest.fixture
def goal(app, user) -> uuid.UUID:
    return make_goal(app, user["id"])


@pytest.fixture
def other_goal(app, other_user) -> uuid.UUID:
    return make_goal(app, other_user["id"], "Ben's secret goal")


def media_rows(app, **where) -> list[Media]:
    with app.app_context():
        query = sa.select(Media).order_by(Media.uploaded_at, Media.file_name)
        for name, value in where.items():
            query = query.where(getattr(Media, name) == value)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


def image_bytes(fmt: str = "PNG", size=(640, 480), color="teal", mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save)
    return out.getvalue()


def upload_url(goal_id, area: str = "goal") -> str:
    return f"/media/for/{area}/{goal_id}"


def send(client, goal_id, *files, alt: str = "", headers=None, area: str = "goal"):
    """Post files as the upload form does; each file is (name, bytes)."""
    data = {"alt_text": alt, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(upload_url(goal_id, area), data=data, headers=headers or {},
                       content_type="multipart/form-data")
