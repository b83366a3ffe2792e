"""Our own archive brought into an account that already has data: what is there is skipped, what
clashes is renamed, what is unsafe is left out, and the same archive twice adds nothing."""

import json
from datetime import date

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import BlogEntry, DailyReview, Habit, Media, Tag, Taggable
from tests.transfer.conftest import read_archive, zip_of
from tests.transfer.helpers import import_file


def _export(client) -> bytes:
    client.post("/settings/data/export")
    page = client.get("/settings/data").get_data(as_text=True)
    return client.get(page.split('id="export-download" href="')[1].split('"')[0]).data


def _seed(app, user_id, *, habit="Read", slug="hello", review_day=date(2026, 1, 5), tag="focus"):
    with app.app_context():
        entry = BlogEntry(user_id=user_id, title="Hello", slug=slug, content="Hi")
        habit_row = Habit(user_id=user_id, name=habit)
        db.session.add_all([entry, habit_row, DailyReview(user_id=user_id, review_date=review_day, mood_rating=6)])
        db.session.flush()
        tag_row = Tag(user_id=user_id, name=tag.title(), slug=tag, usage_count=1)
        db.session.add(tag_row)
        db.session.flush()
        db.session.add(Taggable(tag_id=tag_row.id, taggable_type="habit", taggable_id=habit_row.id))
        db.session.commit()


def test_an_archive_into_an_account_with_data_of_its_own(app, user, other_user, auth_client, other_client,
                                                         immediate_jobs):
    _seed(app, user["id"])
    _seed(app, other_user["id"], habit="Run")
    archive = _export(auth_client)
    job = import_file(app, other_client, ("export.zip", archive))
    # The review of the same day and the tag of the same slug are there already; the rest is added.
    assert job.result["added"] == {"habits": 1, "journal": 1, "taggables": 1}
    assert job.result["present"] == {"tags": 1, "daily_reviews": 1}
    with app.app_context():
        slugs = set(db.session.scalars(sa.select(BlogEntry.slug).where(BlogEntry.user_id == other_user["id"])))
        assert slugs == {"hello", "hello-2"}
        focus = db.session.scalars(sa.select(Tag).where(Tag.user_id == other_user["id"])).one()
        assert focus.usage_count == 2  # Run's link and the imported Read's
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Habit)) == 3


def test_an_archive_brought_back_into_its_own_account_adds_nothing(app, user, auth_client, immediate_jobs):
    _seed(app, user["id"])
    archive = _export(auth_client)
    job = import_file(app, auth_client, ("export.zip", archive))
    assert job.result["added"] == {}
    counts = read_archive(archive)["manifest.json"]["counts"]
    assert sum(job.result["present"].values()) == sum(counts.values())


def test_an_attachment_that_is_a_web_page_is_left_out(app, user, auth_client, immediate_jobs):
    media = {"id": "6a7b0000-0000-4000-8000-000000000001", "file_name": "notes.txt", "file_type": "text/plain",
             "file_size": 40, "file": "attachments/6a7b0000-0000-4000-8000-000000000001.txt",
             "uploaded_at": "2026-01-01T10:00:00+00:00", "is_public": False}
    archive = zip_of({
        "manifest.json": json.dumps({"format": "lets-manifest-export", "format_version": 1}),
        "media.json": "[\n" + json.dumps(media) + "\n]\n",
        media["file"]: "<html><script>alert(1)</script></html>",
    })
    job = import_file(app, auth_client, ("export.zip", archive))
    assert job.result["added"] == {}
    assert job.result["problems"] == [
        "media.json line 2: its file looks like a web page or markup (HTML, SVG, XML), which cannot be attached"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Media)) == 0
