"""HabitBull and Strong exports against fixture files, with exact counts and values."""

from datetime import date, time
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Habit, HabitEntry, Workout, WorkoutExercise, WorkoutSet
from tests.transfer.conftest import HERE, LOOP_DIR
from tests.transfer.helpers import import_file


def _habitbull(name: str) -> tuple[str, bytes]:
    return (name, (LOOP_DIR / name).read_bytes())


def _habits(app, user_id):
    with app.app_context():
        habits = db.session.scalars(sa.select(Habit).where(Habit.user_id == user_id)).all()
        entries = db.session.scalars(sa.select(HabitEntry).join(Habit).where(Habit.user_id == user_id)).all()
        db.session.expunge_all()
    by_id = {h.id: h.name for h in habits}
    grouped: dict[str, dict] = {h.name: {} for h in habits}
    for e in entries:
        grouped[by_id[e.habit_id]][e.entry_date] = e
    return {h.name: h for h in habits}, grouped


def test_habitbull_imports_daily_habits_and_skips_repeated_days(app, user, auth_client, immediate_jobs):
    job = import_file(app, auth_client, _habitbull("habitbull.csv"))
    assert job.source == "habitbull"
    assert job.result["added"] == {"habits": 4, "habit_entries": 14}
    assert job.result["present"] == {"habit_entries": 4}  # No-arms pushup's days are listed twice
    habits, entries = _habits(app, user["id"])
    assert set(habits) == {"Breed dragons", "Reduce sleep", "No-arms pushup", "Grow spiritually"}
    dragons = habits["Breed dragons"]
    assert (dragons.description, dragons.category, dragons.frequency, dragons.habit_type) == (
        "with love and fire", "Diet & Food", "daily", "yes_no")
    assert entries["Breed dragons"][date(2016, 3, 18)].notes == "text"
    assert all(e.completed for days in entries.values() for e in days.values())
    assert sorted(entries["No-arms pushup"]) == [date(2016, 3, d) for d in (15, 16, 18, 21)]
    assert habits["Grow spiritually"].description == "transcend ego, practice compassion, smile and breath"
    assert dragons.total_completions == 3  # streaks are computed once imported


def test_habitbull_lists_impossible_values_by_line_and_imports_the_rest(app, user, auth_client, immediate_jobs):
    job = import_file(app, auth_client, _habitbull("habitbull2.csv"))
    assert job.result["added"] == {"habits": 5, "habit_entries": 79}
    assert job.result["problem_count"] == 2
    assert job.result["problems"] == [
        "habitbull2.csv line 3: the value -2150000000 is out of range",
        "habitbull2.csv line 73: the value -2150000000 is out of range",
    ]
    habits, entries = _habits(app, user["id"])
    assert "H2" not in habits
    h3 = entries["H3"]
    assert len(h3) == 66 and sum(e.completed for e in h3.values()) == 57
    assert h3[date(2019, 4, 11)].notes == "text" and h3[date(2019, 4, 11)].completed
    assert h3[date(2019, 6, 14)].notes == "Habit 3 notes" and not h3[date(2019, 6, 14)].completed


def test_habitbull_amounts_make_a_number_habit(app, user, auth_client, immediate_jobs):
    job = import_file(app, auth_client, _habitbull("habitbull3.csv"))
    assert job.result["added"] == {"habits": 2, "habit_entries": 10}
    habits, entries = _habits(app, user["id"])
    assert (habits["Pushups"].habit_type, habits["Pushups"].target_value) == ("numeric", Decimal("1.00"))
    assert habits["run"].habit_type == "yes_no"
    assert entries["Pushups"][date(2021, 9, 1)].value == Decimal("30.00")
    assert entries["Pushups"][date(2022, 1, 13)].value == Decimal("100.00")
    job = import_file(app, auth_client, _habitbull("habitbull4.csv"))
    assert job.result["added"] == {"habits": 1, "habit_entries": 2}


