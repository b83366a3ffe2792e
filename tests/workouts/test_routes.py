"""Workouts, exercises and sets through the routes: happy paths, htmx and no-JS, bad input refused with nothing saved."""

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from manifest.models import Workout, WorkoutExercise, WorkoutSet
from tests.conftest import HX

WORKOUT = {"workout_date": "2026-11-20", "workout_time": "18:30", "workout_type": "strength", "workout_name": "Legs",
           "duration_minutes": "60", "calories_burned": "400", "intensity": "high", "location": "Gym",
           "mood_before": "5", "mood_after": "8", "notes": "Felt strong"}
EXERCISE = {"exercise_name": "Squat", "exercise_type": "strength", "sets": "", "reps": "", "weight": "",
            "weight_unit": "kg", "distance": "", "distance_unit": "km", "duration": "", "rest_seconds": "120", "notes": ""}
SET = {"reps": "5", "weight": "100", "weight_unit": "kg", "set_type": "normal"}


# --- whole workouts -------------------------------------------------------------------------

def test_log_a_workout_and_see_it(auth_client, kit, user):
    response = auth_client.post("/workouts/new", data=WORKOUT)
    assert response.status_code == 303
    [workout] = kit.rows(Workout)
    assert (workout.user_id, workout.workout_name, workout.duration_minutes, workout.mood_after) == (user["id"], "Legs", 60, 8)
    assert response.headers["Location"].endswith(f"/workouts/{workout.id}")
    page = auth_client.get(f"/workouts/{workout.id}").get_data(as_text=True)
    assert "Legs" in page and "Felt strong" in page and "Gym" in page and 'id="exercise-form"' in page


def test_new_form_starts_today_and_takes_a_type(auth_client):
    page = auth_client.get("/workouts/new?type=cardio").get_data(as_text=True)
    assert f'value="{date.today().isoformat()}"' in page or "workout_date" in page
    assert '<option selected value="cardio">' in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("workout_type", "yoga-ish", "Not a valid choice"),
    ("workout_date", "", "Enter the day"),
    ("workout_date", "0001-01-01", "Choose a date between 1900 and 2999."),
    ("duration_minutes", "-5", "0 to 1440"),
    ("duration_minutes", "ten", "Not a valid integer"),
    ("calories_burned", "1000000000", "0 to 20000"),
    ("mood_before", "11", "1 to 10"),
    ("intensity", "extreme", "Not a valid choice"),
    ("workout_name", "x" * 256, "256"),
])
def test_bad_workout_input_is_a_form_error(auth_client, kit, field, value, message):
    response = auth_client.post("/workouts/new", data={**WORKOUT, field: value})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text or "characters" in text
    assert kit.count(Workout) == 0


def test_edit_and_delete_a_workout(auth_client, kit, user):
    workout_id = kit.workout(user["id"], workout_name="Old")
    assert auth_client.get(f"/workouts/{workout_id}/edit").status_code == 200
    response = auth_client.post(f"/workouts/{workout_id}/edit", data={**WORKOUT, "workout_name": "New", "intensity": ""})
    assert response.status_code == 303
    saved = kit.get(Workout, workout_id)
    assert (saved.workout_name, saved.intensity) == ("New", None)

    bad = auth_client.post(f"/workouts/{workout_id}/edit", data={**WORKOUT, "mood_after": "0"})
    assert bad.status_code == 422 and kit.get(Workout, workout_id).mood_after == 8

    assert "Delete" in auth_client.get(f"/workouts/{workout_id}/delete").get_data(as_text=True)
    exercise_id = kit.exercise(workout_id)
    kit.set(exercise_id)
    response = auth_client.post(f"/workouts/{workout_id}/delete", headers=HX)
    assert response.headers["HX-Redirect"] == "/workouts/"
    assert kit.count(Workout) == kit.count(WorkoutExercise) == kit.count(WorkoutSet) == 0


def test_list_is_newest_first_and_paginated(auth_client, kit, user):
    today = date.today()
    for n in range(25):
        kit.workout(user["id"], today - timedelta(days=n), workout_name=f"Session {n:02}")
    first = auth_client.get("/workouts/").get_data(as_text=True)
    assert first.index("Session 00") < first.index("Session 01")
    assert "Session 19" in first and "Session 20" not in first and "Older" in first
    second = auth_client.get("/workouts/?page=2", headers=HX).get_data(as_text=True)
    assert "Session 20" in second and "Session 24" not in first and "<html" not in second
    assert "Newer" in second and "Older" not in second
    assert auth_client.get("/workouts/?page=abc").status_code == 200
    assert "No older workouts" in auth_client.get("/workouts/?page=9").get_data(as_text=True)


