"""Who may see and change attachments: the owner on every route; strangers only files of a
published public journal entry; everyone else a 404 that changes nothing."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.media import services
from manifest.models import BlogEntry, Media, User
from tests.conftest import HX
from tests.media.conftest import image_bytes, media_rows, send, stored_files, upload_url


@pytest.fixture
def bens_media(app, other_client, other_goal):
    assert send(other_client, other_goal, ("ben-private.png", image_bytes()), alt="Ben's secret").status_code == 303
    [media] = media_rows(app)
    return media


def _snapshot(app):
    with app.app_context():
        return sorted(repr((m.id, m.alt_text, m.file_path, m.related_to_id)) for m in db.session.scalars(sa.select(Media)))


def test_another_users_attachments_answer_404_on_every_route(app, auth_client, goal, bens_media, media_root):
    before, files = _snapshot(app), stored_files(media_root)
    attempts = [
        ("get", f"/media/{bens_media.id}", {}),
        ("get", f"/media/{bens_media.id}/thumbnail", {}),
        ("post", f"/media/{bens_media.id}/delete", {}),
        ("post", f"/media/{bens_media.id}/alt", {"alt_text": "mine now"}),
        ("get", upload_url(bens_media.related_to_id), {}),
    ]
    for method, url, data in attempts:
        for headers in ({}, HX):
            response = getattr(auth_client, method)(url, data=data, headers=headers)
            assert response.status_code == 404, f"{method} {url}"
            assert "Ben" not in response.get_data(as_text=True)
    # Uploading to ben's goal: refused before anything is read or stored.
    response = send(auth_client, bens_media.related_to_id, ("x.png", image_bytes()))
    assert response.status_code == 404
    assert _snapshot(app) == before and stored_files(media_root) == files


def test_the_gallery_and_pages_show_only_the_viewers_files(app, auth_client, goal, bens_media):
    send(auth_client, goal, ("ana.png", image_bytes()))
    for url in ("/media/", f"/goals/{goal}", upload_url(goal)):
        body = auth_client.get(url).get_data(as_text=True)
        assert "ana.png" in body
        assert "ben-private" not in body and str(bens_media.id) not in body


def test_anonymous_visitors_get_404_for_private_files(app, client, bens_media):
    assert client.get(f"/media/{bens_media.id}").status_code == 404
    assert client.get(f"/media/{bens_media.id}/thumbnail").status_code == 404
    assert client.get(f"/media/{uuid.uuid4()}").status_code == 404
    # Everything else sends them to log in.
    assert client.get("/media/").status_code == 302
    assert client.post(f"/media/{bens_media.id}/delete").status_code == 302


def _entry_media(app, user_id, *, status: str, public: bool, owner_id=None) -> uuid.UUID:
    """An image attached straight to a journal entry (the journal's own upload form is not needed here)."""
    with app.app_context():
        entry = BlogEntry(user_id=user_id, title="Week one", slug=f"week-{uuid.uuid4().hex[:6]}", status=status,
                          is_public=public, published_at=datetime.now(UTC) if status == "published" else None)
        db.session.add(entry)
        db.session.flush()
        owner = db.session.get(User, owner_id or user_id)
        from manifest.media.storage import get_storage, new_key

        key = new_key(owner.id, "png")
        get_storage().save(key, image_bytes(), "image/png")
        media = Media(user_id=owner.id, file_name="trail.png", file_path=key, thumbnail_path=None,
                      file_type="image/png", file_size=10, width=640, height=480, related_to_type="blog_entry",
                      related_to_id=entry.id)
        db.session.add(media)
        db.session.commit()
        return media.id


@pytest.mark.parametrize(("status", "public", "visible"), [
    ("published", True, True),
    ("published", False, False),
    ("draft", True, False),
    ("archived", True, False),
])
def test_files_of_published_public_entries_are_served_to_anyone(
        app, client, auth_client, other_client, user, status, public, visible):
    media_id = _entry_media(app, user["id"], status=status, public=public)
    assert auth_client.get(f"/media/{media_id}").status_code == 200  # the owner always
    for who in (client, other_client):
        response = who.get(f"/media/{media_id}")
        assert response.status_code == (200 if visible else 404)
        if visible:
            assert response.mimetype == "image/png"
            assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_pointing_at_someone_elses_public_entry_stays_private(app, client, user, other_user):
    # Ben's media row claims ana's public entry: the entry must belong to the file's owner.
    media_id = _entry_media(app, user["id"], status="published", public=True, owner_id=other_user["id"])
    assert client.get(f"/media/{media_id}").status_code == 404


def test_attachments_for_loads_many_rows_in_one_query(app, auth_client, user, goal, bens_media):
    from tests.conftest import counted_statements
    from tests.media.conftest import make_goal

    second = make_goal(app, user["id"], "Second")
    send(auth_client, goal, ("a.png", image_bytes()), ("b.txt", b"b\n"))
    send(auth_client, second, ("c.png", image_bytes()))
    with app.app_context():
        owner = db.session.get(User, user["id"])
        missing = uuid.uuid4()
        with counted_statements(app) as statements:
            found = services.attachments_for(owner, "goal", [goal, second, missing, bens_media.related_to_id])
        assert len(statements) == 1
    assert [m.file_name for m in found[goal]] == ["a.png", "b.txt"]
    assert [m.file_name for m in found[second]] == ["c.png"]
    assert found[missing] == [] and found[bens_media.related_to_id] == []


def test_the_read_only_macro_shows_files_without_forms(app, user):
    from flask import render_template_string

    media_id = _entry_media(app, user["id"], status="published", public=True)
    with app.test_request_context():
        media = db.session.get(Media, media_id)
        html = render_template_string(
            '{% from "media/_attachments.html" import attachment_thumbnails %}{{ attachment_thumbnails(items) }}',
            items=[media])
    assert f'href="/media/{media_id}"' in html and "<form" not in html and "trail.png" in html
