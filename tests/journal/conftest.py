import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.journal import logic
from manifest.models import BlogEntry, BlogEntryView, DailyReview, User


def add_entry(app, user_id, title: str = "An entry", **fields) -> uuid.UUID:
    """An entry written straight to the database (published ones get a published_at)."""
    with app.app_context():
        values = {"content": "Some *text*.", "status": "draft", "slug": logic.slugify(title), **fields}
        if values["status"] == "published":
            values.setdefault("published_at", datetime.now(UTC))
        entry = BlogEntry(user_id=user_id, title=title, **values)
        db.session.add(entry)
        db.session.commit()
        return entry.id


def add_review(app, user_id, day: date, **fields) -> uuid.UUID:
    with app.app_context():
        review = DailyReview(user_id=user_id, review_date=day, **fields)
        db.session.add(review)
        db.session.commit()
        return review.id


def entry_row(app, entry_id) -> BlogEntry | None:
    with app.app_context():
        entry = db.session.get(BlogEntry, entry_id)
        if entry is not None:
            db.session.expunge(entry)
        return entry


def entries_of(app, user_id) -> list[BlogEntry]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(BlogEntry).where(BlogEntry.user_id == user_id)
                                       .order_by(BlogEntry.created_at, BlogEntry.slug)))
        db.session.expunge_all()
        return rows


def view_rows(app) -> list[BlogEntryView]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(BlogEntryView)))
        db.session.expunge_all()
        return rows


def set_user(app, user_id, **values) -> None:
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == user_id).values(**values))
        db.session.commit()


@pytest.fixture
def entry_form():
    def make(**fields):
        return {"title": "My first entry", "content": "Hello **world**.", "status": "draft", "slug": "",
                "excerpt": "", **fields}
    return make
