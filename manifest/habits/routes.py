import uuid
from datetime import date

from flask import abort, request, url_for
from flask_login import current_user, login_required

from manifest import htmx
from manifest.forms import FieldError
from manifest.habits import bp, pages, services
from manifest.habits.forms import (
    WEEKDAY_NAMES,
    CheckInForm,
    HabitForm,
    NoteForm,
    PauseForm,
)
from manifest.models import Habit, HabitPause
from manifest.ownership import loads, owned
from manifest.timeutil import local_today, require_iso_day

DAY = "habits/_today.html"  # the habits on Today: rows and the day counter
HABIT = "habits/show.html"
LIST = "habits/index.html"  # the habits list: a card per habit with its last days


def _today_url(day: date, today: date, habit_id: uuid.UUID | None = None) -> str:
    url = url_for("today.index", day=None if day == today else day.isoformat())
    return f"{url}#habit-{habit_id}" if habit_id else url


def day_context(board) -> dict:
    """What the habit rows need besides the board: one base for their URLs."""
    return {"board": board, "habits_base": url_for("habits.index")}


def _day_answer(habit_id: uuid.UUID, day: date, today: date, change, *, note: bool = False):
    """Run ``change`` and answer with the habit's row and the day counter (out of band)."""
    back = _today_url(day, today, habit_id)
    try:
        result = change()
    except FieldError as error:
        board = services.day_board(current_user, day, today)
        row = board.row(habit_id)
        if row is None:  # not due that day (a tab left open since a schedule change): the message alone
            return htmx.refused(back, str(error))
        return htmx.refused(back, str(error), DAY, "habit_row", "day_counter", row=row,
                            error=str(error), note_error=note, oob=True, **day_context(board))
    if result.row is None:
        # The habit is not due that day (a tab left open since a schedule change): redraw the list.
        board = services.day_board(current_user, day, today)
        return htmx.done(back, DAY, "habit_list", "day_counter", events="habit-checked", oob=True,
                         **day_context(board))
    return htmx.done(back, DAY, "habit_row", "day_counter", events="habit-checked", row=result.row, oob=True,
                     **day_context(result.tally))


@bp.post("/<uuid:habit_id>/days/<day>")
@login_required
def check_in(habit_id: uuid.UUID, day: str):
    day, today = require_iso_day(day), local_today(current_user)
    command = CheckInForm().command()
    return _day_answer(habit_id, day, today, lambda: services.check_in(current_user, habit_id, day, today, **command))


@bp.get("/<uuid:habit_id>/days/<day>/note")
@login_required
@loads(habit=Habit)
def note_form(habit: Habit, day: str):
    """The note form, opened on demand from a Today row (or as its own page without JavaScript)."""
    day, today = require_iso_day(day), local_today(current_user)
    row = pages.Row(habit=habit, day=day, today=today, notes=services.day_note(habit, day))
    return htmx.page("habits/note.html", "note_form", habit=habit, row=row, habits_base=url_for("habits.index"))


@bp.post("/<uuid:habit_id>/days/<day>/note")
@login_required
def save_note(habit_id: uuid.UUID, day: str):
    day, today = require_iso_day(day), local_today(current_user)
    text = NoteForm().command()
    return _day_answer(habit_id, day, today, lambda: services.save_note(current_user, habit_id, day, today, text),
                       note=True)


# --- managing habits ---------------------------------------------------------------------

@bp.get("")
@login_required
def index():
    today = local_today(current_user)
    return htmx.page(
        LIST, cards=services.habit_cards(current_user, today),
        archived=services.list_habits(current_user, archived=True), today=today,
    )


@bp.post("/<uuid:habit_id>/marks/<day>")
@login_required
@loads(habit=Habit)
def mark(habit: Habit, day: str):
    """A day's mark on the habits list: the same check-in as Today's, answered with the habit's card."""
    day, today = require_iso_day(day), local_today(current_user)
    back = url_for("habits.index", _anchor=f"habit-card-{habit.id}")
    try:
        services.check_in(current_user, habit.id, day, today, **CheckInForm().command())
    except FieldError as error:
        return htmx.refused(back, str(error), LIST, "habit_card", card=services.habit_card(habit, today),
                            error=str(error))
    return htmx.done(back, LIST, "habit_card", events="habit-checked", card=services.habit_card(habit, today))


