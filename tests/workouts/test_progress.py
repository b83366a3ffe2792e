"""Progress pages, personal records across workouts, goal sources and the summary for Today."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from manifest.extensions import db
from manifest.goals import sources
from manifest.goals.sources import SourceRequest
from manifest.models import User
from manifest.workouts import goal_sources, records, services
from manifest.workouts.goal_sources import COUNT, DISTANCE, MINUTES, type_source_id
from tests.conftest import counted_statements


def test_progress_page_charts_weeks_and_shows_a_calendar(auth_client, kit, user, calm_today):
    kit.workout(user["id"], calm_today, duration_minutes=45)
    kit.workout(user["id"], calm_today - timedelta(days=1), duration_minutes=30)
    page = auth_client.get("/workouts/progress").get_data(as_text=True)
    assert "Minutes per week" in page and page.count('class="chart-bar') >= 1
    assert calm_today.strftime("%B %Y") in page
    assert page.count("has-workout") >= 1 and "is-today" in page

    old = calm_today.replace(day=1) - timedelta(days=40)
    kit.workout(user["id"], old, duration_minutes=20)
    month = old.strftime("%Y-%m")
    fragment = auth_client.get(f"/workouts/progress?month={month}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert old.strftime("%B %Y") in fragment and "<html" not in fragment and "has-workout" in fragment
    for bad in ("2026-13", "abcd-ef", "0000-01", "x"):
        assert auth_client.get(f"/workouts/progress?month={bad}").status_code == 200


def test_records_compare_across_units_and_workouts(auth_client, kit, user, calm_today):
    kit.lift(user["id"], calm_today - timedelta(days=9), "Squat", sets=((5, "100"),), unit="kg")
    kit.lift(user["id"], calm_today - timedelta(days=2), "squat", sets=((3, "225"),), unit="lbs")  # 102.06 kg
    kit.lift(user["id"], calm_today - timedelta(days=1), "SQUAT", sets=((10, "80"),), unit="kg")
    run = kit.workout(user["id"], calm_today, workout_type="cardio")
    kit.exercise(run, "Run", distance=Decimal(5), distance_unit="km", duration_seconds=1500)
    kit.exercise(run, "run", distance=Decimal(4), distance_unit="miles", duration_seconds=2400)
    with kit.app.app_context():
        recs = records.records_for(db.session.get(User, user["id"]), ["Squat", "Run"])
    squat, run_rec = recs["squat"], recs["run"]
    assert squat.heaviest.quantize(Decimal("0.01")) == Decimal("102.06")
    assert squat.one_rep_max.quantize(Decimal("0.01")) == Decimal("116.67")  # 100 x 5 beats 102 x 3 and 80 x 10
    assert squat.volume == Decimal(800)
    assert run_rec.distance == Decimal("6437.376")
    assert run_rec.pace == Decimal(300)

    page = auth_client.get("/workouts/progress").get_data(as_text=True)
    assert "102.06 kg" in page and "116.67 kg" in page and "6.44 km" in page and "5:00 /km" in page
    history = auth_client.get("/workouts/progress/exercise?name=squat").get_data(as_text=True)
    assert history.count('class="chart-dot"') >= 3 and "Estimated 1RM" in history
    assert "Distance" not in history
    runs = auth_client.get("/workouts/progress/exercise?name=Run").get_data(as_text=True)
    assert "Pace" in runs and "6.44 km" in runs
    assert auth_client.get("/workouts/progress/exercise").status_code == 303
    assert "No workouts with" in auth_client.get("/workouts/progress/exercise?name=Nope").get_data(as_text=True)


def test_records_shown_in_pounds_for_a_pounds_user(auth_client, kit, user, calm_today):
    kit.set_units(user["id"], "lbs", "miles")
    kit.lift(user["id"], calm_today, "Bench", sets=((1, "100"),))
    page = auth_client.get("/workouts/progress").get_data(as_text=True)
    assert "220.46 lbs" in page


def test_a_recorded_set_is_marked_on_the_workout_page(auth_client, kit, user, calm_today):
    workout_id, _ = kit.lift(user["id"], calm_today, "Squat", sets=((5, "100"), (5, "90")))
    page = auth_client.get(f"/workouts/{workout_id}").get_data(as_text=True)
    assert page.count('class="badge pr-held"') == 1


# --- goal sources -------------------------------------------------------------------------------

def test_sources_are_registered_with_an_option_per_type(app, user):
    for key in (COUNT, MINUTES, DISTANCE):
        assert sources.get(key) is not None
    with app.app_context():
        ana = db.session.get(User, user["id"])
        options = sources.get(COUNT).options(ana)
    assert [o.name for o in options] == ["All workouts", "Strength", "Cardio", "Flexibility", "Sport", "Other"]
    assert options[2].id == type_source_id(user["id"], "cardio")


def test_sources_count_minutes_and_distance_per_type_in_one_query(app, kit, user, other_user):
    day = date(2026, 3, 10)
    kit.workout(user["id"], day, workout_type="strength", duration_minutes=60)
    run = kit.workout(user["id"], day + timedelta(days=1), workout_type="cardio", duration_minutes=30)
    kit.exercise(run, "Run", distance=Decimal(5), distance_unit="km")
    kit.exercise(run, "Cooldown", distance=Decimal(800), distance_unit="meters")
    other_run = kit.workout(user["id"], day + timedelta(days=20), workout_type="cardio", duration_minutes=40)
    kit.exercise(other_run, "Run", distance=Decimal(2), distance_unit="miles")
    ben_run = kit.workout(other_user["id"], day, workout_type="cardio", duration_minutes=99)
    kit.exercise(ben_run, "Run", distance=Decimal(42), distance_unit="km")

    cardio, every = type_source_id(user["id"], "cardio"), type_source_id(user["id"], "any")
    bens = type_source_id(other_user["id"], "cardio")
    march = (day.replace(day=1), date(2026, 3, 31))
    first_half = (day.replace(day=1), date(2026, 3, 15))
    requests = [
        SourceRequest(COUNT, every, *march), SourceRequest(COUNT, cardio, *first_half),
        SourceRequest(MINUTES, every, *march), SourceRequest(MINUTES, cardio, *march),
        SourceRequest(DISTANCE, cardio, *first_half), SourceRequest(DISTANCE, every, *march),
        SourceRequest(COUNT, bens, *march),
    ]
    with app.app_context():
        ana = db.session.get(User, user["id"])
        with counted_statements(app) as statements:
            answers = sources.compute_all(ana, requests)
    assert len(statements) == 1
    assert [answers.get(r) for r in requests] == [
        Decimal(3), Decimal(1), Decimal(130), Decimal(70), Decimal("5.80"), Decimal("9.02"), None,
    ]


def test_distance_source_answers_in_miles_for_a_miles_user(app, kit, user):
    kit.set_units(user["id"], "kg", "miles")
    run = kit.workout(user["id"], date(2026, 3, 10), workout_type="cardio")
    kit.exercise(run, "Run", distance=Decimal("16.09344"), distance_unit="km")
    with app.app_context():
        ana = db.session.get(User, user["id"])
        request = SourceRequest(DISTANCE, type_source_id(user["id"], "cardio"), date(2026, 3, 1), date(2026, 3, 31))
        assert goal_sources.compute(ana, [request])[request] == Decimal("10.00")
        assert {o.unit for o in sources.get(DISTANCE).options(ana)} == {"miles"}


@pytest.mark.parametrize("garbage", ["00000000-0000-0000-0000-000000000000"])
def test_unknown_source_ids_are_not_answered(app, user, garbage):
    import uuid
    with app.app_context():
        ana = db.session.get(User, user["id"])
        request = SourceRequest(COUNT, uuid.UUID(garbage), date(2026, 1, 1), date(2026, 1, 31))
        assert goal_sources.compute(ana, [request]) == {}


# --- Today ----------------------------------------------------------------------------------

def test_today_summary_in_one_query(app, kit, user, other_user, calm_today):
    kit.workout(user["id"], calm_today, workout_name="Legs", duration_minutes=50, calories_burned=300)
    kit.workout(user["id"], calm_today, workout_type="cardio", duration_minutes=20)
    kit.workout(user["id"], calm_today - timedelta(days=1), duration_minutes=99)
    kit.workout(other_user["id"], calm_today, duration_minutes=77)
    with app.app_context():
        ana = db.session.get(User, user["id"])
        with counted_statements(app) as statements:
            summary = services.today_summary(ana, calm_today)
    assert len(statements) == 1
    assert (summary.workouts, summary.minutes, summary.calories) == (2, 70, 300)
    assert sorted(summary.names) == ["Cardio", "Legs"]
