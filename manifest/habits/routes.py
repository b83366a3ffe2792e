import uuid
from datetime import date

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_blocks

from manifest import htmx
from manifest.habits import bp, services
from manifest.habits.forms import WEEKDAY_NAMES, HabitForm, PauseForm
from manifest.htmx import hx_redirect, is_htmx, wants_fragment
from manifest.timeutil import local_today, require_iso_day

TODAY_TEMPLATE = "today/index.html"
HABIT_TEMPLATE = "habits/show.html"


def _today_url(day: date, today: date, habit_id: uuid.UUID | None = None) -> str:
    url = url_for("today.index", day=None if day == today else day.isoformat())
    return f"{url}#habit-{habit_id}" if habit_id else url


def _checkin_fields() -> dict:
    """The wanted state from the form; the last of repeated fields wins (checkbox after hidden)."""
    skip = request.form.get("skip")
    return {
        "state": (request.form.getlist("state") or [None])[-1],
        "value": request.form.get("set_value", request.form.get("value")),
        "skip": None if skip is None else skip == "1",
    }


def _fragment(row, counter, day: date, today: date, error: str | None = None, status: int = 200,
              note_error: bool = False):
    """The changed row and the day counter (out of band)."""
    if row is None:
        # The habit is not due that day (e.g. a tab left open since a schedule change):
        # refresh the whole list instead.
        board = services.day_board(current_user, day, today)
        return render_blocks(TODAY_TEMPLATE, ["habit_list", "day_counter"], board=board, oob=True), status
    return render_blocks(
        TODAY_TEMPLATE, ["habit_row", "day_counter"], row=row, board=counter, error=error, oob=True,
        note_error=note_error,
    ), status


def _check_in_answer(habit_id: uuid.UUID, day: date, today: date, change, note: bool = False):
    """Run ``change`` (a service call) and answer: the row for htmx, a redirect without it."""
    try:
        result = change()
    except services.EntryError as error:
        if not is_htmx():
            flash(str(error), "error")
            return redirect(_today_url(day, today, habit_id), 303)
        board = services.day_board(current_user, day, today)
        return _fragment(board.row(habit_id), board, day, today, error=str(error), status=422, note_error=note)
    if not is_htmx():
        return redirect(_today_url(day, today, habit_id), 303)
    return htmx.announce(make_response(_fragment(result.row, result.tally, day, today)), "habit-checked")


@bp.post("/<uuid:habit_id>/days/<day>")
@login_required
def check_in(habit_id: uuid.UUID, day: str):
    day, today = require_iso_day(day), local_today(current_user)
    fields = _checkin_fields()
    return _check_in_answer(
        habit_id, day, today, lambda: services.check_in(current_user, habit_id, day, today, **fields)
    )


@bp.post("/<uuid:habit_id>/days/<day>/note")
@login_required
def save_note(habit_id: uuid.UUID, day: str):
    day, today = require_iso_day(day), local_today(current_user)
    note = request.form.get("note", "")
    return _check_in_answer(
        habit_id, day, today, lambda: services.save_note(current_user, habit_id, day, today, note), note=True
    )


# --- managing habits ---------------------------------------------------------------------

@bp.get("")
@login_required
def index():
    return render_template(
        "habits/index.html",
        habits=services.list_habits(current_user),
        archived=services.list_habits(current_user, archived=True),
        today=local_today(current_user),
    )


def _form_page(form: HabitForm, habit=None, status: int = 200):
    return render_template(
        "habits/form.html", form=form, habit=habit, weekday_names=WEEKDAY_NAMES,
        categories=services.categories(current_user),
    ), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = HabitForm()
    if form.validate_on_submit():
        habit = services.create_habit(current_user, form.data)
        flash(f"“{habit.name}” added.", "success")
        return redirect(url_for("today.index"), 303)
    return _form_page(form, status=422 if form.is_submitted() else 200)


