"""One rule for every area, on the pages and through the API: nothing is logged on a day that has
not come yet, with the same message. Food and workouts follow it like measurements do."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from manifest.extensions import db
from manifest.forms import NOT_YET_MESSAGE
from manifest.models import Food, Workout
from tests.conftest import HX

MESSAGE = "That day has not happened yet."


def _today():
    return datetime.now(UTC).date()  # the token's owner lives in UTC


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _errors(response) -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.get_json()["errors"]


def test_the_rule_has_one_message_for_every_area(api):
    assert NOT_YET_MESSAGE == MESSAGE
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    assert _errors(api.post("/api/v1/measurements", json={"weight": 80, "measured_on": tomorrow}))["measured_on"] == [
        MESSAGE]


def test_the_api_refuses_food_and_workouts_on_a_day_not_yet_come(app, api):
    assert _errors(api.post("/api/v1/foods", json={"food_name": "Oatmeal", "meal_type": "breakfast",
                                                   "meal_date": "2030-01-01"}))["meal_date"] == [MESSAGE]
    assert _errors(api.post("/api/v1/workouts", json={"workout_type": "strength",
                                                      "workout_date": "2030-01-01"}))["workout_date"] == [MESSAGE]
    assert _count(app, Food) == 0 and _count(app, Workout) == 0

    today = _today().isoformat()
    assert api.post("/api/v1/foods", json={"food_name": "Oatmeal", "meal_type": "breakfast",
                                           "meal_date": today}).status_code == 201
    workout = api.post("/api/v1/workouts", json={"workout_type": "strength", "workout_date": today})
    assert workout.status_code == 201
    moved = api.put(f"/api/v1/workouts/{workout.get_json()['id']}",
                    json={"workout_type": "strength", "workout_date": "2030-01-01"})
    assert _errors(moved)["workout_date"] == [MESSAGE]
    assert api.get(f"/api/v1/workouts/{workout.get_json()['id']}").get_json()["workout_date"] == today


def test_the_food_page_refuses_a_day_not_yet_come_with_the_message(app, auth_client):
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    for headers in ({}, HX):
        refused = auth_client.post(f"/food/{tomorrow}/breakfast", data={"food_name": "Toast"}, headers=headers)
        assert refused.status_code == 422 and MESSAGE in refused.get_data(as_text=True)
    copied = auth_client.post(f"/food/{tomorrow}/lunch/copy", data={"from_day": _today().isoformat(),
                                                                       "from_meal": "breakfast"})
    assert copied.status_code == 422
    assert _count(app, Food) == 0
    assert auth_client.post(f"/food/{_today().isoformat()}/breakfast", data={"food_name": "Toast"}).status_code == 303
    copied = auth_client.post(f"/food/{tomorrow}/lunch/copy", data={"from_day": _today().isoformat(),
                                                                       "from_meal": "breakfast"})
    assert copied.status_code == 422 and MESSAGE in copied.get_data(as_text=True)
    with app.app_context():
        food_id = db.session.scalar(sa.select(Food.id))
    repeated = auth_client.post(f"/food/{food_id}/repeat", data={"day": tomorrow, "meal_type": "lunch"}, headers=HX)
    assert repeated.status_code == 422 and MESSAGE in repeated.get_data(as_text=True)
    assert _count(app, Food) == 1


def test_the_workout_form_refuses_a_day_not_yet_come_on_its_field(app, auth_client):
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    form = {"workout_date": tomorrow, "workout_type": "strength", "workout_name": "Legs"}
    refused = auth_client.post("/workouts/new", data=form)
    assert refused.status_code == 422
    assert f'<p class="error" id="workout_date-error">{MESSAGE}</p>' in refused.get_data(as_text=True)
    assert _count(app, Workout) == 0
    made = auth_client.post("/workouts/new", data={**form, "workout_date": _today().isoformat()})
    assert made.status_code == 303
    edit = made.headers["Location"].rstrip("/") + "/edit"
    assert MESSAGE in auth_client.post(edit, data=form).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Workout.workout_date)) == _today()
