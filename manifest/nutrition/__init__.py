from flask import Blueprint, url_for

from manifest.areas import Area, register_area
from manifest.filters import short_date
from manifest.models import Food

bp = Blueprint("nutrition", __name__, url_prefix="/food")

register_area(Area(
    key="food", label="Foods", model=Food,
    title=lambda food: food.food_name,
    url=lambda food: url_for("nutrition.day", day=food.meal_date.isoformat(), _anchor=f"food-{food.id}"),
    sort_column=Food.meal_date,
    search_columns=(Food.food_name, Food.portion_size, Food.notes),
    summary=lambda food: " · ".join(
        part for part in (short_date(food.meal_date), food.meal_type.capitalize(), food.portion_size) if part),
))

from manifest.nutrition import goal_sources, routes  # noqa: F401