@bp.route("/<uuid:habit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(habit_id: uuid.UUID):
    habit = services.get_habit(current_user, habit_id)
    if request.method == "GET":
        form = HabitForm(obj=habit, formdata=None)
        form.times_per_week.data = habit.target_days or 3
        form.weekdays.data = [d for d in range(7) if (habit.weekday_mask or 0) >> d & 1]
    else:
        form = HabitForm()
        form.habit_type.data = habit.habit_type  # fixed after creation
    if form.validate_on_submit():
        services.update_habit(current_user, habit_id, form.data, local_today(current_user))
        flash("Habit saved.", "success")
        return redirect(url_for("habits.show", habit_id=habit_id), 303)
    return _form_page(form, habit, status=422 if form.is_submitted() else 200)


@bp.post("/<uuid:habit_id>/archive")
@login_required
def archive(habit_id: uuid.UUID):
    archived = request.form.get("archived", "1") == "1"
    habit = services.set_archived(current_user, habit_id, archived)
    flash(f"“{habit.name}” {'archived' if archived else 'restored'}.", "success")
    return redirect(url_for("habits.index"), 303)


@bp.route("/<uuid:habit_id>/delete", methods=["GET", "POST"])
@login_required
def delete(habit_id: uuid.UUID):
    habit = services.get_habit(current_user, habit_id)
    if request.method == "GET":
        return render_template("habits/delete.html", habit=habit)
    name = habit.name
    services.delete_habit(current_user, habit_id)
    flash(f"“{name}” and its history were deleted.", "success")
    url = url_for("habits.index")
    return hx_redirect(url) if is_htmx() else redirect(url, 303)


@bp.post("/<uuid:habit_id>/move")
@login_required
def move(habit_id: uuid.UUID):
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400, description="Move a habit up or down.")
    services.move_habit(current_user, habit_id, offset)
    if wants_fragment():
        return render_blocks("habits/index.html", ["habit_order"], habits=services.list_habits(current_user))
    return redirect(url_for("habits.index"), 303)


# --- one habit ---------------------------------------------------------------------------

def _show(habit_id: uuid.UUID, pause_form: PauseForm | None = None, status: int = 200):
    today = local_today(current_user)
    data = services.overview(current_user, habit_id, today)
    return render_template(
        HABIT_TEMPLATE, o=data, pause_form=pause_form or PauseForm(formdata=None), weekday_names=WEEKDAY_NAMES,
    ), status


@bp.get("/<uuid:habit_id>")
@login_required
def show(habit_id: uuid.UUID):
    return _show(habit_id)


@bp.post("/<uuid:habit_id>/heatmap")
@login_required
def heatmap_toggle(habit_id: uuid.UUID):
    """A heatmap cell posts "YYYY-MM-DD:wanted", wanted being a state (yes/no) or a value (numeric)."""
    day_text, _, wanted = request.form.get("cell", "").partition(":")
    day, today = require_iso_day(day_text), local_today(current_user)
    habit = services.get_habit(current_user, habit_id)
    fields = {"value": wanted} if habit.habit_type == "numeric" else {"state": wanted}
    try:
        services.check_in(current_user, habit_id, day, today, **fields)
    except services.EntryError as error:
        abort(400, description=str(error))
    if not is_htmx():
        return redirect(url_for("habits.show", habit_id=habit_id), 303)
    data = services.overview(current_user, habit_id, today)
    cell = next((c for week in data.weeks for c in week if c.day == day), None)
    if cell is None:  # a day older than the heatmap shows: only the statistics changed
        return render_blocks(HABIT_TEMPLATE, ["habit_stats"], o=data, oob=True)
    return render_blocks(HABIT_TEMPLATE, ["heatmap_cell", "habit_stats"], o=data, cell=cell, oob=True)


@bp.post("/<uuid:habit_id>/pauses")
@login_required
def add_pause(habit_id: uuid.UUID):
    form = PauseForm()
    if not form.validate_on_submit():
        services.get_habit(current_user, habit_id)
        return _show(habit_id, form, 422)
    services.add_pause(current_user, habit_id, form.start_date.data, form.end_date.data, local_today(current_user))
    flash("Pause added: those days neither count nor break the streak.", "success")
    return redirect(url_for("habits.show", habit_id=habit_id), 303)


@bp.post("/<uuid:habit_id>/pauses/<uuid:pause_id>/delete")
@login_required
def delete_pause(habit_id: uuid.UUID, pause_id: uuid.UUID):
    services.delete_pause(current_user, habit_id, pause_id, local_today(current_user))
    flash("Pause removed.", "success")
    return redirect(url_for("habits.show", habit_id=habit_id), 303)
