"""The food log: a day page with one section per meal, and a week page.

Actions post real forms that redirect (303) without JavaScript. With htmx they answer only the
regions that changed, each swapped out of band (the meal sections touched, the day's totals and
the quick-add lists), so the forms use hx-swap="none".
"""

import uuid
from datetime import date, time, timedelta

from flask import make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from manifest import htmx
from manifest.htmx import is_htmx, wants_fragment
from manifest.models.nutrition import MEAL_TYPES
from manifest.nutrition import bp, logic, services
from manifest.nutrition.forms import CopyMealForm, EditFoodForm, FoodForm, RepeatForm
from manifest.timeutil import local_today, parse_iso_day, require_iso_day

DAY = "nutrition/day.html"
WEEK = "nutrition/week.html"
MEAL = "any(breakfast, lunch, dinner, snack)"


def _day_url(day: date, anchor: str | None = None) -> str:
    today = local_today(current_user)
    url = url_for("nutrition.day", day=None if day == today else day.isoformat())
    return f"{url}#{anchor}" if anchor else url


def _add_form(meal: str) -> FoodForm:
    return FoodForm(formdata=None).scope(f"add-{meal}")


def _copy_form(meal: str, day: date) -> CopyMealForm:
    form = CopyMealForm(formdata=None, from_day=day - timedelta(days=1), from_meal=meal)
    for field in form:
        field.id = f"copy-{meal}-{field.name}"
        field.label.field_id = field.id
    return form


def _context(day: date, *, forms=None, copy_forms=None, edit_form=None, edit_id=None, focus=None,
             repeat_error=None, repeat_id=None) -> dict:
    today = local_today(current_user)
    return {
        "log": services.day_log(current_user, day), "day": day, "today": today,
        "previous_day": day - timedelta(days=1), "next_day": day + timedelta(days=1),
        "forms": {meal: (forms or {}).get(meal) or _add_form(meal) for meal in MEAL_TYPES},
        "copy_forms": {meal: (copy_forms or {}).get(meal) or _copy_form(meal, day) for meal in MEAL_TYPES},
        "edit_form": edit_form, "edit_id": edit_id, "focus": focus,
        "repeat_error": repeat_error, "repeat_id": repeat_id,
        "meal_choices": [(meal, logic.MEAL_LABELS[meal]) for meal in MEAL_TYPES], "meal_labels": logic.MEAL_LABELS,
    }


def _regions(day: date, meals, status: int = 200, *, quick: bool = True, **context):
    """The meal sections named, the day's totals and the quick-add lists, all out of band."""
    ctx = _context(day, **context)
    parts = [render_block(DAY, "meal_section", meal=ctx["log"].meals[m], oob=True, **ctx) for m in meals]
    parts.append(render_block(DAY, "day_totals", oob=True, **ctx))
    if quick:
        parts.append(render_block(DAY, "quick_add", oob=True, **ctx))
    return "".join(parts), status


def _done(day: date, meals, **context):
    if not is_htmx():
        return redirect(_day_url(day, f"meal-{next(iter(meals))}" if meals else None), 303)
    return htmx.announce(make_response(_regions(day, meals, **context)), "food-changed")


def _refused(day: date, meals, **context):
    """A form with errors: its region again (422), or the whole page without JavaScript."""
    if not is_htmx():
        return render_template(DAY, oob=False, **_context(day, **context)), 422
    return _regions(day, meals, 422, quick="repeat_error" in context, **context)


# --- pages ---------------------------------------------------------------------------------

@bp.get("/")
@login_required
def day():
    chosen = require_iso_day(request.args["day"]) if request.args.get("day") else local_today(current_user)
    edit_id = None
    edit_form = None
    wanted = request.args.get("edit")
    if wanted:
        # The no-JavaScript way to the inline edit form: the page with that row open.
        try:
            food = services.get_food(current_user, uuid.UUID(wanted))
        except ValueError:
            food = None
        if food is not None and food.meal_date == chosen:
            edit_id, edit_form = food.id, _edit_form(food)
    return htmx.page(DAY, "food_day", oob=False, **_context(chosen, edit_id=edit_id, edit_form=edit_form))


@bp.get("/week")
@login_required
def week():
    today = local_today(current_user)
    chosen = require_iso_day(request.args["day"]) if request.args.get("day") else today
    data = services.week(current_user, chosen)
    return htmx.page(
        WEEK, "food_week", week=data, today=today, charts=_week_charts(data),
        previous_week=data.start - timedelta(days=7), next_week=data.start + timedelta(days=7),
    )


def _week_charts(data: services.Week) -> list[dict]:
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
        services.add_food(current_user, chosen, meal, form.data)
        return _done(chosen, [meal], focus=meal)
    return _refused(chosen, [meal], forms={meal: form.scope(f"add-{meal}")}, focus=meal)


def _edit_form(food) -> EditFoodForm:
    return EditFoodForm(obj=food, formdata=None).scope(f"edit-{food.id}")


