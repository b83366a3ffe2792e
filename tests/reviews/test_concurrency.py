"""Two first saves of the same day arriving together make one row holding both answers.
Only PostgreSQL has concurrent writers; SQLite serialises them, so nothing races there."""

from datetime import timedelta

import pytest

from tests.conftest import fire
from tests.reviews.conftest import rows
from tests.security.support import sibling_app

pytestmark = pytest.mark.postgres

FIELDS = [("mood_rating", "7"), ("energy_level", "4"), ("steps", "8000"), ("gratitude", "Coffee"),
          ("sleep_hours", "6.5"), ("highlights", "Lunch with Sam")]


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite serialises every writer, so nothing races")


def logged_in(app, email):
    client = app.test_client()
    client.login(email)
    client.csrf_token()  # settle the session before the race
    return client


def test_simultaneous_first_saves_from_two_app_instances_make_one_row(app, user, today):
    with sibling_app(app) as other:
        clients = [logged_in(app, user["email"]), logged_in(other, user["email"])]
        for attempt in range(5):
            day = today - timedelta(days=attempt)  # a new day each time: every save races to create it
            url = f"/reviews/{day}"
            results = fire(clients, [(url, {"mood_rating": "7"}), (url, {"steps": "8000"})])
            assert results == [200, 200]
            [review] = [r for r in rows(app, user["id"]) if r.review_date == day]
            assert (review.mood_rating, review.steps) == (7, 8000)


def test_many_simultaneous_fields_on_a_new_day_all_land_in_one_row(app, user, today):
    clients = [logged_in(app, user["email"]) for _ in FIELDS]
    url = f"/reviews/{today}"
    results = fire(clients, [(url, {name: value}) for name, value in FIELDS])
    assert results == [200] * len(FIELDS)
    [review] = rows(app, user["id"])
    assert review.mood_rating == 7 and review.energy_level == 4 and review.steps == 8000
    assert review.gratitude == "Coffee" and str(review.sleep_hours) == "6.5" and review.highlights == "Lunch with Sam"
