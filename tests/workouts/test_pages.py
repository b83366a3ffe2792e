"""The workout pages' view models, from plain rows: no database, no app."""

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from manifest.workouts import logic, pages

T0 = datetime(2026, 3, 4, 18, 0)


def exercise(name="Squat", **fields):
    values = {"id": f"ex-{name}", "exercise_name": name, "sets": None, "reps": None, "weight": None,
              "weight_unit": None, "distance": None, "distance_unit": None, "duration_seconds": None}
    return SimpleNamespace(**{**values, **fields})


def a_set(key, reps, weight, position, unit="kg", set_type="normal"):
    return SimpleNamespace(id=key, reps=reps, weight=None if weight is None else Decimal(weight),
                           weight_unit=unit if weight is not None else None, set_type=set_type,
                           position=position, created_at=T0)


def test_an_exercise_lists_its_sets_in_order_with_their_best_and_the_records_they_hold():
    sets = [a_set("c", 5, "90", 2), a_set("a", 10, "60", 0, set_type="warmup"), a_set("b", 8, "80", 1)]
    rec = logic.records([logic.Lift(Decimal(90), 5), logic.Lift(Decimal(50), 20)])  # volume 1000: not held
    view = pages.exercise_view(exercise(), sets, rec)
    assert [(s.number, s.row.id) for s in view.sets] == [(1, "a"), (2, "b"), (3, "c")]
    assert view.best.id == "c"  # 90 x 5 -> 105 beats 80 x 8 -> 101.3
    assert view.summary.count == 3 and view.summary.warmups == 1
    assert [s.holds for s in view.sets] == [[], [], ["heaviest", "one_rep_max"]]
    assert view.id == "ex-Squat" and view.pace is None


def test_a_distance_in_miles_has_a_pace_per_kilometre():
    view = pages.exercise_view(exercise("Run", distance=Decimal(5), distance_unit="km", duration_seconds=1500), [], None)
    assert view.pace == Decimal(300) and view.sets == [] and view.summary is None and view.best is None


def test_new_records_are_marked_on_the_set_that_beat_them_or_on_the_line():
    sets = [a_set("a", 5, "100", 0), a_set("b", 5, "110", 1)]
    on_set = pages.exercise_view(exercise(), sets, None).mark_new_records(["heaviest"], set_id="b")
    assert [s.new_records for s in on_set.sets] == [[], ["heaviest"]] and on_set.new_records == []
    on_line = pages.exercise_view(exercise(), [], None).mark_new_records(["distance"])
    assert on_line.new_records == ["distance"]


def test_a_workout_counts_logged_sets_or_else_the_planned_ones():
    logged = pages.exercise_view(exercise("Squat"), [a_set("a", 5, "100", 0), a_set("b", 5, "100", 1)], None)
    planned = pages.exercise_view(exercise("Row", sets=3, reps=8), [], None)
    view = pages.WorkoutView(SimpleNamespace(id="w"), [logged, planned], [])
    assert view.total_sets == 5
    assert view.find("ex-Row") is planned


def test_the_next_set_starts_from_the_last_one_in_the_users_unit():
    view = pages.exercise_view(exercise(reps=5, weight=Decimal(60), weight_unit="kg"), [a_set("a", 3, "100", 0)], None)
    assert pages.set_defaults(view, "lbs") == {"reps": 3, "weight": Decimal("220.46"), "weight_unit": "lbs"}
    planned = pages.exercise_view(exercise(reps=5, weight=Decimal(60), weight_unit="kg"), [], None)
    assert pages.set_defaults(planned, "kg") == {"reps": 5, "weight": Decimal(60), "weight_unit": "kg"}


def test_a_page_of_the_list_knows_whether_another_follows():
    rows = [(SimpleNamespace(id=n), n) for n in range(3)]
    page = pages.workout_page(rows, 2, size=2)
    assert [(i.workout.id, i.exercises) for i in page.items] == [(0, 0), (1, 1)] and page.has_next and page.page == 2
    assert not pages.workout_page(rows[:2], 1, size=2).has_next


def test_record_rows_are_alphabetical_under_the_name_as_typed_and_skip_empty_ones():
    recs = {"squat": logic.Records(heaviest=Decimal(100)), "bench": logic.Records(heaviest=Decimal(80)),
            "plank": logic.Records()}
    rows = pages.record_rows(["Squat", "Bench", "Plank"], recs)
    assert [r.name for r in rows] == ["Bench", "Squat"]


def test_todays_summary_adds_up_the_days_workouts():
    rows = [SimpleNamespace(workout_name="Legs", workout_type="strength", duration_minutes=60, calories_burned=400),
            SimpleNamespace(workout_name=None, workout_type="cardio", duration_minutes=None, calories_burned=None)]
    summary = pages.today_summary(rows)
    assert (summary.workouts, summary.minutes, summary.calories, summary.names) == (2, 60, 400, ["Legs", "Cardio"])
