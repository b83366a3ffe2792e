"""The food log: a day page with one section per meal, and a week page.

Actions post real forms that redirect (303) without JavaScript. With htmx they answer only the
regions that changed, each swapped out of band (the meal sections touched, the day's totals and
the quick-add lists), so the forms use hx-swap="none". Every change names itself (food-changed)
for the regions of other areas that show food.
"""

import uuid
from datetime import date, time, timedelta

from flask import request, url_for
from flask_login import current_user, login_required

from manifest import htmx
from manifest.forms import FieldError, attach_error
from manifest.htmx import Block
from manifest.models import Food
from manifest.models.nutrition import MEAL_TYPES
from manifest.nutrition import bp, logic, pages, services
from manifest.nutrition.forms import (
    CopyMealForm,
    EditFoodForm,
    FavoriteForm,
    FoodForm,
    MealSlot,
    RepeatForm,
)
from manifest.ownership import loads, owned
from manifest.timeutil import local_today, parse_iso_day, require_iso_day

DAY = "nutrition/day.html"
WEEK = "nutrition/week.html"
MEAL = "any(breakfast, lunch, dinner, snack)"
CHANGED = "food-changed"


# --- context builders ----------------------------------------------------------------------

def _day_url(day: date, anchor: str | None = None) -> str:
    today = local_today(current_user)
    url = url_for("nutrition.day", day=None if day == today else day.isoformat())
    return f"{url}#{anchor}" if anchor else url


def _add_form(meal: str) -> FoodForm:
    return FoodForm(formdata=None).scope(f"add-{meal}")


def _copy_form(meal: str, day: date) -> CopyMealForm:
    return CopyMealForm(formdata=None, from_day=day - timedelta(days=1), from_meal=meal).scope(meal)


def _edit_form(food: Food) -> EditFoodForm:
    return EditFoodForm(obj=food, formdata=None).scope(f"edit-{food.id}")


def _meal_choices() -> list[tuple[str, str]]:
    return [(meal, logic.MEAL_LABELS[meal]) for meal in MEAL_TYPES]


def _context(day: date, *, forms=None, copy_forms=None, edit_form=None, edit_id=None, focus=None,
             repeat_error=None, repeat_id=None) -> dict:
    today = local_today(current_user)
    return {
        "log": services.day_log(current_user, day), "day": day, "today": today, "oob": False,
        # Like every day navigator: back as far as wanted, forward up to today.
        "previous_day": day - timedelta(days=1), "next_day": day + timedelta(days=1) if day < today else None,
        "forms": {meal: (forms or {}).get(meal) or _add_form(meal) for meal in MEAL_TYPES},
        "copy_forms": {meal: (copy_forms or {}).get(meal) or _copy_form(meal, day) for meal in MEAL_TYPES},
        "edit_form": edit_form, "edit_id": edit_id, "focus": focus,
        "repeat_error": repeat_error, "repeat_id": repeat_id,
        "meal_choices": _meal_choices(), "meal_labels": logic.MEAL_LABELS,
    }


def _regions(day: date, meals, *, quick: bool = True, **context) -> tuple[list[Block], dict]:
    """The day page's context, and the regions a change to ``meals`` touched: their sections, the
    day's totals and (``quick``) the quick-add lists, each swapped out of band."""
    ctx = _context(day, **context)
    regions = [
        *(Block("meal_section", meal=ctx["log"].meals[m], oob=True) for m in dict.fromkeys(meals)),
        Block("day_totals", oob=True),
        *([Block("quick_add", oob=True)] if quick else []),
    ]
    return regions, ctx


def _meal_url(day: date, meal: str) -> str:
    return _day_url(day, f"meal-{meal}")


# --- pages ---------------------------------------------------------------------------------

@bp.get("/")
@login_required
def day():
    chosen = require_iso_day(request.args["day"]) if request.args.get("day") else local_today(current_user)
    edit_id = edit_form = None
    try:
        wanted = uuid.UUID(request.args["edit"]) if request.args.get("edit") else None
    except ValueError:
        wanted = None
    if wanted is not None:
        # The no-JavaScript way to the inline edit form: the page with that row open.
        food = owned(current_user, Food, wanted)
        if food.meal_date == chosen:
            edit_id, edit_form = food.id, _edit_form(food)
    return htmx.page(DAY, "food_day", **_context(chosen, edit_id=edit_id, edit_form=edit_form))


@bp.get("/week")
@login_required
def week():
    today = local_today(current_user)
    chosen = require_iso_day(request.args["day"]) if request.args.get("day") else today
    data = services.week(current_user, chosen)
    return htmx.page(
        WEEK, "food_week", week=data, today=today, charts=_week_charts(data),
        previous_week=data.start - timedelta(days=7),
        next_week=data.start + timedelta(days=7) if data.start + timedelta(days=7) <= today else None,
    )


def _week_charts(data: pages.Week) -> list[dict]:
    from manifest.charts import bar_chart

    charts = []
    for progress in data.targets[:4]:
        nutrient = progress.nutrient
        charts.append({
            "nutrient": nutrient, "label": progress.label, "unit": progress.unit, "progress": progress,
            "chart": bar_chart(data.series(nutrient), progress.target),
        })
    return charts


# --- entries -------------------------------------------------------------------------------

@bp.post(f"/<day>/<{MEAL}:meal>")
@login_required
def add(day: str, meal: str):
    chosen = require_iso_day(day)
    form = FoodForm()
    if form.validate_on_submit():
        try:
            services.add_food(current_user, chosen, meal, form.command())
        except FieldError as error:
            attach_error(form, error)
        else:
            regions, ctx = _regions(chosen, [meal], focus=meal)
            return htmx.done(_meal_url(chosen, meal), DAY, *regions, events=CHANGED, **ctx)
    regions, ctx = _regions(chosen, [meal], quick=False, forms={meal: form.scope(f"add-{meal}")}, focus=meal)
    return htmx.invalid(DAY, *regions, **ctx)


