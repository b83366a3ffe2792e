from flask import Blueprint, url_for

from manifest.areas import Area, register_area, register_search_area
from manifest.filters import short_date
from manifest.models import Workout, WorkoutExercise

bp = Blueprint("workouts", __name__, url_prefix="/workouts")

register_area(Area(
    key="workout", label="Workouts", model=Workout,
    title=lambda w: f"{w.workout_name or (w.workout_type or 'workout').capitalize()} · {short_date(w.workout_date)}",
    url=lambda w: url_for("workouts.show", workout_id=w.id),
    sort_column=Workout.workout_date,
    search_columns=(Workout.workout_name, Workout.workout_type, Workout.location, Workout.notes),
    attachments=True,
    summary=lambda w: w.notes or "",
))

# "bench press" finds the workouts it was done in: each exercise links to its workout, on its day.
register_search_area(Area(
    key="workout_exercise", label="Exercises", model=WorkoutExercise,
    title=lambda e: f"{e.exercise_name} · {short_date(e.workout.workout_date)}",
    url=lambda e: url_for("workouts.show", workout_id=e.workout_id, _anchor=f"exercise-{e.id}"),
    sort_column=Workout.workout_date,
    search_columns=(WorkoutExercise.exercise_name, WorkoutExercise.notes),
    summary=lambda e: e.workout.workout_name or (e.workout.workout_type or "workout").capitalize(),
    owned_through=WorkoutExercise.workout,
))

from manifest.workouts import goal_sources, routes  # noqa: F401
