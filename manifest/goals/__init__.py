from flask import Blueprint, url_for

from manifest.areas import Area, register_area
from manifest.models import Goal

bp = Blueprint("goals", __name__, url_prefix="/goals")

register_area(Area(
    key="goal", label="Goals", model=Goal,
    title=lambda goal: goal.title,
    url=lambda goal: url_for("goals.show", goal_id=goal.id),
    sort_column=Goal.created_at,
    search_columns=(Goal.title, Goal.description, Goal.category),
    attachments=True,
    summary=lambda goal: goal.description or "",
))

from manifest.goals import routes  # noqa: F401
