"""Progress over time: snapshots of weeks, months and years, body measurements, the year in
review and insights across areas."""

from flask import Blueprint

bp = Blueprint("progress", __name__, url_prefix="/progress")
# A year in review its author chose to share, readable without signing in at /u/<username>/year/<year>.
public_bp = Blueprint("public_progress", __name__, url_prefix="/u")

from manifest.progress import cli, freshness, goal_sources, insights, routes  # noqa: F401

bp.add_app_template_filter(insights.sentence_start, "sentence_start")