def _workouts(app, user_id):
    with app.app_context():
        workouts = db.session.scalars(sa.select(Workout).where(Workout.user_id == user_id)
                                      .order_by(Workout.workout_date)).all()
        exercises = db.session.scalars(sa.select(WorkoutExercise).order_by(WorkoutExercise.order_index)).all()
        sets = db.session.scalars(sa.select(WorkoutSet).order_by(WorkoutSet.position)).all()
        db.session.expunge_all()
    by_workout = {w.id: [e for e in exercises if e.workout_id == w.id] for w in workouts}
    by_exercise = {e.exercise_name: [s for s in sets if s.workout_exercise_id == e.id] for e in exercises}
    return workouts, by_workout, {e.exercise_name: e for e in exercises}, by_exercise


def test_strong_comma_export(app, user, auth_client, immediate_jobs):
    job = import_file(app, auth_client, ("strong.csv", (HERE / "strong_comma.csv").read_bytes()))
    assert job.source == "strong"
    assert job.result["added"] == {"workouts": 2, "workout_exercises": 3, "workout_sets": 6}
    workouts, by_workout, exercises, sets = _workouts(app, user["id"])
    push, run = workouts
    assert (push.workout_date, push.workout_time, push.workout_name, push.duration_minutes, push.notes) == (
        date(2023, 1, 2), time(7, 30), "Morning Push", 65, "Felt strong")
    assert [e.exercise_name for e in by_workout[push.id]] == ["Bench Press (Barbell)", "Push Up"]
    bench = exercises["Bench Press (Barbell)"]
    assert bench.rest_seconds == 90 and bench.notes == "Pause reps; RPE 8 (set 1); RPE 8.5 (set 2)"
    assert [(s.set_type, s.reps, s.weight, s.weight_unit) for s in sets["Bench Press (Barbell)"]] == [
        ("warmup", 10, Decimal("40.00"), "kg"), ("normal", 5, Decimal("80.00"), "kg"),
        ("normal", 5, Decimal("82.50"), "kg"), ("drop", 8, Decimal("60.00"), "kg")]
    assert [(s.set_type, s.reps, s.weight) for s in sets["Push Up"]] == [("normal", 20, None), ("failure", 12, None)]
    running = exercises["Running"]
    assert (run.duration_minutes, running.exercise_type, running.distance, running.distance_unit,
            running.duration_seconds, sets["Running"]) == (35, "cardio", Decimal("5.20"), "km", 1860, [])


def test_strong_semicolon_export_with_units_in_the_columns(app, user, auth_client, immediate_jobs):
    job = import_file(app, auth_client, ("strong.csv", (HERE / "strong_semicolon.csv").read_bytes()))
    assert job.result["added"] == {"workouts": 2, "workout_exercises": 3, "workout_sets": 4}
    workouts, _, exercises, sets = _workouts(app, user["id"])
    assert [(w.workout_name, w.duration_minutes, w.notes) for w in workouts] == [
        ("Legs", 62, "Heavy day"), ("Row", 25, None)]
    assert exercises["Squat (Barbell)"].rest_seconds == 120
    assert [(s.set_type, s.weight) for s in sets["Squat (Barbell)"]] == [
        ("warmup", Decimal("60.00")), ("normal", Decimal("100.00")), ("normal", Decimal("100.00"))]
    assert sets["Leg Press"][0].weight == Decimal("180.50")
    row = exercises["Rowing (Machine)"]
    assert (row.distance, row.distance_unit, row.duration_seconds) == (Decimal("2000.00"), "meters", 480)
    # Importing it again adds nothing.
    again = import_file(app, auth_client, ("strong.csv", (HERE / "strong_semicolon.csv").read_bytes()))
    assert again.result["added"] == {} and sum(again.result["present"].values()) == 9


def test_strong_pounds_and_rows_that_cannot_be_imported(app, user, auth_client, immediate_jobs):
    job = import_file(app, auth_client, ("pull.csv", (HERE / "strong_lbs_bad.csv").read_bytes()))
    assert job.result["added"] == {"workouts": 1, "workout_exercises": 1, "workout_sets": 1}
    assert job.result["problems"] == [
        "pull.csv line 3: a weight, distance or number of reps is out of range",
        "pull.csv line 4: the set order 'X' is not a number, W, D or F",
        "pull.csv line 5: 'yesterday' is not a date and time",
    ]
    _, _, _, sets = _workouts(app, user["id"])
    [deadlift] = sets["Deadlift (Barbell)"]
    assert (deadlift.weight, deadlift.weight_unit) == (Decimal("315.00"), "lbs")
