"""Another user's workouts, exercises and sets: every route answers 404 and nothing changes."""

import pytest

from manifest.models import Workout, WorkoutExercise, WorkoutSet
from tests.conftest import HX, shows_number

SET = {"reps": "5", "weight": "100", "weight_unit": "kg", "set_type": "normal"}
EXERCISE = {"exercise_name": "Hacked", "exercise_type": "strength", "weight_unit": "kg", "distance_unit": "km"}
WORKOUT = {"workout_date": "2026-01-01", "workout_type": "other", "workout_name": "Hacked"}


@pytest.fixture
def bens(kit, other_user):
    workout_id = kit.workout(other_user["id"], workout_name="Ben's secret session", notes="Ben's notes")
    exercise_id = kit.exercise(workout_id, "Ben's secret lift")
    set_id = kit.set(exercise_id, 5, "180")
    return {"workout": workout_id, "exercise": exercise_id, "set": set_id}


ROUTES = [
    ("GET", "/workouts/{workout}", None),
    ("GET", "/workouts/{workout}/edit", None),
    ("POST", "/workouts/{workout}/edit", WORKOUT),
    ("GET", "/workouts/{workout}/delete", None),
    ("POST", "/workouts/{workout}/delete", {}),
    ("POST", "/workouts/{workout}/repeat", {"mode": "targets"}),
    ("POST", "/workouts/{workout}/exercises", EXERCISE),
    ("GET", "/workouts/exercises/{exercise}", None),
    ("GET", "/workouts/exercises/{exercise}/edit", None),
    ("POST", "/workouts/exercises/{exercise}/edit", EXERCISE),
    ("POST", "/workouts/exercises/{exercise}/delete", {}),
    ("POST", "/workouts/exercises/{exercise}/move", {"direction": "up"}),
    ("POST", "/workouts/exercises/{exercise}/sets", SET),
    ("POST", "/workouts/sets/{set}/delete", {}),
]


@pytest.mark.parametrize(("method", "path", "data"), ROUTES)
@pytest.mark.parametrize("htmx", [False, True])
def test_other_users_rows_are_not_found_and_unchanged(auth_client, kit, bens, method, path, data, htmx):
    before = kit.snapshot()
    response = auth_client.open(path.format(**bens), method=method, data=data, headers=HX if htmx else {})
    assert response.status_code == 404
    assert "Ben" not in response.get_data(as_text=True)
    assert kit.snapshot() == before


def test_invalid_input_on_other_users_rows_is_still_not_found(auth_client, kit, bens):
    before = kit.snapshot()
    assert auth_client.post(f"/workouts/{bens['workout']}/exercises", data={"reps": "5"}).status_code == 404
    assert auth_client.post(f"/workouts/exercises/{bens['exercise']}/sets", data={"weight": "-1"}).status_code == 404
    assert auth_client.post(f"/workouts/exercises/{bens['exercise']}/edit", data={}, headers=HX).status_code == 404
    assert kit.snapshot() == before


def test_lists_names_and_records_show_only_the_viewers_rows(auth_client, kit, user, bens):
    mine = kit.workout(user["id"], workout_name="Ana's session")
    kit.exercise(mine, "Squat")
    listing = auth_client.get("/workouts/").get_data(as_text=True)
    assert "Ana&#39;s session" in listing and "Ben" not in listing
    names = auth_client.get("/workouts/exercise-names?q=secret").get_data(as_text=True)
    assert "Ben" not in names and "secret" not in names
    assert "Ben" not in auth_client.get("/workouts/exercise-names").get_data(as_text=True)
    page = auth_client.get(f"/workouts/{mine}").get_data(as_text=True)
    assert "Ben" not in page
    for url in ("/workouts/progress", "/workouts/progress/exercise?name=Ben%27s%20secret%20lift"):
        text = auth_client.get(url).get_data(as_text=True)
        assert not shows_number(text, 180) and "Ben&#39;s secret lift</a>" not in text


def test_a_users_records_ignore_other_users_sets(auth_client, kit, user, other_user):
    ben_workout = kit.workout(other_user["id"])
    kit.set(kit.exercise(ben_workout, "Squat"), 5, "300")
    kit.lift(user["id"], None, "Squat", sets=((5, "100"),))
    workout_id = kit.workout(user["id"])
    exercise_id = kit.exercise(workout_id, "Squat")
    text = auth_client.post(f"/workouts/exercises/{exercise_id}/sets", data={**SET, "weight": "110"},
                            headers=HX).get_data(as_text=True)
    assert "New PR" in text  # beaten against Ana's 100, not Ben's 300


def test_ids_in_form_data_are_ignored(auth_client, kit, user, other_user, bens):
    response = auth_client.post("/workouts/new", data={**WORKOUT, "user_id": str(other_user["id"])})
    assert response.status_code == 303
    created = [w for w in kit.rows(Workout) if w.workout_name == "Hacked"]
    assert [w.user_id for w in created] == [user["id"]]
    mine = created[0].id
    auth_client.post(f"/workouts/{mine}/exercises", data={**EXERCISE, "workout_id": str(bens["workout"])})
    assert kit.count(WorkoutExercise, workout_id=bens["workout"]) == 1
    assert kit.count(WorkoutSet) == 1