# --- exercises --------------------------------------------------------------------------------

def test_add_an_exercise_inline(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    kit.exercise(workout_id, "Bench press", order_index=0)
    response = auth_client.post(f"/workouts/{workout_id}/exercises",
                                data={**EXERCISE, "sets": "3", "reps": "5", "weight": "100"}, headers=HX)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    exercise = kit.rows(WorkoutExercise, exercise_name="Squat")[0]
    assert f'id="exercise-{exercise.id}"' in text and "3 × 5 @ 100 kg" in text
    assert 'id="workout-summary"' in text and 'hx-swap-oob="true"' in text  # the counters follow
    assert 'id="exercise-form"' in text  # a fresh form, out of band
    assert (exercise.order_index, exercise.weight, exercise.weight_unit, exercise.rest_seconds) == (1, Decimal(100), "kg", 120)


def test_add_an_exercise_without_javascript(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    response = auth_client.post(f"/workouts/{workout_id}/exercises",
                                data={**EXERCISE, "exercise_type": "cardio", "distance": "5", "duration": "25:00"})
    assert response.status_code == 303
    exercise = kit.rows(WorkoutExercise)[0]
    assert response.headers["Location"].endswith(f"#exercise-{exercise.id}")
    assert (exercise.distance, exercise.distance_unit, exercise.duration_seconds, exercise.weight_unit) == (
        Decimal(5), "km", 1500, None)
    page = auth_client.get(f"/workouts/{workout_id}").get_data(as_text=True)
    assert "5 km" in page and "25:00" in page and "5:00 /km" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"reps": "5"}, "how many sets"),  # reps without sets
    ({"weight": "-5", "reps": "5", "sets": "1"}, "0 to 9999.99"),
    ({"weight": "1000000000", "reps": "5", "sets": "1"}, "0 to 9999.99"),
    ({"weight": "heavy", "reps": "5", "sets": "1"}, "Enter a number"),
    ({"weight": "NaN", "reps": "5", "sets": "1"}, "Enter a number"),
    ({"weight": "100", "sets": "3"}, "reps done with this weight"),
    ({"sets": "five"}, "Not a valid integer"),
    ({"reps": "-1", "sets": "1"}, "0 to 1000"),
    ({"distance": "1e9"}, "0 to 999999.99"),
    ({"duration": "an hour"}, "minutes:seconds"),
    ({"exercise_name": ""}, "Name the exercise"),
    ({"weight_unit": "stone", "weight": "5", "reps": "1", "sets": "1"}, "Not a valid choice"),
    ({"distance_unit": "yards", "distance": "5"}, "Not a valid choice"),
])
@pytest.mark.parametrize("htmx", [True, False])
def test_bad_exercise_input_is_a_form_error(auth_client, kit, user, changes, message, htmx):
    workout_id = kit.workout(user["id"])
    response = auth_client.post(f"/workouts/{workout_id}/exercises", data={**EXERCISE, **changes},
                                headers=HX if htmx else {})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text
    if htmx:
        assert response.headers["HX-Retarget"] == "#exercise-form" and "<html" not in text
    assert kit.count(WorkoutExercise) == 0