@bp.get("/<uuid:food_id>")
@login_required
def row(food_id: uuid.UUID):
    """One entry as shown in its meal (what "Cancel" on an inline edit goes back to)."""
    food = services.get_food(current_user, food_id)
    if not wants_fragment():
        return redirect(_day_url(food.meal_date, f"food-{food.id}"), 303)
    return render_block(DAY, "food_row", food=food, edit_id=None, oob=False, day=food.meal_date)


@bp.route("/<uuid:food_id>/edit", methods=["GET", "POST"])
@login_required
def edit(food_id: uuid.UUID):
    food = services.get_food(current_user, food_id)
    day, old_meal = food.meal_date, food.meal_type
    if request.method == "GET":
        if not wants_fragment():
            return redirect(url_for("nutrition.day", day=day.isoformat(), edit=food.id) + f"#food-{food.id}", 303)
        return render_block(DAY, "food_row", food=food, edit_id=food.id, edit_form=_edit_form(food), oob=False,
                            day=day, meal_choices=[(m, logic.MEAL_LABELS[m]) for m in MEAL_TYPES])
    form = EditFoodForm()
    if form.validate_on_submit():
        food = services.update_food(current_user, food_id, form.data)
        return _done(day, dict.fromkeys([old_meal, food.meal_type]))
    return _refused(day, [old_meal], edit_form=form.scope(f"edit-{food.id}"), edit_id=food.id)


@bp.post("/<uuid:food_id>/delete")
@login_required
def delete(food_id: uuid.UUID):
    food = services.delete_food(current_user, food_id)
    return _done(food.meal_date, [food.meal_type])


@bp.post("/<uuid:food_id>/favorite")
@login_required
def favorite(food_id: uuid.UUID):
    """The wanted state, not a toggle, so a repeated click cannot undo itself."""
    wanted = request.form.get("favorite", "1") == "1"
    food = services.set_favorite(current_user, food_id, wanted)
    day = food.meal_date
    if not is_htmx():
        return redirect(_day_url(day, f"food-{food.id}"), 303)
    # Every entry of that name changed its star: refresh the meals of the day that show one.
    name = food.food_name.lower()
    meals = [m for m, meal in services.day_log(current_user, day).meals.items()
             if any(e.food_name.lower() == name for e in meal.entries)]
    return _regions(day, meals or [food.meal_type])


@bp.post("/<uuid:food_id>/repeat")
@login_required
def repeat(food_id: uuid.UUID):
    services.get_food(current_user, food_id)
    form = RepeatForm()
    if not form.validate_on_submit():
        day = parse_iso_day(request.form.get("day")) or local_today(current_user)
        error = " ".join(e for f in form for e in f.errors) or "Choose a day and a meal."
        return _refused(day, [], repeat_error=error, repeat_id=food_id)
    food = services.repeat_food(current_user, food_id, form.day.data, form.meal_type.data)
    return _done(food.meal_date, [food.meal_type])


@bp.post(f"/<day>/<{MEAL}:meal>/copy")
@login_required
def copy_meal(day: str, meal: str):
    chosen = require_iso_day(day)
    form = CopyMealForm()
    if form.validate_on_submit():
        try:
            services.copy_meal(current_user, form.from_day.data, form.from_meal.data, chosen, meal)
        except services.FoodError as error:
            form.from_day.errors = [*form.from_day.errors, str(error)]
        else:
            return _done(chosen, [meal])
    for field in form:
        field.id = f"copy-{meal}-{field.name}"
        field.label.field_id = field.id
    return _refused(chosen, [meal], copy_forms={meal: form})


# --- speed of entry ------------------------------------------------------------------------

@bp.get(f"/<day>/<{MEAL}:meal>/suggest")
@login_required
def suggest(day: str, meal: str):
    """Past foods matching what is typed in a meal's food name (htmx active search)."""
    chosen = require_iso_day(day)
    found = services.suggestions(current_user, request.args.get("food_name"))
    return render_block(DAY, "suggestions", found=found, meal=meal, day=chosen,
                        typed=request.args.get("food_name", ""))


def _typed_time(value: str | None) -> time | None:
    try:
        return time.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get(f"/<day>/<{MEAL}:meal>/fill/<uuid:food_id>")
@login_required
def fill(day: str, meal: str, food_id: uuid.UUID):
    """A meal's add form filled from a past food, its nutrients scaled to the portion typed."""
    chosen = require_iso_day(day)
    values = services.prefill(current_user, food_id, request.args.get("portion_size"))
    form = FoodForm(formdata=None, meal_time=_typed_time(request.args.get("meal_time")),
                    notes=request.args.get("notes") or None, **values)
    form = form.scope(f"add-{meal}")
    if not wants_fragment():
        return render_template(DAY, oob=False, **_context(chosen, forms={meal: form}, focus=meal))
    return render_block(DAY, "add_form", meal_type=meal, day=chosen, forms={meal: form}, basis=food_id, filled=True,
                        focus=None, meal_labels=logic.MEAL_LABELS)
