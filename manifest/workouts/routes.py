import uuid
from datetime import date
from decimal import Decimal

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

from manifest import charts, htmx
from manifest.filters import number
from manifest.htmx import hx_redirect, is_htmx, wants_fragment
from manifest.media import services as media
from manifest.timeutil import local_today, parse_iso_day, parse_month
from manifest.units import (
    convert_distance,
    convert_weight,
    distance_for_display,
    weight_for_display,
)
from manifest.workouts import bp, logic, services
from manifest.workouts.forms import ExerciseForm, RepeatForm, SetForm, WorkoutForm

SHOW = "workouts/show.html"


@bp.context_processor
def unit_helpers():
    """Formatting in the viewer's preferred units, for this area's templates."""
    if not current_user.is_authenticated:
        return {}
    weight_unit, distance_unit = current_user.weight_unit or "kg", current_user.distance_unit or "km"

    def weight(value, unit):
        shown, shown_unit = weight_for_display(value, unit, weight_unit)
        return "" if shown is None else f"{_num(shown)} {shown_unit}"

    def distance(value, unit):
        shown, shown_unit = distance_for_display(value, unit, distance_unit)
        return "" if shown is None else f"{_num(shown)} {shown_unit}"

    def kg(value):
        return "" if value is None else f"{_num(convert_weight(value, 'kg', weight_unit).quantize(_CENT))} {weight_unit}"

    def meters(value):
        return "" if value is None else distance(value, "meters")

    def pace(seconds_per_km):
        if seconds_per_km is None:
            return ""
        per_unit = seconds_per_km * convert_distance(1, distance_unit, "km")
        return f"{logic.format_pace(per_unit)} /{'mi' if distance_unit == 'miles' else 'km'}"

    return {
        "show_weight": weight, "show_distance": distance, "show_kg": kg, "show_meters": meters, "show_pace": pace,
        "show_duration": logic.format_duration, "record_labels": logic.RECORD_LABELS, "epley": logic.epley,
        "weight_unit": weight_unit, "distance_unit": distance_unit,
    }


_CENT = Decimal("0.01")


def _num(value) -> str:
    return number(value)




# --- the list and whole workouts ----------------------------------------------------------

@bp.get("/")
@login_required
def index():
    page = request.args.get("page", "1")
    listing = services.list_workouts(current_user, int(page) if page.isdigit() and len(page) < 7 else 1)
    return htmx.page("workouts/index.html", "workout_list", listing=listing)


def _form_page(form: WorkoutForm, workout=None, status: int = 200):
    return render_template("workouts/form.html", form=form, workout=workout), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = WorkoutForm()
    if request.method == "GET":
        # "Log one" on a past day of Today brings that day along.
        form.workout_date.data = parse_iso_day(request.args.get("day")) or local_today(current_user)
        kind = request.args.get("type")
        if kind in logic.WORKOUT_TYPES:
            form.workout_type.data = kind
    if form.validate_on_submit():
        workout = services.create_workout(current_user, form.values())
        flash("Workout saved. Add its exercises below.", "success")
        return redirect(url_for("workouts.show", workout_id=workout.id), 303)
    return _form_page(form, status=422 if form.is_submitted() else 200)


@bp.route("/<uuid:workout_id>/edit", methods=["GET", "POST"])
@login_required
def edit(workout_id: uuid.UUID):
    workout = services.get_workout(current_user, workout_id)
    form = WorkoutForm(obj=workout, formdata=None) if request.method == "GET" else WorkoutForm()
    if request.method == "GET":
        form.intensity.data = workout.intensity or ""
    if form.validate_on_submit():
        services.update_workout(current_user, workout_id, form.values())
        flash("Workout saved.", "success")
        return redirect(url_for("workouts.show", workout_id=workout_id), 303)
    return _form_page(form, workout, status=422 if form.is_submitted() else 200)


@bp.route("/<uuid:workout_id>/delete", methods=["GET", "POST"])
@login_required
def delete(workout_id: uuid.UUID):
    workout = services.get_workout(current_user, workout_id)
    if request.method == "GET":
        return render_template("workouts/delete.html", workout=workout)
    services.delete_workout(current_user, workout_id)
    flash("Workout deleted.", "success")
    url = url_for("workouts.index")
    return hx_redirect(url) if is_htmx() else redirect(url, 303)


@bp.post("/<uuid:workout_id>/repeat")
@login_required
def repeat(workout_id: uuid.UUID):
    form = RepeatForm()
    if not form.validate_on_submit():
        abort(400, description="Choose how to copy the workout.")
    copy = services.repeat_workout(current_user, workout_id, local_today(current_user),
                                   with_targets=form.mode.data == "targets")
    flash("Workout copied to today." + (" Last time's results are the targets." if form.mode.data == "targets"
                                        else ""), "success")
    url = url_for("workouts.show", workout_id=copy.id)
    return hx_redirect(url) if is_htmx() else redirect(url, 303)


# --- one workout and its exercises -----------------------------------------------------------

