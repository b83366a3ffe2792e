"""The list and a workout page send a constant number of statements, however much history there is."""

import uuid
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Workout, WorkoutExercise, WorkoutSet
from tests.conftest import HX, counted_statements

LIFTS = ("Squat", "Bench press", "Deadlift", "Row")


def seed_year(app, user_id, today: date, days: int = 365) -> uuid.UUID:
    """A workout every other day for ``days`` days: four lifts with four sets each, plus a run. Answers the newest."""
    workouts, exercises, sets = [], [], []
    newest = None
    for back in range(0, days, 2):
        workout_id = uuid.uuid4()
        newest = newest or workout_id
        workouts.append({"id": workout_id, "user_id": user_id, "workout_date": today - timedelta(days=back),
                         "workout_time": time(18), "workout_type": "strength", "workout_name": f"Day {back}",
                         "duration_minutes": 60})
        for order, name in enumerate(LIFTS):
            exercise_id = uuid.uuid4()
            exercises.append({"id": exercise_id, "workout_id": workout_id, "exercise_name": name,
                              "exercise_type": "strength", "order_index": order, "distance": None,
                              "distance_unit": None, "duration_seconds": None})
            for position in range(4):
                sets.append({"id": uuid.uuid4(), "workout_exercise_id": exercise_id, "position": position,
                             "reps": 5, "weight": Decimal(60 + back % 50), "weight_unit": "kg", "set_type": "normal"})
        exercises.append({"id": uuid.uuid4(), "workout_id": workout_id, "exercise_name": "Run", "exercise_type": "cardio",
                          "order_index": 9, "distance": Decimal(5), "distance_unit": "km", "duration_seconds": 1500})
    with app.app_context():
        db.session.execute(sa.insert(Workout), workouts)
        db.session.execute(sa.insert(WorkoutExercise), exercises)
        db.session.execute(sa.insert(WorkoutSet), sets)
        db.session.commit()
    return newest


def measure(app, client, url, headers=None) -> int:
    with counted_statements(app) as statements:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return len(statements)


@pytest.mark.parametrize(("url", "limit"), [
    ("/workouts/", 4),
    ("/workouts/?page=3", 4),
    ("/workouts/progress", 6),
    ("/workouts/progress/exercise?name=squat", 5),
])
def test_pages_cost_the_same_with_a_year_of_history(app, auth_client, user, url, limit):
    today = date.today()
    seed_year(app, user["id"], today, days=6)
    small = measure(app, auth_client, url)
    seed_year(app, user["id"], today - timedelta(days=7), days=365)
    large = measure(app, auth_client, url)
    assert large == small <= limit


def test_a_workout_page_and_its_fragments_cost_the_same_with_a_year_of_history(app, auth_client, kit, user):
    today = date.today()
    first = seed_year(app, user["id"], today, days=2)
    with app.app_context():
        exercise_id = db.session.scalar(sa.select(WorkoutExercise.id).where(WorkoutExercise.workout_id == first,
                                                                            WorkoutExercise.order_index == 0))
    small_page = measure(app, auth_client, f"/workouts/{first}")
    small_row = measure(app, auth_client, f"/workouts/exercises/{exercise_id}", HX)
    seed_year(app, user["id"], today - timedelta(days=3), days=365)
    assert measure(app, auth_client, f"/workouts/{first}") == small_page <= 8
    assert measure(app, auth_client, f"/workouts/exercises/{exercise_id}", HX) == small_row <= 7

    with counted_statements(app) as statements:
        response = auth_client.post(f"/workouts/exercises/{exercise_id}/sets",
                                    data={"reps": "5", "weight": "200", "weight_unit": "kg", "set_type": "normal"},
                                    headers=HX)
    assert "New PR" in response.get_data(as_text=True)
    assert len(statements) <= 20
