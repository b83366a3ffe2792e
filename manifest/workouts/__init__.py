from flask import Blueprint, url_for

from manifest.areas import Area, register_area
from manifest.filters import short_date
from manifest.models import Workout

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

from manifest.workouts import goal_sources, routes  # noqa: F401
