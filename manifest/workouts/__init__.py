from flask import Blueprint

bp = Blueprint("workouts", __name__, url_prefix="/workouts")

from manifest.workouts import routes  # noqa: F401
