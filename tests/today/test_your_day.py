"""Today brings the other areas together: the evening review, meals against targets, workouts,
last night's intentions and "on this day" — each for the day shown, and only the user's own."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from manifest.extensions import db
from manifest.models import BlogEntry, DailyReview, Food, User, Workout
from tests.conftest import HX


@pytest.fixture
def ana(app, calm_user):
    client = app.test_client()
    client.login(calm_user["email"])
    return client


def add(app, *rows) -> None:
    with app.app_context():
        db.session.add_all(rows)
        db.session.commit()


def page(client, **query) -> str:
    response = client.get("/", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_new_day_invites_a_review_a_meal_and_a_workout(ana, calm_today):
    html = page(ana)
    assert "Review your day" in html
    assert f'href="/reviews/{calm_today.isoformat()}"' in html
    assert "Log a meal" in html and f"/food/?day={calm_today.isoformat()}" in html
    assert "No workout logged" in html and f"/workouts/new?day={calm_today.isoformat()}" in html
    assert "you meant to" not in html
    assert "On this day" not in html


def test_the_card_follows_the_review_meals_and_workouts_of_the_day(app, ana, calm_user, calm_today, other_user):
    me = calm_user["id"]
    with app.app_context():
        user = db.session.get(User, me)
        user.target_calories = 2000
        db.session.commit()
    add(app,
        DailyReview(user_id=me, review_date=calm_today, mood_rating=7, gratitude="Tea"),
        DailyReview(user_id=me, review_date=calm_today - timedelta(days=1), tomorrow_intentions="Call the bank"),
        Food(user_id=me, meal_date=calm_today, meal_type="lunch", food_name="Soup", calories=Decimal(1500)),
        Food(user_id=me, meal_date=calm_today, meal_type="dinner", food_name="Pie", calories=Decimal(700)),
        Workout(user_id=me, workout_date=calm_today, workout_name="Legs", duration_minutes=45, calories_burned=300),
        # Another user's day changes nothing here.
        DailyReview(user_id=other_user["id"], review_date=calm_today - timedelta(days=1),
                    tomorrow_intentions="Ben's secret plan"),
        Food(user_id=other_user["id"], meal_date=calm_today, meal_type="lunch", food_name="Ben's cake",
             calories=Decimal(900)),
    )
    html = page(ana)
    assert "2 of 14 answered" in html and "Continue your review" in html
    assert "Yesterday, you meant to" in html and "Call the bank" in html
    assert "2200</strong> kcal of 2000" in html and "200 over" in html
    assert "2 items logged" in html
    assert "Legs" in html and "45 min · 300 kcal" in html
    assert "Ben" not in html


def test_meals_logged_without_calories_show_them_as_unknown_not_zero(app, ana, calm_user, calm_today):
    add(app, Food(user_id=calm_user["id"], meal_date=calm_today, meal_type="lunch", food_name="Soup"))
    html = page(ana)
    assert '<span class="visually-hidden">not recorded</span></strong> kcal' in html and "1 item logged" in html
    assert "0</strong> kcal" not in html


def test_a_past_day_shows_that_days_card(app, ana, calm_user, calm_today):
    past = calm_today - timedelta(days=3)
    add(app, Workout(user_id=calm_user["id"], workout_date=past, workout_name="Swim", duration_minutes=30))
    assert "Swim" in page(ana, day=past.isoformat())
    assert "Swim" not in page(ana)
    fragment = ana.get(f"/?day={past.isoformat()}", headers=HX).get_data(as_text=True)
    assert "Swim" in fragment and "<html" not in fragment


def test_on_this_day_shows_past_years_entries_and_reviews(app, ana, calm_user, calm_today, other_user):
    try:
        year_ago = calm_today.replace(year=calm_today.year - 1)
    except ValueError:  # 29 February
        year_ago = calm_today.replace(year=calm_today.year - 1, day=28)
    published = datetime.combine(year_ago, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    add(app,
        BlogEntry(user_id=calm_user["id"], title="First steps", slug="first-steps", status="published",
                  published_at=published, created_at=published),
        DailyReview(user_id=calm_user["id"], review_date=year_ago, highlights="A long walk"),
        BlogEntry(user_id=other_user["id"], title="Ben's memory", slug="bens", status="published",
                  published_at=published, created_at=published))
    html = page(ana)
    assert "On this day" in html
    assert "First steps" in html and "1 year ago" in html
    assert f'href="/reviews/{year_ago.isoformat()}"' in html
    assert "Ben's memory" not in html
