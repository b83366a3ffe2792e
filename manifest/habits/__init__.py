from flask import Blueprint, url_for

from manifest.areas import Area, register_area
from manifest.habits import rules
from manifest.models import Habit

bp = Blueprint("habits", __name__, url_prefix="/habits")
# How often a habit is meant to be done, wherever it is shown (Today's rows live in another area).
bp.add_app_template_filter(rules.schedule_text, "habit_schedule")
bp.add_app_template_filter(rules.streak_rule, "habit_streak_rule")

register_area(Area(
    key="habit", label="Habits", model=Habit,
    title=lambda habit: habit.name,
    url=lambda habit: url_for("habits.show", habit_id=habit.id),
    sort_column=Habit.created_at,
    search_columns=(Habit.name, Habit.description, Habit.category),
    summary=lambda habit: habit.description or "",
))

from manifest.habits import routes  # noqa: F401