def test_edit_an_exercise_inline_and_cancel(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    exercise_id = kit.exercise(workout_id, "Row", exercise_type="strength", sets=3, reps=8, weight=Decimal(60),
                               weight_unit="kg")
    form = auth_client.get(f"/workouts/exercises/{exercise_id}/edit", headers=HX).get_data(as_text=True)
    assert 'value="Row"' in form and "Save exercise" in form and "<html" not in form
    assert "Save exercise" in auth_client.get(f"/workouts/exercises/{exercise_id}/edit").get_data(as_text=True)

    bad = auth_client.post(f"/workouts/exercises/{exercise_id}/edit", data={**EXERCISE, "reps": "8"}, headers=HX)
    assert bad.status_code == 422 and "how many sets" in bad.get_data(as_text=True)
    assert kit.get(WorkoutExercise, exercise_id).exercise_name == "Row"

    response = auth_client.post(f"/workouts/exercises/{exercise_id}/edit",
                                data={**EXERCISE, "exercise_name": "Barbell row", "sets": "4", "reps": "8",
                                      "weight": "135", "weight_unit": "lbs"}, headers=HX)
    assert response.status_code == 200 and "Barbell row" in response.get_data(as_text=True)
    saved = kit.get(WorkoutExercise, exercise_id)
    assert (saved.exercise_name, saved.sets, saved.weight, saved.weight_unit) == ("Barbell row", 4, Decimal(135), "lbs")
    # Shown in the user's unit (kg): 135 lbs = 61.23 kg.
    assert "61.23 kg" in response.get_data(as_text=True)

    row = auth_client.get(f"/workouts/exercises/{exercise_id}", headers=HX).get_data(as_text=True)
    assert "Barbell row" in row and "Save exercise" not in row
    assert auth_client.get(f"/workouts/exercises/{exercise_id}").status_code == 303

    nojs = auth_client.post(f"/workouts/exercises/{exercise_id}/edit", data={**EXERCISE, "exercise_name": "Pendlay row"})
    assert nojs.status_code == 303 and kit.get(WorkoutExercise, exercise_id).exercise_name == "Pendlay row"


def test_remove_and_reorder_exercises(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    a = kit.exercise(workout_id, "A", order_index=0)
    b = kit.exercise(workout_id, "B", order_index=1)
    c = kit.exercise(workout_id, "C", order_index=2)
    response = auth_client.post(f"/workouts/exercises/{c}/move", data={"direction": "up"}, headers=HX)
    text = response.get_data(as_text=True)
    assert text.index("exercise-" + str(c)) < text.index("exercise-" + str(b))
    assert [e.exercise_name for e in sorted(kit.rows(WorkoutExercise), key=lambda e: e.order_index)] == ["A", "C", "B"]
    assert auth_client.post(f"/workouts/exercises/{a}/move", data={"direction": "sideways"}).status_code == 400
    assert auth_client.post(f"/workouts/exercises/{a}/move", data={"direction": "down"}).status_code == 303
    assert [e.exercise_name for e in sorted(kit.rows(WorkoutExercise), key=lambda e: e.order_index)] == ["C", "A", "B"]

    kit.set(b)
    response = auth_client.post(f"/workouts/exercises/{b}/delete", headers=HX)
    assert response.status_code == 200 and 'id="workout-summary"' in response.get_data(as_text=True)
    assert 'id="exercise-' not in response.get_data(as_text=True)
    assert kit.count(WorkoutExercise) == 2 and kit.count(WorkoutSet) == 0
    assert auth_client.post(f"/workouts/exercises/{a}/delete").status_code == 303
    assert kit.count(WorkoutExercise) == 1


# --- sets --------------------------------------------------------------------------------------

def test_log_a_pyramid_set_by_set(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    exercise_id = kit.exercise(workout_id, "Bench press", exercise_type="strength")
    for reps, weight, kind in ((10, "60", "warmup"), (8, "80", "normal"), (5, "90", "normal"), (3, "95", "failure"),
                               (10, "70", "drop")):
        response = auth_client.post(f"/workouts/exercises/{exercise_id}/sets",
                                    data={"reps": reps, "weight": weight, "weight_unit": "kg", "set_type": kind}, headers=HX)
        assert response.status_code == 200
    rows = sorted(kit.rows(WorkoutSet), key=lambda s: s.position)
    assert [(s.reps, s.weight, s.set_type) for s in rows] == [
        (10, Decimal(60), "warmup"), (8, Decimal(80), "normal"), (5, Decimal(90), "normal"), (3, Decimal(95), "failure"),
        (10, Decimal(70), "drop")]
    assert [s.position for s in rows] == [0, 1, 2, 3, 4]
    text = response.get_data(as_text=True)
    # The summary comes from the sets: 90 x 5 -> 105 beats 95 x 3 -> 104.5 and 80 x 8 -> 101.3.
    assert "5 sets (1 warm-up)" in text and "best 90 kg × 5 reps" in text


def test_a_set_beating_the_record_is_marked_at_once(auth_client, kit, user, yesterday):
    kit.lift(user["id"], yesterday, "Squat", sets=((5, "100"), (5, "100")))
    workout_id = kit.workout(user["id"])
    exercise_id = kit.exercise(workout_id, "squat")  # the same exercise, whatever the case
    same = auth_client.post(f"/workouts/exercises/{exercise_id}/sets", data=SET, headers=HX).get_data(as_text=True)
    assert "New PR" not in same
    better = auth_client.post(f"/workouts/exercises/{exercise_id}/sets",
                              data={**SET, "weight": "225", "weight_unit": "lbs"}, headers=HX).get_data(as_text=True)
    assert "New PR: heaviest weight, estimated 1RM, set volume" in better  # 225 lbs = 102.06 kg
    assert better.count("New PR") == 1


def test_a_new_record_without_javascript_is_flashed(auth_client, kit, user, yesterday):
    kit.lift(user["id"], yesterday, "Deadlift", sets=((5, "140"),))
    workout_id = kit.workout(user["id"])
    exercise_id = kit.exercise(workout_id, "Deadlift")
    response = auth_client.post(f"/workouts/exercises/{exercise_id}/sets", data={**SET, "reps": "6", "weight": "140"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#exercise-{exercise_id}")
    assert "New PR: estimated 1RM, set volume!" in auth_client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(("changes", "message"), [
    ({"weight": "-1"}, "0 to 9999.99"),
    ({"weight": "1000000000"}, "0 to 9999.99"),
    ({"weight": "ten"}, "Enter a number"),
    ({"weight": "inf"}, "Enter a number"),
    ({"reps": "five"}, "Not a valid integer"),
    ({"reps": "1001"}, "0 to 1000"),
    ({"reps": "", "weight": ""}, "reps, the weight or both"),
    ({"set_type": "super"}, "Choose a set type."),
    ({"weight_unit": "oz"}, "Not a valid choice"),
])
@pytest.mark.parametrize("htmx", [True, False])
def test_bad_set_input_is_a_form_error(auth_client, kit, user, changes, message, htmx):
    workout_id = kit.workout(user["id"])
    exercise_id = kit.exercise(workout_id)
    response = auth_client.post(f"/workouts/exercises/{exercise_id}/sets", data={**SET, **changes},
                                headers=HX if htmx else {})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert kit.count(WorkoutSet) == 0


def test_remove_a_set(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    exercise_id = kit.exercise(workout_id)
    first, second = kit.set(exercise_id, position=0), kit.set(exercise_id, 3, "120", position=1)
    response = auth_client.post(f"/workouts/sets/{second}/delete", headers=HX)
    assert response.status_code == 200 and "1 set" in response.get_data(as_text=True)
    assert [s.id for s in kit.rows(WorkoutSet)] == [first]
    assert auth_client.post(f"/workouts/sets/{first}/delete").status_code == 303
    assert kit.count(WorkoutSet) == 0


def test_a_bodyweight_set_needs_no_weight(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    exercise_id = kit.exercise(workout_id, "Pull-up")
    response = auth_client.post(f"/workouts/exercises/{exercise_id}/sets",
                                data={"reps": "12", "weight": "", "weight_unit": "kg", "set_type": "normal"}, headers=HX)
    assert response.status_code == 200 and "bodyweight" in response.get_data(as_text=True)
    [row] = kit.rows(WorkoutSet)
    assert (row.reps, row.weight, row.weight_unit) == (12, None, None)


# --- units ---------------------------------------------------------------------------------

def test_values_keep_their_unit_and_show_in_the_preferred_one(auth_client, kit, user):
    kit.set_units(user["id"], "lbs", "miles")
    workout_id = kit.workout(user["id"])
    lift = kit.exercise(workout_id, "Squat", order_index=0)
    kit.set(lift, 5, "100", "kg")
    run = kit.exercise(workout_id, "Run", order_index=1, distance=Decimal(10), distance_unit="km", duration_seconds=3000)
    page = auth_client.get(f"/workouts/{workout_id}").get_data(as_text=True)
    assert "220.46 lbs" in page and "6.21 miles" in page
    assert "8:03 /mi" in page  # 5:00 per km
    assert kit.get(WorkoutSet, kit.rows(WorkoutSet)[0].id).weight_unit == "kg"
    assert kit.get(WorkoutExercise, run).distance_unit == "km"
    # The add-set form starts in the user's unit for a new exercise.
    other = kit.exercise(workout_id, "Curl", order_index=2)
    assert '<option selected value="lbs">' in auth_client.get(f"/workouts/exercises/{other}", headers=HX).get_data(as_text=True)


# --- autocomplete and repeat -----------------------------------------------------------------

def test_exercise_names_come_from_the_users_history(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    for name in ("Squat", "squat", "Front squat", "Bench press"):
        kit.exercise(workout_id, name)
    names = auth_client.get("/workouts/exercise-names?q=SQU").get_data(as_text=True)
    assert "Front squat" in names and "Bench press" not in names
    assert names.lower().count('value="squat"') == 1
    assert "100%" not in auth_client.get("/workouts/exercise-names?q=100%25").get_data(as_text=True)
    page = auth_client.get(f"/workouts/{workout_id}").get_data(as_text=True)
    assert '<datalist id="exercise-names">' in page and '<option value="Bench press">' in page


@pytest.mark.parametrize("mode", ["targets", "empty"])
def test_repeat_a_workout_today(auth_client, kit, user, calm_today, mode):
    source = kit.workout(user["id"], calm_today - timedelta(days=7), workout_name="Push", duration_minutes=50,
                         notes="private note")
    bench = kit.exercise(source, "Bench", order_index=0, weight_unit="kg", rest_seconds=90)
    kit.set(bench, 8, "60", set_type="warmup", position=0)
    kit.set(bench, 5, "80", position=1)
    kit.set(bench, 5, "82.5", position=2)
    kit.exercise(source, "Run", order_index=1, exercise_type="cardio", distance=Decimal(3), distance_unit="km",
                 duration_seconds=900)
    response = auth_client.post(f"/workouts/{source}/repeat", data={"mode": mode})
    assert response.status_code == 303
    copy = next(w for w in kit.rows(Workout) if w.id != source)
    assert (copy.workout_date, copy.workout_name, copy.notes) == (calm_today, "Push", None)
    exercises = sorted(kit.rows(WorkoutExercise, workout_id=copy.id), key=lambda e: e.order_index)
    assert [e.exercise_name for e in exercises] == ["Bench", "Run"]
    assert kit.count(WorkoutSet) == 3  # nothing done yet in the copy
    bench_copy, run_copy = exercises
    assert bench_copy.rest_seconds == 90
    if mode == "targets":
        assert (bench_copy.sets, bench_copy.reps, bench_copy.weight) == (2, 5, Decimal("82.5"))
        assert "Last time: 80 kg × 5, 82.5 kg × 5" in bench_copy.notes
        assert (run_copy.distance, run_copy.duration_seconds) == (Decimal(3), 900)
        page = auth_client.get(response.headers["Location"]).get_data(as_text=True)
        assert 'value="82.5"' in page  # the set form starts at the target
    else:
        assert (bench_copy.sets, bench_copy.reps, bench_copy.weight, bench_copy.notes) == (None, None, None, None)
        assert (run_copy.distance, run_copy.duration_seconds) == (None, None)


def test_a_lbs_user_plans_and_logs_in_lbs_whatever_the_last_workout_used(auth_client, kit, user, calm_today):
    source = kit.workout(user["id"], calm_today - timedelta(days=7), workout_name="Pull")
    row = kit.exercise(source, "Deadlift", weight_unit="kg")
    kit.set(row, 5, "100", position=0)
    kit.set_units(user["id"], weight_unit="lbs")
    response = auth_client.post(f"/workouts/{source}/repeat", data={"mode": "targets"})
    copy = next(w for w in kit.rows(Workout) if w.id != source)
    [planned] = kit.rows(WorkoutExercise, workout_id=copy.id)
    assert "Last time: 220.46 lbs × 5" in planned.notes
    page = auth_client.get(response.headers["Location"]).get_data(as_text=True)
    # The add-set form starts at last time's weight, converted: 100 kg is 220.46 lbs.
    assert 'value="220.46"' in page and '<option selected value="lbs">' in page


def _repeat_key(page: str) -> str:
    return re.search(r'name="key" type="hidden" value="([0-9a-f-]{36})"', page).group(1)


def test_repeat_sent_twice_makes_one_copy(auth_client, kit, user, calm_today):
    source = kit.workout(user["id"], calm_today - timedelta(days=7), workout_name="Push")
    kit.exercise(source, "Bench", order_index=0)
    key = _repeat_key(auth_client.get(f"/workouts/{source}").get_data(as_text=True))
    first = auth_client.post(f"/workouts/{source}/repeat", data={"mode": "targets", "key": key})
    again = auth_client.post(f"/workouts/{source}/repeat", data={"mode": "targets", "key": key}, headers=HX)
    assert first.status_code == 303 and again.status_code == 200
    assert again.headers["HX-Redirect"] == first.headers["Location"]
    assert kit.count(Workout) == 2 and kit.count(WorkoutExercise) == 2
    # The page shown again has a new key: repeating it once more is a new copy, as asked.
    fresh = _repeat_key(auth_client.get(f"/workouts/{source}").get_data(as_text=True))
    assert fresh != key
    auth_client.post(f"/workouts/{source}/repeat", data={"mode": "targets", "key": fresh})
    assert kit.count(Workout) == 3


def test_repeat_racing_its_twin_answers_the_twins_copy(auth_client, kit, user, monkeypatch):
    # Both requests looked before either wrote: the database's unique key refuses the second copy.
    from manifest.workouts import services
    source = kit.workout(user["id"], workout_name="Push")
    key = "0b8a4c52-3d0e-4c57-9a51-6f1c2b7d9e10"
    first = auth_client.post(f"/workouts/{source}/repeat", data={"mode": "empty", "key": key})
    real = services._repeated
    looks = []

    def not_yet_made(*args):
        looks.append(args)
        return None if len(looks) == 1 else real(*args)

    monkeypatch.setattr(services, "_repeated", not_yet_made)
    second = auth_client.post(f"/workouts/{source}/repeat", data={"mode": "empty", "key": key})
    assert second.headers["Location"] == first.headers["Location"]
    assert kit.count(Workout) == 2


def test_a_repeat_key_is_the_users_own(auth_client, kit, user, other_user):
    # Another user's key neither finds their copy nor stops this user's.
    key = "0b8a4c52-3d0e-4c57-9a51-6f1c2b7d9e10"
    theirs = kit.workout(other_user["id"], repeat_key=uuid.UUID(key))
    source = kit.workout(user["id"])
    response = auth_client.post(f"/workouts/{source}/repeat", data={"mode": "empty", "key": key})
    assert str(theirs) not in response.headers["Location"]
    assert kit.count(Workout, user_id=user["id"]) == 2


@pytest.mark.parametrize("key", ["", "not-a-key"])
def test_a_repeat_without_a_usable_key_still_copies(auth_client, kit, user, key):
    source = kit.workout(user["id"])
    for _ in range(2):
        assert auth_client.post(f"/workouts/{source}/repeat", data={"mode": "empty", "key": key}).status_code == 303
    assert kit.count(Workout) == 3


def test_repeat_needs_a_known_mode(auth_client, kit, user):
    workout_id = kit.workout(user["id"])
    assert auth_client.post(f"/workouts/{workout_id}/repeat", data={"mode": "all"}).status_code == 400
    assert kit.count(Workout) == 1


def test_a_faster_run_is_a_new_record(auth_client, kit, user, yesterday):
    earlier = kit.workout(user["id"], yesterday, workout_type="cardio")
    kit.exercise(earlier, "Run", exercise_type="cardio", distance=Decimal(5), distance_unit="km", duration_seconds=1800)
    workout_id = kit.workout(user["id"], workout_type="cardio")
    response = auth_client.post(f"/workouts/{workout_id}/exercises",
                                data={**EXERCISE, "exercise_name": "run", "exercise_type": "cardio", "distance": "3.2",
                                      "distance_unit": "miles", "duration": "29:00"}, headers=HX)
    # 3.2 miles = 5.15 km (longer), 29:00 for it is 5:38 /km (faster than 6:00 /km).
    assert "New PR: longest distance" in response.get_data(as_text=True)
    assert "fastest pace" in response.get_data(as_text=True)


def test_a_heavier_single_line_exercise_is_a_new_record(auth_client, kit, user, yesterday):
    kit.lift(user["id"], yesterday, "Press", sets=((5, "50"),))
    workout_id = kit.workout(user["id"])
    response = auth_client.post(f"/workouts/{workout_id}/exercises",
                                data={**EXERCISE, "exercise_name": "Press", "sets": "3", "reps": "5", "weight": "52.5"},
                                headers=HX)
    assert "New PR: heaviest weight" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["²", "-1", "x", "9" * 30, ""])
def test_an_odd_page_number_shows_the_first_page(auth_client, page):
    response = auth_client.get(f"/workouts/?page={page}")
    assert response.status_code == 200
