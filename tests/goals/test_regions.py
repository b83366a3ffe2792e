"""The goals regions other pages include: Today's goals and "goals fed by this page" (food, workouts).
Each has its own URL, always renders its element (empty without goals, so it can refresh), listens
only for the events its goals depend on, and shows nothing of another user's."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from manifest.extensions import db
from manifest.models import Workout, WorkoutExercise
from manifest.workouts.goal_sources import type_source_id
from tests.conftest import HX


def trigger(html: str, element_id: str) -> list[str]:
    """The events the region with this id refreshes on."""
    match = re.search(rf'<section id="{element_id}"[^>]*hx-trigger="([^"]*)"', html)
    assert match, f"no region #{element_id}"
    return [part.removesuffix(" from:body") for part in match.group(1).split(", ")]


def bar_of(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return re.search(r'<progress class="goal-bar[^"]*" max="100" value="(\d+)"', html[start:]).group(1)


def calories_goal(kit, user, title="Eat 2000 kcal a day"):
    return kit.goal(user["id"], title=title, goal_type="weekly", is_recurring=True, measure="source",
                    source=f"nutrition.calories:{user['id']}", target_value=2000)


def distance_goal(kit, user, title="Run 20 km a week"):
    source_id = type_source_id(user["id"], "any")
    return kit.goal(user["id"], title=title, goal_type="weekly", is_recurring=True, measure="source",
                    source=f"workouts.distance:{source_id}", target_value=20)


# --- Today's goals -----------------------------------------------------------------------------

def test_todays_goals_have_their_own_url(auth_client, user, kit):
    today = kit.today(user["id"])
    books = kit.goal(user["id"], title="Read 2 books", target_value=2, target_unit="books")
    kit.entry(user["id"], books, 1, today)
    response = auth_client.get(f"/goals/today?day={today.isoformat()}", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.startswith('<section id="today-goals"') and "<html" not in html
    assert bar_of(html, f"today-goal-{books}") == "50"
    assert f'hx-get="/goals/today?day={today.isoformat()}"' in html
    # Without a day: today's.
    assert bar_of(auth_client.get("/goals/today", headers=HX).get_data(as_text=True), f"today-goal-{books}") == "50"


def test_a_past_day_shows_that_days_goals_and_forms(auth_client, user, kit):
    today = kit.today(user["id"])
    yesterday = today - timedelta(days=1)
    kit.goal(user["id"], title="Ended yesterday", goal_type="weekly", start_date=today - timedelta(days=5),
             end_date=yesterday)
    html = auth_client.get(f"/goals/today?day={yesterday.isoformat()}", headers=HX).get_data(as_text=True)
    assert "Ended yesterday" in html and f'name="progress_date" value="{yesterday.isoformat()}"' in html
    assert f'name="next" value="/?day={yesterday.isoformat()}#today-goals"' in html
    assert "Ended yesterday" not in auth_client.get("/goals/today", headers=HX).get_data(as_text=True)


@pytest.mark.parametrize("day", ["2024-13-01", "yesterday", "0001-01-01", "2024-1-1"])
def test_a_bad_day_is_refused(auth_client, day):
    assert auth_client.get(f"/goals/today?day={day}", headers=HX).status_code == 400
    assert auth_client.get(f"/goals/fed-by/food?day={day}", headers=HX).status_code == 400


def test_without_goals_the_region_is_there_and_listens_for_goal_changes_only(auth_client):
    html = auth_client.get("/goals/today", headers=HX).get_data(as_text=True)
    assert html.startswith('<section id="today-goals" class="today-goals is-empty"') and "<li" not in html
    assert trigger(html, "today-goals") == ["goal-progress"]
    assert trigger(auth_client.get("/").get_data(as_text=True), "today-goals") == ["goal-progress"]


def test_the_region_listens_for_what_its_goals_fill_themselves_from(auth_client, user, kit):
    kit.goal(user["id"], title="Read 2 books", target_value=2)
    assert trigger(auth_client.get("/").get_data(as_text=True), "today-goals") == ["goal-progress"]

    habit = kit.habit(user["id"], "Meditate")
    kit.goal(user["id"], title="Meditate 5 times", goal_type="weekly", is_recurring=True, measure="source",
             source=f"habit.completions:{habit}", target_value=5)
    assert trigger(auth_client.get("/").get_data(as_text=True), "today-goals") == [
        "goal-progress", "habit-checked", "habits-changed"]

    calories_goal(kit, user)
    distance_goal(kit, user)
    events = trigger(auth_client.get("/goals/today", headers=HX).get_data(as_text=True), "today-goals")
    assert events == ["goal-progress", "habit-checked", "habits-changed", "food-changed", "workout-changed"]


def test_a_check_in_announces_itself_and_the_region_shows_the_new_value(auth_client, user, kit):
    today = kit.today(user["id"])
    habit = kit.habit(user["id"], "Meditate")
    linked = kit.goal(user["id"], title="Meditate daily", goal_type="daily", is_recurring=True, measure="source",
                      source=f"habit.completions:{habit}", target_value=1)
    response = auth_client.post(f"/habits/{habit}/days/{today.isoformat()}", headers=HX,
                                data={"state": ["not_done", "done"]})
    assert response.headers["HX-Trigger"] == "habit-checked"
    html = auth_client.get(f"/goals/today?day={today.isoformat()}", headers=HX).get_data(as_text=True)
    assert bar_of(html, f"today-goal-{linked}") == "100"


def test_todays_goals_show_only_the_viewers(auth_client, user, other_user, kit):
    kit.goal(other_user["id"], title="Ben's secret goal", target_value=2)
    html = auth_client.get("/goals/today", headers=HX).get_data(as_text=True)
    assert "Ben's secret goal" not in html and "<li" not in html


def test_the_regions_need_a_login(client):
    for path in ("/goals/today", "/goals/fed-by/food", "/goals/fed-by/workouts"):
        response = client.get(path)
        assert response.status_code in (302, 303) and "/login" in response.headers["Location"], path


# --- goals fed by the food log and by workouts -----------------------------------------------

def test_the_food_day_page_shows_the_goals_its_meals_feed(auth_client, user, kit):
    today = kit.today(user["id"])
    fed = calories_goal(kit, user)
    kit.goal(user["id"], title="Read 2 books", target_value=2)
    # The page holds an empty element that loads the region once it shows.
    page = auth_client.get("/food/").get_data(as_text=True)
    assert f'<section id="fed-goals-food" class="fed-goals is-empty"\n         hx-get="/goals/fed-by/food?day={today.isoformat()}"' in page
    assert trigger(page, "fed-goals-food") == ["load", "goal-progress", "food-changed"]
    html = auth_client.get(f"/goals/fed-by/food?day={today.isoformat()}", headers=HX).get_data(as_text=True)
    assert "Eat 2000 kcal a day" in html and "Read 2 books" not in html and "<html" not in html
    assert bar_of(html, f"fed-goal-{fed}") == "0"
    assert trigger(html, "fed-goals-food") == ["goal-progress", "food-changed"]

    response = auth_client.post(f"/food/{today.isoformat()}/breakfast", headers=HX,
                                data={"food_name": "Porridge", "calories": "500"})
    assert response.status_code == 200 and "food-changed" in response.headers["HX-Trigger"]
    html = auth_client.get(f"/goals/fed-by/food?day={today.isoformat()}", headers=HX).get_data(as_text=True)
    assert html.startswith('<section id="fed-goals-food"') and bar_of(html, f"fed-goal-{fed}") == "25"
    assert "500 of 2000 kcal" in html


def test_without_such_goals_the_region_is_empty_but_listens(auth_client, user, kit):
    kit.goal(user["id"], title="Read 2 books", target_value=2)
    html = auth_client.get("/goals/fed-by/food", headers=HX).get_data(as_text=True)
    assert html.startswith('<section id="fed-goals-food" class="fed-goals is-empty"')
    assert "<h2" not in html and "Read 2 books" not in html
    assert trigger(html, "fed-goals-food") == ["goal-progress", "food-changed"]
    html = auth_client.get("/goals/fed-by/workouts", headers=HX).get_data(as_text=True)
    assert "is-empty" in html and trigger(html, "fed-goals-workouts") == ["goal-progress", "workout-changed"]


def test_a_workouts_page_shows_the_goals_it_feeds(app, auth_client, user, kit):
    today = kit.today(user["id"])
    fed = distance_goal(kit, user)
    calories_goal(kit, user)
    with app.app_context():
        workout = Workout(user_id=user["id"], workout_date=today, workout_type="cardio")
        db.session.add(workout)
        db.session.commit()
        workout_id = workout.id
    page = auth_client.get(f"/workouts/{workout_id}").get_data(as_text=True)
    assert f'hx-get="/goals/fed-by/workouts?day={today.isoformat()}"' in page
    assert trigger(page, "fed-goals-workouts") == ["load", "goal-progress", "workout-changed"]
    listing = auth_client.get("/workouts/").get_data(as_text=True)
    assert 'hx-get="/goals/fed-by/workouts"' in listing
    html = auth_client.get(f"/goals/fed-by/workouts?day={today.isoformat()}", headers=HX).get_data(as_text=True)
    assert "Run 20 km a week" in html and "Eat 2000" not in html and bar_of(html, f"fed-goal-{fed}") == "0"
    assert "Run 20 km a week" in auth_client.get("/goals/fed-by/workouts", headers=HX).get_data(as_text=True)

    response = auth_client.post(f"/workouts/{workout_id}/exercises", headers=HX, data={
        "exercise_name": "Run", "exercise_type": "cardio", "weight_unit": "kg", "distance": "5",
        "distance_unit": "km"})
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "workout-changed"
    with app.app_context():
        assert db.session.query(WorkoutExercise).count() == 1
    html = auth_client.get(f"/goals/fed-by/workouts?day={today.isoformat()}", headers=HX).get_data(as_text=True)
    assert bar_of(html, f"fed-goal-{fed}") == "25" and "5 of 20 km" in html


def test_an_old_workout_feeds_the_goals_of_its_own_week(auth_client, user, kit):
    today = kit.today(user["id"])
    distance_goal(kit, user)
    kit.goal(user["id"], title="Only this month", measure="source", target_value=Decimal(50),
             source=f"workouts.count:{type_source_id(user['id'], 'any')}",
             start_date=today - timedelta(days=1), end_date=today + timedelta(days=1))
    old = (today - timedelta(days=60)).isoformat()
    html = auth_client.get(f"/goals/fed-by/workouts?day={old}", headers=HX).get_data(as_text=True)
    assert "Run 20 km a week" in html and "Only this month" not in html


def test_fed_goals_show_only_the_viewers_and_only_known_areas(auth_client, user, other_user, kit):
    calories_goal(kit, other_user, title="Ben's secret diet")
    html = auth_client.get("/goals/fed-by/food", headers=HX).get_data(as_text=True)
    assert "Ben's secret diet" not in html and "is-empty" in html
    assert auth_client.get("/goals/fed-by/habits", headers=HX).status_code == 404


# --- without JavaScript: back to the page the form was on, never off the site ----------------

@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:x"])
def test_a_crafted_back_address_leads_to_the_goals_page(auth_client, user, kit, target):
    goal = kit.goal(user["id"], title="Read 2 books", target_value=2)
    today = kit.today(user["id"]).isoformat()
    for path, data in ((f"/goals/{goal}/progress/quick", {"value": "1", "progress_date": today}),
                       (f"/goals/{goal}/status/paused", {})):
        response = auth_client.post(path, data={**data, "next": target})
        assert response.status_code == 303 and response.headers["Location"] == f"/goals/{goal}#goal-summary", path
    refused = auth_client.post(f"/goals/{goal}/progress/quick", data={"value": "0", "next": target})
    assert refused.status_code == 303 and refused.headers["Location"] == f"/goals/{goal}#goal-summary"
