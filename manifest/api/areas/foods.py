"""Foods: what was eaten, by day and meal."""

from datetime import date

import sqlalchemy as sa
from marshmallow import fields

from manifest.api import core
from manifest.api.schemas import PageArgs, form_schema, model_schema, page_schema
from manifest.models import Food
from manifest.nutrition import services
from manifest.nutrition.forms import EditFoodForm
from manifest.ownership import owned
from manifest.timeutil import BAD_DAY_MESSAGE, parse_iso_day

blp = core.api_blueprint("foods", "Foods eaten, by day and meal, with their nutrients.")

FoodIn = form_schema(EditFoodForm, "FoodIn", overrides={
    "meal_date": fields.Date(allow_none=True, metadata={"description": "The day it was eaten; today when left out."}),
})
FoodOut = model_schema(Food, "Food")
FoodPage = page_schema(FoodOut, "FoodPage")


class FoodListArgs(PageArgs):
    day = fields.Date(metadata={"description": "Only this day's foods."})


def _food(food_id):
    return owned(core.user(), Food, food_id)


def _day(data) -> date:
    day = data.pop("meal_date", None) or core.today()
    if parse_iso_day(day.isoformat()) is None:  # the pages' calendar range
        core.invalid({"meal_date": [BAD_DAY_MESSAGE]})
    return day


@blp.get("")
@blp.arguments(FoodListArgs, location="query")
@blp.response(200, FoodPage)
def list_foods(args):
    """Newest day first."""
    statement = sa.select(Food).where(Food.user_id == core.user().id)
    if args.get("day"):
        statement = statement.where(Food.meal_date == args["day"])
    return core.page(statement, [Food.meal_date, Food.id], args, "api_foods.list_foods")


@blp.post("")
@core.idempotent
@blp.arguments(FoodIn)
@blp.response(201, FoodOut)
def create_food(data):
    data = dict(data)
    day = _day(data)
    form = core.validated(core.bind(EditFoodForm, data))
    entry = form.command()
    food = core.run(lambda: services.add_food(core.user(), day, entry.meal_type, entry))
    return food, {"Location": core.url("api_foods.get_food", food_id=food.id)}


@blp.get("/<uuid:food_id>")
@blp.response(200, FoodOut)
def get_food(food_id):
    return _food(food_id)


@blp.put("/<uuid:food_id>")
@blp.arguments(FoodIn)
@blp.response(200, FoodOut)
def update_food(data, food_id):
    """Replace the food's fields (its day stays; move it with delete and create)."""
    food = _food(food_id)
    data = dict(data)
    data.pop("meal_date", None)
    form = core.validated(core.bind(EditFoodForm, data))
    return core.run(lambda: services.update_food(food, form.command()))


@blp.delete("/<uuid:food_id>")
@blp.response(204)
def delete_food(food_id):
    services.delete_food(_food(food_id))
