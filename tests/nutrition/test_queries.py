"""The day and week pages send the same few statements whatever the amount of history."""

import uuid
from datetime import time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Food
from tests.conftest import HX, counted_statements
from tests.nutrition.conftest import quick_part, set_targets

DAY_LIMIT = 6  # session user, the day's entries, favorites, recent (+ login bookkeeping)
WEEK_LIMIT = 3
NAMES = ("Oatmeal", "Eggs", "Toast", "Soup", "Salad", "Pasta", "Apple", "Yogurt", "Rice", "Curry")
MEALS = ("breakfast", "lunch", "dinner", "snack")


def seed_year(app, user_id, today, days: int = 366) -> None:
    """Four entries a day for ``days`` days, some starred, in one executemany statement."""
    rows = []
    for back in range(days):
        day = today - timedelta(days=back)
        for n, meal in enumerate(MEALS):
            name = NAMES[(back + n) % len(NAMES)]
            rows.append({
                "id": uuid.uuid4(), "user_id": user_id, "meal_date": day, "meal_type": meal, "food_name": name,
                "portion_size": "100 g", "meal_time": time(7 + 4 * n, 0), "calories": Decimal(300 + n * 50),
                "protein_grams": Decimal(10 + n), "carbs_grams": Decimal(30), "fats_grams": Decimal("8.5"),
                "fiber_grams": Decimal(3), "sugar_grams": Decimal(5), "sodium_mg": 200, "notes": None,
                "is_favorite": name in ("Oatmeal", "Soup"),
            })
    with app.app_context():
        db.session.execute(sa.insert(Food), rows)
        db.session.commit()


def count(app, client, url: str, headers=None) -> int:
    client.get(url, headers=headers)  # warm caches (time zone, templates)
    with counted_statements(app) as sent:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(sent)


def test_day_and_week_pages_send_a_constant_number_of_statements(app, auth_client, user, today):
    set_targets(app, user["id"], target_calories=2000)
    seed_year(app, user["id"], today, days=1)
    small = {
        "day": count(app, auth_client, "/food/"),
        "week": count(app, auth_client, "/food/week"),
        "suggest": count(app, auth_client, f"/food/{today.isoformat()}/lunch/suggest?food_name=o", HX),
    }
    seed_year(app, user["id"], today - timedelta(days=1), days=365)
    large = {
        "day": count(app, auth_client, "/food/"),
        "week": count(app, auth_client, "/food/week"),
        "suggest": count(app, auth_client, f"/food/{today.isoformat()}/lunch/suggest?food_name=o", HX),
    }
    assert large == small
    assert large["day"] <= DAY_LIMIT and large["week"] <= WEEK_LIMIT and large["suggest"] <= WEEK_LIMIT
    body = auth_client.get("/food/").get_data(as_text=True)
    quick = quick_part(body)
    assert quick.count("quick-item") <= 16 and quick.count(">Oatmeal") == 1  # one row per food name


def test_an_htmx_add_sends_a_constant_number_of_statements(app, auth_client, user, today):
    seed_year(app, user["id"], today - timedelta(days=1), days=2)
    url = f"/food/{today.isoformat()}/lunch"
    auth_client.post(url, data={"food_name": "Warm-up"}, headers=HX)
    with counted_statements(app) as few:
        auth_client.post(url, data={"food_name": "Tea", "calories": "5"}, headers=HX)
    seed_year(app, user["id"], today - timedelta(days=3), days=360)
    with counted_statements(app) as many:
        auth_client.post(url, data={"food_name": "Coffee", "calories": "5"}, headers=HX)
    assert len(many) == len(few) <= 12


def test_day_summary_for_today_is_one_statement(app, user, today):
    from manifest.models import User
    from manifest.nutrition.services import day_summary

    set_targets(app, user["id"], target_calories=1000)
    seed_year(app, user["id"], today, days=30)
    with app.app_context():
        ana = db.session.get(User, user["id"])
        with counted_statements(app) as sent:
            summary = day_summary(ana, today)
        assert len(sent) == 1
        assert summary.calories.eaten == 300 + 350 + 400 + 450 and summary.calories.target == 1000
        assert summary.calories.is_over and summary.calories.over == 500 and summary.entries == 4
        assert day_summary(ana, today + timedelta(days=1)).entries == 0
