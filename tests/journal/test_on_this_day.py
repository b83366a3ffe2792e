"""On this day: entries and reviews from the same month and day in past years, newest first, in two queries."""

from datetime import UTC, date, datetime

from manifest.extensions import db
from manifest.journal import services
from manifest.models import User
from tests.conftest import counted_statements
from tests.journal.conftest import add_entry, add_review, set_user


def memories(app, user_id, day: date):
    with app.app_context():
        found = services.on_this_day(db.session.get(User, user_id), day)
        return [(m.kind, m.day, m.years_ago, m.title) for m in found]


def at(year, month, day, hour=12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_entries_and_reviews_of_past_years_newest_first(app, user, other_user):
    add_entry(app, user["id"], "Two years ago", status="published", published_at=at(2024, 6, 10))
    add_entry(app, user["id"], "Written last year", created_at=at(2025, 6, 10))
    add_entry(app, user["id"], "Another day", status="published", published_at=at(2025, 6, 11))
    add_entry(app, user["id"], "This year", status="published", published_at=at(2026, 6, 10))
    add_entry(app, other_user["id"], "Ben's", status="published", published_at=at(2025, 6, 10))
    add_review(app, user["id"], date(2023, 6, 10), highlights="A calm day")
    add_review(app, user["id"], date(2025, 6, 9), highlights="Not today")
    add_review(app, other_user["id"], date(2024, 6, 10), highlights="Ben's review")
    assert memories(app, user["id"], date(2026, 6, 10)) == [
        ("entry", date(2025, 6, 10), 1, "Written last year"),
        ("entry", date(2024, 6, 10), 2, "Two years ago"),
        ("review", date(2023, 6, 10), 3, "Daily review, Saturday, 10 June 2023"),
    ]


def test_29_february_shows_on_28_february_of_a_common_year(app, user):
    add_entry(app, user["id"], "Leap day", status="published", published_at=at(2024, 2, 29))
    add_review(app, user["id"], date(2020, 2, 29), mood_rating=5)
    add_entry(app, user["id"], "28th", status="published", published_at=at(2023, 2, 28))
    assert [m[3] for m in memories(app, user["id"], date(2025, 2, 28))] == [
        "Leap day", "28th", "Daily review, Saturday, 29 February 2020"]
    # In a leap year 29 February has its own day.
    assert [m[3] for m in memories(app, user["id"], date(2028, 2, 28))] == ["28th"]
    assert [m[3] for m in memories(app, user["id"], date(2028, 2, 29))] == [
        "Leap day", "Daily review, Saturday, 29 February 2020"]


def test_the_day_is_the_users_own(app, user):
    set_user(app, user["id"], timezone="Asia/Tokyo")  # UTC+9
    # 20:00 UTC on 9 June is already 10 June in Tokyo.
    add_entry(app, user["id"], "Late", status="published", published_at=at(2025, 6, 9, 20))
    add_entry(app, user["id"], "Early", status="published", published_at=at(2025, 6, 10, 20))
    assert [m[3] for m in memories(app, user["id"], date(2026, 6, 10))] == ["Late"]


def test_at_most_two_queries_whatever_the_history(app, user):
    for year in range(2000, 2026):
        add_entry(app, user["id"], f"Entry {year}", status="published", published_at=at(year, 6, 10))
        add_review(app, user["id"], date(year, 6, 10), mood_rating=5)
    with app.app_context():
        person = db.session.get(User, user["id"])
        timezone = person.timezone  # loaded before counting
        assert timezone
        with counted_statements(app) as statements:
            found = services.on_this_day(person, date(2026, 6, 10), limit=100)
    assert len(found) == 52 and len(statements) <= 2


def test_the_journal_page_shows_on_this_day(app, auth_client, user):
    today = datetime.now(UTC).date()
    try:
        past = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        past = today.replace(year=today.year - 4)
    add_entry(app, user["id"], "A year back", status="published", published_at=at(past.year, past.month, past.day))
    page = auth_client.get("/journal/").get_data(as_text=True)
    assert "On this day" in page and "A year back" in page
