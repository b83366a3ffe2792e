"""Constant query counts: the journal list and the public page cost the same with 200 entries as with 5."""

from datetime import UTC, date, datetime, timedelta

from manifest.extensions import db
from manifest.models import BlogEntry, DailyReview
from tests.conftest import HX, counted_statements

# Statements per page, the login check included.
INDEX_LIMIT = 7  # user, years, count, page of entries, on-this-day entries and reviews, today's review
PUBLIC_PAGE_LIMIT = 2  # author, entries
PUBLIC_ENTRY_LIMIT = 3  # entry with author, view insert, counter update


def seed(app, user_id, count: int) -> None:
    """``count`` entries over the past years, with reviews, some of them on today's date."""
    now = datetime.now(UTC)
    with app.app_context():
        for n in range(count):
            moment = now - timedelta(days=n * 3)
            db.session.add(BlogEntry(
                user_id=user_id, title=f"Entry {n}", slug=f"entry-{n}", content="word " * 50, excerpt="word",
                status=("published", "draft", "archived")[n % 3], is_public=n % 2 == 0, is_featured=n % 5 == 0,
                published_at=moment if n % 3 == 0 else None, created_at=moment,
            ))
        for years in range(1, count // 20 + 2):
            db.session.add(BlogEntry(user_id=user_id, title=f"Back {years}", slug=f"back-{years}", status="published",
                                     published_at=now.replace(year=now.year - years, day=min(now.day, 28))))
            db.session.add(DailyReview(user_id=user_id, review_date=date(now.year - years, now.month, min(now.day, 28)),
                                       mood_rating=5))
        db.session.commit()


def statements_for(app, client, path: str, headers=None) -> int:
    with counted_statements(app) as statements:
        response = client.get(path, headers=headers or {})
    assert response.status_code == 200, path
    return len(statements)


def test_the_journal_list_costs_the_same_whatever_the_history(app, auth_client, user, other_user, other_client):
    seed(app, user["id"], 5)
    seed(app, other_user["id"], 200)
    few = [statements_for(app, auth_client, path) for path in ("/journal/", "/journal/?status=published&featured=1",
                                                                "/journal/?year=2025&month=3&page=2")]
    many = [statements_for(app, other_client, path) for path in ("/journal/", "/journal/?status=published&featured=1",
                                                                 "/journal/?year=2025&month=3&page=2")]
    assert few == many
    assert max(many) <= INDEX_LIMIT
    assert statements_for(app, other_client, "/journal/?page=3", HX) <= INDEX_LIMIT - 3


def test_public_pages_cost_the_same_whatever_the_history(app, client, user, other_user):
    seed(app, user["id"], 5)
    seed(app, other_user["id"], 200)
    assert statements_for(app, client, "/u/ana") == statements_for(app, client, "/u/ben") <= PUBLIC_PAGE_LIMIT
    assert statements_for(app, client, "/u/ben?page=2") <= PUBLIC_PAGE_LIMIT
    first = statements_for(app, client, "/u/ben/entry-0")
    assert first <= PUBLIC_ENTRY_LIMIT + 1  # the commit is not a statement on every driver
    assert statements_for(app, client, "/u/ana/entry-0") == first