def _new_exercise_form(view=None) -> ExerciseForm:
    kind = "strength"
    if view is not None and view.workout.workout_type in logic.WORKOUT_TYPES:
        kind = view.workout.workout_type
    return ExerciseForm(formdata=None, exercise_type=kind, weight_unit=current_user.weight_unit,
                        distance_unit=current_user.distance_unit)


def _set_form(ev) -> SetForm:
    return SetForm(formdata=None, **services.set_defaults(ev, current_user.weight_unit))


def _show(view, status: int = 200, exercise_form=None, editing=None, edit_form=None, set_forms=None):
    return render_template(
        SHOW, v=view, exercise_form=exercise_form or _new_exercise_form(view), editing=editing, edit_form=edit_form,
        set_forms=set_forms or {}, set_form_for=_set_form, repeat_form=RepeatForm(formdata=None),
        attachments=media.attachments_of(current_user, "workout", view.workout.id),
    ), status


@bp.get("/<uuid:workout_id>")
@login_required
def show(workout_id: uuid.UUID):
    return _show(services.workout_view(current_user, workout_id))


def _row_response(exercise_id: uuid.UUID, status: int = 200, *, new_records=None, set_id=None, set_form=None,
                  extra_blocks=(), **context):
    """The exercise's row (htmx target) plus the workout summary out of band."""
    ev = services.exercise_view(current_user, exercise_id)
    if set_id is not None:
        for sv in ev.sets:
            if sv.row.id == set_id:
                sv.new_records = new_records or []
    elif new_records:
        ev.new_records = new_records
    view = services.workout_view(current_user, ev.exercise.workout_id, full=False)
    return render_blocks(
        SHOW, ["exercise_row", "workout_summary", *extra_blocks], ev=ev, v=view, oob=True,
        set_forms={ev.id: set_form} if set_form else {}, set_form_for=_set_form, **context,
    ), status


@bp.post("/<uuid:workout_id>/exercises")
@login_required
def add_exercise(workout_id: uuid.UUID):
    form = ExerciseForm()
    if not form.validate_on_submit():
        view = services.workout_view(current_user, workout_id)
        if not is_htmx():
            return _show(view, 422, exercise_form=form)
        body = render_blocks(SHOW, ["exercise_form"], v=view, exercise_form=form)
        return body, 422, {"HX-Retarget": "#exercise-form", "HX-Reswap": "outerHTML"}
    exercise, beaten = services.add_exercise_checked(current_user, workout_id, form.values())
    if not is_htmx():
        _flash_records(beaten)
        return redirect(url_for("workouts.show", workout_id=workout_id, _anchor=f"exercise-{exercise.id}"), 303)
    view = services.workout_view(current_user, workout_id, full=False)
    # Its first set is what comes next: the cursor goes to the new row's reps field.
    return htmx.announce(make_response(_row_response(
        exercise.id, new_records=beaten, extra_blocks=("exercise_form",),
        exercise_form=_new_exercise_form(view), form_oob=True, focus_set=True)), "workout-changed")


def _flash_records(beaten: list[str]) -> None:
    if beaten:
        flash("New PR: " + ", ".join(logic.RECORD_LABELS[k] for k in beaten) + "!", "success")


@bp.get("/exercises/<uuid:exercise_id>")
@login_required
def exercise(exercise_id: uuid.UUID):
    """The exercise's row again (cancelling an inline edit); without htmx, its workout page."""
    ev = services.exercise_view(current_user, exercise_id)
    if not wants_fragment():
        return redirect(url_for("workouts.show", workout_id=ev.exercise.workout_id, _anchor=f"exercise-{ev.id}"), 303)
    return render_blocks(SHOW, ["exercise_row"], ev=ev, set_forms={}, set_form_for=_set_form)


@bp.route("/exercises/<uuid:exercise_id>/edit", methods=["GET", "POST"])
@login_required
def edit_exercise(exercise_id: uuid.UUID):
    ev = services.exercise_view(current_user, exercise_id)
    if request.method == "GET":
        form = ExerciseForm(obj=ev.exercise, formdata=None)
        form.duration.data = ev.exercise.duration_seconds
        form.weight_unit.data = ev.exercise.weight_unit or current_user.weight_unit
        form.distance_unit.data = ev.exercise.distance_unit or current_user.distance_unit
        if wants_fragment():
            return render_blocks(SHOW, ["exercise_edit"], ev=ev, edit_form=form)
        return _show(services.workout_view(current_user, ev.exercise.workout_id), editing=ev.id, edit_form=form)
    form = ExerciseForm()
    if not form.validate_on_submit():
        if wants_fragment():
            return render_blocks(SHOW, ["exercise_edit"], ev=ev, edit_form=form), 422
        return _show(services.workout_view(current_user, ev.exercise.workout_id), 422, editing=ev.id, edit_form=form)
    exercise, beaten = services.update_exercise(current_user, exercise_id, form.values())
    if not is_htmx():
        _flash_records(beaten)
        return redirect(url_for("workouts.show", workout_id=exercise.workout_id, _anchor=f"exercise-{exercise.id}"), 303)
    return _row_response(exercise_id, new_records=beaten)