def _form_page(form: HabitForm, habit=None):
    return htmx.page(
        "habits/form.html", status=htmx.form_status(form), form=form, habit=habit, weekday_names=WEEKDAY_NAMES,
        categories=services.categories(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = HabitForm()
    if form.validate_on_submit():
        habit = services.create_habit(current_user, form.command())
        return htmx.go(url_for("today.index"), f"“{habit.name}” added.")
    return _form_page(form)


@bp.route("/<uuid:habit_id>/edit", methods=["GET", "POST"])
@login_required
@loads(habit=Habit)
def edit(habit: Habit):
    if request.method == "GET":
        form = HabitForm(obj=habit, formdata=None)
        form.times_per_week.data = habit.target_days or 3
        form.weekdays.data = [d for d in range(7) if (habit.weekday_mask or 0) >> d & 1]
    else:
        form = HabitForm()
        form.habit_type.data = habit.habit_type  # fixed after creation
    if form.validate_on_submit():
        services.update_habit(habit, form.command(), local_today(current_user))
        return htmx.go(url_for("habits.show", habit_id=habit.id), "Habit saved.")
    return _form_page(form, habit)


@bp.post("/<uuid:habit_id>/archive")
@login_required
@loads(habit=Habit)
def archive(habit: Habit):
    archived = request.form.get("archived", "1") == "1"
    services.set_archived(habit, archived)
    return htmx.go(url_for("habits.index"), f"“{habit.name}” {'archived' if archived else 'restored'}.")


@bp.route("/<uuid:habit_id>/delete", methods=["GET", "POST"])
@login_required
@loads(habit=Habit)
def delete(habit: Habit):
    if request.method == "GET":
        return htmx.page("habits/delete.html", habit=habit)
    name = habit.name
    services.delete_habit(habit)
    return htmx.go(url_for("habits.index"), f"“{name}” and its history were deleted.")


@bp.post("/<uuid:habit_id>/move")
@login_required
@loads(habit=Habit)
def move(habit: Habit):
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400, description="Move a habit up or down.")
    services.move_habit(current_user, habit, offset)
    return htmx.done(url_for("habits.index"), LIST, "habit_order", events="habits-changed",
                     cards=services.habit_cards(current_user, local_today(current_user)))


# --- one habit ---------------------------------------------------------------------------

def _show(habit: Habit, pause_form: PauseForm | None = None, status: int = 200):
    data = services.overview(habit, local_today(current_user))
    return htmx.page(
        HABIT, status=status, o=data, pause_form=pause_form or PauseForm(formdata=None), weekday_names=WEEKDAY_NAMES,
    )


@bp.get("/<uuid:habit_id>")
@login_required
@loads(habit=Habit)
def show(habit: Habit):
    return _show(habit)


@bp.post("/<uuid:habit_id>/heatmap")
@login_required
@loads(habit=Habit)
def heatmap_toggle(habit: Habit):
    """A heatmap cell posts "YYYY-MM-DD:wanted", wanted being a state (yes/no) or a value (numeric)."""
    day_text, _, wanted = request.form.get("cell", "").partition(":")
    day, today = require_iso_day(day_text), local_today(current_user)
    fields = {"value": wanted} if habit.habit_type == "numeric" else {"state": wanted}
    try:
        services.check_in(current_user, habit.id, day, today, **fields)
    except FieldError as error:
        abort(400, description=str(error))
    back = url_for("habits.show", habit_id=habit.id)
    data = services.overview(habit, today)
    cell = next((c for week in data.weeks for c in week if c.day == day), None)
    if cell is None:  # a day older than the heatmap shows: only the statistics changed
        return htmx.done(back, HABIT, "habit_stats", events="habit-checked", o=data, oob=True)
    return htmx.done(back, HABIT, "heatmap_cell", "habit_stats", events="habit-checked", o=data, cell=cell, oob=True)


@bp.post("/<uuid:habit_id>/pauses")
@login_required
@loads(habit=Habit)
def add_pause(habit: Habit):
    form = PauseForm()
    if not form.validate_on_submit():
        return _show(habit, form, 422)
    services.add_pause(habit, *form.command(), local_today(current_user))
    return htmx.go(url_for("habits.show", habit_id=habit.id), "Pause added: those days neither count nor break the streak.")


@bp.post("/<uuid:habit_id>/pauses/<uuid:pause_id>/delete")
@login_required
@loads(habit=Habit)
def delete_pause(habit: Habit, pause_id: uuid.UUID):
    pause = owned(current_user, HabitPause, pause_id, parent=habit)
    services.delete_pause(habit, pause, local_today(current_user))
    return htmx.go(url_for("habits.show", habit_id=habit.id), "Pause removed.")