@bp.get("/<uuid:food_id>")
@login_required
@loads(food=Food)
def row(food: Food):
    """One entry as shown in its meal (what "Cancel" on an inline edit goes back to)."""
    return htmx.part(_day_url(food.meal_date, f"food-{food.id}"), DAY, "food_row",
                     food=food, edit_id=None, oob=False, day=food.meal_date)


@bp.route("/<uuid:food_id>/edit", methods=["GET", "POST"])
@login_required
@loads(food=Food)
def edit(food: Food):
    day, old_meal = food.meal_date, food.meal_type
    if request.method == "GET":
        url = url_for("nutrition.day", day=day.isoformat(), edit=food.id) + f"#food-{food.id}"
        return htmx.part(url, DAY, "food_row", food=food, edit_id=food.id, edit_form=_edit_form(food), oob=False,
                         day=day, meal_choices=_meal_choices())
    form = EditFoodForm()
    if form.validate_on_submit():
        try:
            services.update_food(food, form.command())
        except FieldError as error:
            attach_error(form, error)
        else:
            regions, ctx = _regions(day, [old_meal, food.meal_type])
            return htmx.done(_meal_url(day, old_meal), DAY, *regions, events=CHANGED, **ctx)
    regions, ctx = _regions(day, [old_meal], quick=False, edit_form=form.scope(f"edit-{food.id}"), edit_id=food.id)
    return htmx.invalid(DAY, *regions, **ctx)


@bp.post("/<uuid:food_id>/delete")
@login_required
@loads(food=Food)
def delete(food: Food):
    day, meal = food.meal_date, food.meal_type
    services.delete_food(food)
    regions, ctx = _regions(day, [meal])
    return htmx.done(_meal_url(day, meal), DAY, *regions, events=CHANGED, **ctx)


@bp.post("/<uuid:food_id>/favorite")
@login_required
@loads(food=Food)
def favorite(food: Food):
    """The wanted state, not a toggle, so a repeated click cannot undo itself."""
    services.set_favorite(current_user, food, FavoriteForm().command())
    # Every entry of that name changed its star: refresh the meals of the day that show one.
    meals = services.day_log(current_user, food.meal_date).meals_showing(food.food_name) or [food.meal_type]
    regions, ctx = _regions(food.meal_date, meals)
    return htmx.done(_day_url(food.meal_date, f"food-{food.id}"), DAY, *regions, events=CHANGED, **ctx)


@bp.post("/<uuid:food_id>/repeat")
@login_required
@loads(food=Food)
def repeat(food: Food):
    form = RepeatForm()
    if form.validate_on_submit():
        try:
            copy = services.repeat_food(current_user, food, form.command())
        except FieldError as error:
            attach_error(form, error)
        else:
            regions, ctx = _regions(copy.meal_date, [copy.meal_type])
            return htmx.done(_meal_url(copy.meal_date, copy.meal_type), DAY, *regions, events=CHANGED, **ctx)
    shown = parse_iso_day(request.form.get("day")) or local_today(current_user)
    regions, ctx = _regions(shown, [], repeat_error=form.error(), repeat_id=food.id)
    return htmx.invalid(DAY, *regions, **ctx)


@bp.post(f"/<day>/<{MEAL}:meal>/copy")
@login_required
def copy_meal(day: str, meal: str):
    chosen = require_iso_day(day)
    form = CopyMealForm()
    if form.validate_on_submit():
        try:
            services.copy_meal(current_user, form.command(), MealSlot(chosen, meal))
        except FieldError as error:
            attach_error(form, error)
        else:
            regions, ctx = _regions(chosen, [meal])
            return htmx.done(_meal_url(chosen, meal), DAY, *regions, events=CHANGED, **ctx)
    regions, ctx = _regions(chosen, [meal], quick=False, copy_forms={meal: form.scope(meal)})
    return htmx.invalid(DAY, *regions, **ctx)


# --- speed of entry ------------------------------------------------------------------------

@bp.get(f"/<day>/<{MEAL}:meal>/suggest")
@login_required
def suggest(day: str, meal: str):
    """Past foods matching what is typed in a meal's food name (htmx active search)."""
    chosen = require_iso_day(day)
    found = services.suggestions(current_user, request.args.get("food_name"))
    return htmx.blocks(DAY, "suggestions", found=found, meal=meal, day=chosen, typed=request.args.get("food_name", ""))


def _typed_time(value: str | None) -> time | None:
    try:
        return time.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get(f"/<day>/<{MEAL}:meal>/fill/<uuid:food_id>")
@login_required
@loads(food=Food)
def fill(day: str, meal: str, food: Food):
    """A meal's add form filled from a past food, its nutrients scaled to the portion typed."""
    chosen = require_iso_day(day)
    values = services.prefill(food, request.args.get("portion_size"))
    form = FoodForm(formdata=None, meal_time=_typed_time(request.args.get("meal_time")),
                    notes=request.args.get("notes") or None, **values).scope(f"add-{meal}")
    # Swapped in, the form keeps the link to that food (a new portion rescales it); the page without
    # JavaScript has no use for it.
    swapped = Block("add_form", meal_type=meal, basis=food.id, filled=True, focus=None)
    return htmx.page(DAY, swapped, **_context(chosen, forms={meal: form}, focus=meal))