@bp.post("/exercises/<uuid:exercise_id>/delete")
@login_required
def delete_exercise(exercise_id: uuid.UUID):
    workout_id = services.delete_exercise(current_user, exercise_id)
    if not is_htmx():
        flash("Exercise removed.", "success")
        return redirect(url_for("workouts.show", workout_id=workout_id), 303)
    view = services.workout_view(current_user, workout_id, full=False)
    return render_blocks(SHOW, ["workout_summary"], v=view, oob=True)


@bp.post("/exercises/<uuid:exercise_id>/move")
@login_required
def move_exercise(exercise_id: uuid.UUID):
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400, description="Move an exercise up or down.")
    workout_id = services.move_exercise(current_user, exercise_id, offset)
    if not wants_fragment():
        return redirect(url_for("workouts.show", workout_id=workout_id, _anchor=f"exercise-{exercise_id}"), 303)
    view = services.workout_view(current_user, workout_id)
    return render_blocks(SHOW, ["exercise_list"], v=view, set_forms={}, set_form_for=_set_form)


# --- sets ------------------------------------------------------------------------------------

@bp.post("/exercises/<uuid:exercise_id>/sets")
@login_required
def add_set(exercise_id: uuid.UUID):
    workout_id = services.get_exercise(current_user, exercise_id).workout_id
    form = SetForm(weight_unit=current_user.weight_unit)
    if not form.validate_on_submit():
        if not is_htmx():
            return _show(services.workout_view(current_user, workout_id), 422, set_forms={exercise_id: form})
        return _row_response(exercise_id, 422, set_form=form)
    row, beaten = services.add_set(current_user, exercise_id, form.values())
    if not is_htmx():
        _flash_records(beaten)
        return redirect(url_for("workouts.show", workout_id=workout_id, _anchor=f"exercise-{exercise_id}"), 303)
    return _row_response(exercise_id, new_records=beaten, set_id=row.id, focus_set=True)


@bp.post("/sets/<uuid:set_id>/delete")
@login_required
def delete_set(set_id: uuid.UUID):
    exercise_id = services.delete_set(current_user, set_id)
    if not is_htmx():
        workout_id = services.get_exercise(current_user, exercise_id).workout_id
        flash("Set removed.", "success")
        return redirect(url_for("workouts.show", workout_id=workout_id, _anchor=f"exercise-{exercise_id}"), 303)
    return _row_response(exercise_id)


@bp.get("/exercise-names")
@login_required
def exercise_names():
    """Active search for the exercise name field: options of the user's own history."""
    query = request.args.get("q", request.args.get("exercise_name", ""))[:100]
    names = services.exercise_names(current_user, query, limit=50)
    return render_template("workouts/_names.html", names=names)


# --- progress ------------------------------------------------------------------------------

def _month_arg(today: date) -> date:
    return parse_month(request.args.get("month")) or today.replace(day=1)


@bp.get("/progress")
@login_required
def progress():
    today = local_today(current_user)
    data = services.progress(current_user, _month_arg(today), today)
    label = [(w.start.strftime("%-d %b"), w) for w in data.weeks]
    return htmx.page(
        "workouts/progress.html", "workout_calendar", p=data, today=today,
        minutes_chart=charts.bar_chart([(text, w.minutes) for text, w in label]),
        sessions_chart=charts.bar_chart([(text, w.sessions) for text, w in label]),
    )


@bp.get("/progress/exercise")
@login_required
def exercise_progress():
    name = request.args.get("name", "").strip()[:255]
    if not name:
        return redirect(url_for("workouts.progress"), 303)
    points = services.exercise_history(current_user, name)
    unit, dunit = current_user.weight_unit or "kg", current_user.distance_unit or "km"

    def in_unit(value):
        return None if value is None else convert_weight(value, "kg", unit).quantize(_CENT)

    def in_distance(value):
        return None if value is None else convert_distance(value, "meters", dunit).quantize(_CENT)

    def pace_minutes(value):
        # Minutes per unit for the chart's scale; the table shows m:ss.
        return None if value is None else (value * convert_distance(1, dunit, "km") / 60).quantize(_CENT)

    label = [(p.day.strftime("%-d %b %y"), p) for p in points]
    rec = services.records_for(current_user, [name]).get(name.lower())
    return render_template(
        "workouts/exercise.html", name=name, points=points, rec=rec,
        one_rm_chart=charts.line_chart([(t, in_unit(p.one_rep_max)) for t, p in label]),
        heaviest_chart=charts.line_chart([(t, in_unit(p.heaviest)) for t, p in label]),
        distance_chart=charts.line_chart([(t, in_distance(p.meters)) for t, p in label]),
        pace_chart=charts.line_chart([(t, pace_minutes(p.pace)) for t, p in label]),
    )
