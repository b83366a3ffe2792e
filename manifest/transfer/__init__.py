"""Your data, in and out: the whole account as one archive, spreadsheets of the food log, workouts
and habits, and imports of our own archives and of other apps' exports (Loop Habit Tracker,
HabitBull, Strong)."""

from flask import Blueprint

bp = Blueprint("transfer", __name__, url_prefix="/settings/data")

from manifest.transfer import cleanup, routes  # noqa: F401  (registers the views and the file cleanup)
