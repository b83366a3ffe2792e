"""A JSON body means what it says: booleans are JSON booleans, and a refused field gets one clear
message, the page's own."""

from datetime import UTC, datetime

import pytest

from manifest.extensions import db
from manifest.models import WorkoutSet
from tests.conftest import HX


def _errors(response) -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.get_json()["errors"]


@pytest.mark.parametrize("value", ["yes", "true", "1", 1, 0, "on"])
def test_a_check_in_skip_must_be_a_json_boolean(api, value):
    habit = api.post("/api/v1/habits", json={"name": "Run"}).get_json()
    day = datetime.now(UTC).date().isoformat()
    url = f"/api/v1/habits/{habit['id']}/days/{day}"
    assert _errors(api.put(url, json={"skip": value})) == {"skip": ["Send true or false."]}
    assert api.put(url, json={"skip": True}).get_json()["skipped"] is True
    assert api.put(url, json={"skip": False}).get_json()["skipped"] is False


def test_booleans_from_the_pages_forms_and_the_apis_own_bodies_are_json_booleans(api):
    assert _errors(api.post("/api/v1/goals", json={"title": "G", "goal_type": "weekly", "target_value": 3,
                                                   "is_recurring": "yes"})) == {"is_recurring": ["Send true or false."]}
    goal = api.post("/api/v1/goals", json={"title": "G", "goal_type": "weekly", "target_value": 3,
                                           "is_recurring": True}).get_json()
    assert goal["is_recurring"] is True
    milestone = api.post(f"/api/v1/goals/{goal['id']}/milestones", json={"title": "Step"}).get_json()
    url = f"/api/v1/goals/{goal['id']}/milestones/{milestone['id']}"
    assert _errors(api.patch(url, json={"done": "yes"})) == {"done": ["Send true or false."]}
    habit = api.post("/api/v1/habits", json={"name": "Run"}).get_json()
    assert _errors(api.post(f"/api/v1/habits/{habit['id']}/archive", json={"archived": 1})) == {
        "archived": ["Send true or false."]}
    # A query string is text: true/false there stays as it was.
    assert api.get("/api/v1/habits?archived=true").status_code == 200


def test_a_bad_set_type_gets_one_clear_message(api, auth_client, app):
    workout = api.post("/api/v1/workouts", json={"workout_type": "strength"}).get_json()
    base = f"/api/v1/workouts/{workout['id']}/exercises"
    exercise = api.post(base, json={"exercise_name": "Squat"}).get_json()
    assert _errors(api.post(f"{base}/{exercise['id']}/sets", json={"reps": 5, "set_type": "bogus"})) == {
        "set_type": ["Choose a set type."]}
    assert _errors(api.post(base, json={"exercise_name": "Squat", "exercise_type": "bogus"})) == {
        "exercise_type": ["Choose a kind."]}
    for headers in ({}, HX):
        page = auth_client.post(f"/workouts/exercises/{exercise['id']}/sets",
                                data={"reps": "5", "weight_unit": "kg", "set_type": "bogus"}, headers=headers)
        assert page.status_code == 422
        text = page.get_data(as_text=True)
        assert "Choose a set type." in text and "Not a valid choice" not in text
    with app.app_context():
        assert db.session.query(WorkoutSet).count() == 0
