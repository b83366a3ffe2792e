"""The reviews pages make the same few queries with a week or with years of reviews."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from manifest.extensions import db
from manifest.models import DailyReview
from tests.conftest import HX, counted_statements

INDEX_LIMIT = 6
DAY_LIMIT = 5
SAVE_LIMIT = 5


def seed(app, user_id, today, days: int) -> None:
    """``days`` reviews ending today, in one executemany."""
    reviews = [{
        "id": uuid.uuid4(), "user_id": user_id, "review_date": today - timedelta(days=back),
        "mood_rating": back % 10 + 1, "energy_level": (back * 3) % 10 + 1,
        "sleep_hours": Decimal(5 + back % 4), "steps": 1000 * (back % 9), "water_intake_ml": 1500,
        "highlights": f"Day {back}", "tomorrow_intentions": f"Plan {back}",
    } for back in range(days) if back % 13 != 7]  # gaps, so streaks have something to do
    with app.app_context():
        db.session.execute(DailyReview.__table__.insert(), reviews)
        db.session.commit()


def count(app, client, url, **kwargs) -> tuple[int, str]:
    with counted_statements(app) as sent:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return len(sent), response.get_data(as_text=True)


@pytest.mark.parametrize("days", [3, 800])
def test_the_reviews_page_query_count_does_not_grow_with_history(app, auth_client, user, today, days):
    seed(app, user["id"], today, days)
    auth_client.get("/reviews/")  # warm up: the first request of a session may load more
    queries, body = count(app, auth_client, "/reviews/")
    assert queries <= INDEX_LIMIT
    assert 'class="chart-line"' in body
    last_year = (today.replace(day=1) - timedelta(days=300)).strftime("%Y-%m")
    queries_old_month, body = count(app, auth_client, f"/reviews/?month={last_year}")
    assert queries_old_month == queries
    if days > 300:
        assert "mood-" in body and "Day " in body


def test_the_year_of_data_costs_the_same_as_a_few_days(app, auth_client, other_client, user, other_user, today):
    seed(app, user["id"], today, 365)
    seed(app, other_user["id"], today, 3)
    auth_client.get("/reviews/")
    other_client.get("/reviews/")
    many, _ = count(app, auth_client, "/reviews/")
    few, _ = count(app, other_client, "/reviews/")
    assert many == few


@pytest.mark.parametrize("days", [2, 365])
def test_the_day_page_and_a_save_stay_constant(app, auth_client, user, today, days):
    seed(app, user["id"], today, days)
    auth_client.get(f"/reviews/{today}")
    queries, body = count(app, auth_client, f"/reviews/{today}")
    assert queries <= DAY_LIMIT
    assert "Yesterday you meant to" in body and "Plan 1" in body
    with counted_statements(app) as sent:
        response = auth_client.post(f"/reviews/{today}", data={"mood_rating": "3"}, headers=HX)
    assert response.status_code == 200
    assert len(sent) <= SAVE_LIMIT
