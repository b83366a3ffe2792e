"""Every workout change names itself (workout-changed) for the regions of other areas that show
workouts; a refused one changes nothing and says nothing."""

from manifest.models import Workout
from tests.conftest import HX
from tests.workouts.test_routes import EXERCISE, SET, WORKOUT


def changed(response) -> bool:
    return "workout-changed" in (response.headers.get("HX-Trigger") or "").split(", ")


def test_every_workout_change_sends_workout_changed(auth_client, kit, user):
    workout_id = kit.workout(user["id"], workout_name="Legs")
    first = kit.exercise(workout_id, "Squat", order_index=0)
    second = kit.exercise(workout_id, "Lunge", order_index=1)
    set_id = kit.set(first)
    actions = [
        ("/workouts/new", WORKOUT),
        (f"/workouts/{workout_id}/edit", {**WORKOUT, "workout_name": "Leg day"}),
        (f"/workouts/{workout_id}/exercises", {**EXERCISE, "exercise_name": "Deadlift"}),
        (f"/workouts/exercises/{first}/edit", {**EXERCISE, "exercise_name": "Back squat"}),
        (f"/workouts/exercises/{second}/move", {"direction": "up"}),
        (f"/workouts/exercises/{first}/sets", SET),
        (f"/workouts/sets/{set_id}/delete", {}),
        (f"/workouts/exercises/{second}/delete", {}),
        (f"/workouts/{workout_id}/repeat", {"mode": "targets"}),
        (f"/workouts/{workout_id}/delete", {}),
    ]
    for url, data in actions:
        response = auth_client.post(url, data=data, headers=HX)
        assert response.status_code == 200, url
        assert changed(response), url
    assert kit.count(Workout) == 2  # the one created and the copy; the first is gone


def test_leaving_for_another_page_sends_it_along_with_the_redirect(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    response = auth_client.post(f"/workouts/{workout_id}/delete", headers=HX)
    assert response.headers["HX-Redirect"] == "/workouts/" and changed(response)


def test_a_refused_change_sends_nothing(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    exercise_id = kit.exercise(workout_id)
    refused = [
        ("/workouts/new", {**WORKOUT, "workout_date": ""}, 422),
        (f"/workouts/{workout_id}/edit", {**WORKOUT, "mood_after": "0"}, 422),
        (f"/workouts/{workout_id}/exercises", {**EXERCISE, "exercise_name": ""}, 422),
        (f"/workouts/exercises/{exercise_id}/edit", {**EXERCISE, "reps": "5"}, 422),
        (f"/workouts/exercises/{exercise_id}/sets", {**SET, "reps": "", "weight": ""}, 422),
        (f"/workouts/exercises/{exercise_id}/move", {"direction": "sideways"}, 400),
        (f"/workouts/{workout_id}/repeat", {"mode": "all"}, 400),
    ]
    for url, data, status in refused:
        response = auth_client.post(url, data=data, headers=HX)
        assert response.status_code == status, url
        assert not changed(response), url


def test_reading_sends_nothing(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    exercise_id = kit.exercise(workout_id)
    for url in (f"/workouts/{workout_id}", f"/workouts/exercises/{exercise_id}",
                f"/workouts/exercises/{exercise_id}/edit", "/workouts/"):
        response = auth_client.get(url, headers=HX)
        assert response.status_code == 200 and not changed(response), url
