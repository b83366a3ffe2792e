"""Workouts: the list, one workout's page with its exercises and sets, progress and records.

Inline actions answer the exercise's row and, out of band, the workout's counters; every change
names itself (workout-changed) for the regions of other areas that show workouts.
"""

import uuid
from datetime import date
from decimal import Decimal

from flask import abort, request, url_for
from flask_login import current_user, login_required

from manifest import charts, htmx
from manifest.args import int_arg
from manifest.filters import number
from manifest.forms import FieldError, attach_error
from manifest.htmx import Block
from manifest.media import services as media
from manifest.models import Workout, WorkoutExercise, WorkoutSet
from manifest.ownership import loads, owned
from manifest.timeutil import local_today, parse_iso_day, parse_month
from manifest.units import (
    convert_distance,
    convert_weight,
    distance_for_display,
    weight_for_display,
)
from manifest.workouts import bp, logic, pages, records, services
from manifest.workouts.forms import (
    ExerciseForm,
    MoveForm,
    RepeatForm,
    SetForm,
    WorkoutForm,
)

SHOW = "workouts/show.html"
FORM = "workouts/form.html"
CHANGED = "workout-changed"


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




# --- context builders ------------------------------------------------------------------------

def _new_exercise_form(view=None) -> ExerciseForm:
    kind = "strength"
    if view is not None and view.workout.workout_type in logic.WORKOUT_TYPES:
        kind = view.workout.workout_type
    return ExerciseForm(formdata=None, exercise_type=kind, weight_unit=current_user.weight_unit,
                        distance_unit=current_user.distance_unit)


def _set_form(ev) -> SetForm:
    return SetForm(formdata=None, **pages.set_defaults(ev, current_user.weight_unit))


def _page(workout: Workout, *, exercise_form=None, editing=None, edit_form=None, set_forms=None, ev_id=None) -> dict:
    """The whole workout page; ``ev_id`` also names one exercise as ``ev``, for its blocks."""
    view = services.workout_view(current_user, workout)
    return {
        "v": view, "exercise_form": exercise_form or _new_exercise_form(view), "editing": editing,
        "edit_form": edit_form, "set_forms": set_forms or {}, "set_form_for": _set_form,
        "repeat_form": RepeatForm(formdata=None), "attachments": media.attachments_of(current_user, "workout", workout.id),
        **({"ev": view.find(ev_id)} if ev_id is not None else {}),
    }


def _row(exercise: WorkoutExercise, *, beaten=(), set_id=None, **context) -> dict:
    """One exercise's row (``ev``), the records just beaten marked on it, and the workout (``v``) for the
    summary counters."""
    ev = services.exercise_view(current_user, exercise).mark_new_records(beaten, set_id)
    view = services.workout_view(current_user, services.workout_of(exercise), full=False)
    return {"ev": ev, "v": view, "set_forms": {}, "set_form_for": _set_form, **context}


def _at(exercise: WorkoutExercise) -> str:
    return url_for("workouts.show", workout_id=exercise.workout_id, _anchor=f"exercise-{exercise.id}")


def _records_message(beaten: list[str]) -> str | None:
    """Without JavaScript a new record is told on the page the change redirects to."""
    return "New PR: " + ", ".join(logic.RECORD_LABELS[k] for k in beaten) + "!" if beaten else None


SUMMARY = Block("workout_summary", oob=True)


# --- the list and whole workouts ----------------------------------------------------------

@bp.get("/")
@login_required
def index():
    listing = services.list_workouts(current_user, int_arg(request.args.get("page"), 1, 999_999) or 1)
    return htmx.page("workouts/index.html", "workout_list", listing=listing)


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
        try:
            workout = services.create_workout(current_user, form.command())
        except FieldError as error:
            attach_error(form, error)
        else:
            return htmx.go(url_for("workouts.show", workout_id=workout.id),
                           message="Workout saved. Add its exercises below.", events=CHANGED)
    return htmx.page(FORM, status=htmx.form_status(form), form=form, workout=None)


@bp.route("/<uuid:workout_id>/edit", methods=["GET", "POST"])
@login_required
@loads(workout=Workout)
def edit(workout: Workout):
    form = WorkoutForm(obj=workout, formdata=None) if request.method == "GET" else WorkoutForm()
    if request.method == "GET":
        form.intensity.data = workout.intensity or ""
    if form.validate_on_submit():
        try:
            services.update_workout(current_user, workout, form.command())
        except FieldError as error:
            attach_error(form, error)
        else:
            return htmx.go(url_for("workouts.show", workout_id=workout.id), message="Workout saved.", events=CHANGED)
    return htmx.page(FORM, status=htmx.form_status(form), form=form, workout=workout)


@bp.route("/<uuid:workout_id>/delete", methods=["GET", "POST"])
@login_required
@loads(workout=Workout)
def delete(workout: Workout):
    if request.method == "GET":
        return htmx.page("workouts/delete.html", workout=workout)
    services.delete_workout(workout)
    return htmx.go(url_for("workouts.index"), message="Workout deleted.", events=CHANGED)


@bp.post("/<uuid:workout_id>/repeat")
@login_required
@loads(workout=Workout)
def repeat(workout: Workout):
    form = RepeatForm()
    if not form.validate_on_submit():
        abort(400, description="Choose how to copy the workout.")
    with_targets = form.command()
    copy = services.repeat_workout(current_user, workout, local_today(current_user), with_targets=with_targets,
                                   key=form.repeat_key())
    message = "Workout copied to today." + (" Last time's results are the targets." if with_targets else "")
    return htmx.go(url_for("workouts.show", workout_id=copy.id), message=message, events=CHANGED)


# --- one workout and its exercises -----------------------------------------------------------

@bp.get("/<uuid:workout_id>")
@login_required
@loads(workout=Workout)
def show(workout: Workout):
    return htmx.page(SHOW, **_page(workout))


@bp.post("/<uuid:workout_id>/exercises")
@login_required
@loads(workout=Workout)
def add_exercise(workout: Workout):
    form = ExerciseForm()
    if not form.validate_on_submit():
        # Its success appends a row to the list; its refusal replaces the form itself.
        return htmx.retarget(htmx.invalid(SHOW, "exercise_form", **_page(workout, exercise_form=form)), "#exercise-form")
    exercise, beaten = services.add_exercise(current_user, workout, form.command())
    # A fresh form, out of band; the new row's first set is what comes next, so its reps field has the cursor.
    context = _row(exercise, beaten=beaten, form_oob=True, focus_set=True)
    context["exercise_form"] = _new_exercise_form(context["v"])
    return htmx.done(_at(exercise), SHOW, "exercise_row", SUMMARY, "exercise_form",
                     message=_records_message(beaten), events=CHANGED, **context)


@bp.get("/exercises/<uuid:exercise_id>")
@login_required
@loads(exercise=WorkoutExercise)
def exercise(exercise: WorkoutExercise):
    """The exercise's row again (cancelling an inline edit); without htmx, its workout page."""
    ev = services.exercise_view(current_user, exercise)
    return htmx.part(_at(exercise), SHOW, "exercise_row", ev=ev, set_forms={}, set_form_for=_set_form)


@bp.route("/exercises/<uuid:exercise_id>/edit", methods=["GET", "POST"])
@login_required
@loads(exercise=WorkoutExercise)
def edit_exercise(exercise: WorkoutExercise):
    workout = services.workout_of(exercise)
    if request.method == "GET":
        form = ExerciseForm(obj=exercise, formdata=None)
        form.duration.data = exercise.duration_seconds
        form.weight_unit.data = exercise.weight_unit or current_user.weight_unit
        form.distance_unit.data = exercise.distance_unit or current_user.distance_unit
        return htmx.page(SHOW, "exercise_edit", **_page(workout, editing=exercise.id, edit_form=form, ev_id=exercise.id))
    form = ExerciseForm()
    if not form.validate_on_submit():
        return htmx.invalid(SHOW, "exercise_edit", **_page(workout, editing=exercise.id, edit_form=form,
                                                            ev_id=exercise.id))
    exercise, beaten = services.update_exercise(current_user, exercise, form.command())
    return htmx.done(_at(exercise), SHOW, "exercise_row", SUMMARY, message=_records_message(beaten), events=CHANGED,
                     **_row(exercise, beaten=beaten))


@bp.post("/exercises/<uuid:exercise_id>/delete")
@login_required
@loads(exercise=WorkoutExercise)
def delete_exercise(exercise: WorkoutExercise):
    workout = services.workout_of(exercise)
    services.delete_exercise(exercise)
    # The row's own swap removes it; the counters follow out of band.
    return htmx.done(url_for("workouts.show", workout_id=workout.id), SHOW, SUMMARY, message="Exercise removed.",
                     events=CHANGED, v=services.workout_view(current_user, workout, full=False))


@bp.post("/exercises/<uuid:exercise_id>/move")
@login_required
@loads(exercise=WorkoutExercise)
def move_exercise(exercise: WorkoutExercise):
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400, description="Move an exercise up or down.")
    services.move_exercise(exercise, form.command())
    view = services.workout_view(current_user, services.workout_of(exercise))
    return htmx.done(_at(exercise), SHOW, "exercise_list", events=CHANGED, v=view, set_forms={},
                     set_form_for=_set_form)


# --- sets ------------------------------------------------------------------------------------

@bp.post("/exercises/<uuid:exercise_id>/sets")
@login_required
@loads(exercise=WorkoutExercise)
def add_set(exercise: WorkoutExercise):
    form = SetForm(weight_unit=current_user.weight_unit)
    if not form.validate_on_submit():
        return htmx.invalid(SHOW, "exercise_row", SUMMARY, **_page(services.workout_of(exercise),
                                                                   set_forms={exercise.id: form}, ev_id=exercise.id))
    row, beaten = services.add_set(current_user, exercise, form.command())
    return htmx.done(_at(exercise), SHOW, "exercise_row", SUMMARY, message=_records_message(beaten), events=CHANGED,
                     **_row(exercise, beaten=beaten, set_id=row.id, focus_set=True))


@bp.post("/sets/<uuid:set_id>/delete")
@login_required
def delete_set(set_id: uuid.UUID):
    row = owned(current_user, WorkoutSet, set_id)
    exercise = services.exercise_of(row)
    services.delete_set(row)
    return htmx.done(_at(exercise), SHOW, "exercise_row", SUMMARY, message="Set removed.", events=CHANGED,
                     **_row(exercise))


@bp.get("/exercise-names")
@login_required
def exercise_names():
    """Active search for the exercise name field: options of the user's own history."""
    query = request.args.get("q", request.args.get("exercise_name", ""))[:100]
    return htmx.page("workouts/_names.html", names=records.exercise_names(current_user, query, limit=50))


# --- progress ------------------------------------------------------------------------------

def _month_arg(today: date) -> date:
    return parse_month(request.args.get("month")) or today.replace(day=1)


@bp.get("/progress")
@login_required
def progress():
    today = local_today(current_user)
    data = records.progress(current_user, _month_arg(today), today)
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
        return htmx.go(url_for("workouts.progress"))
    points = records.exercise_history(current_user, name)
    unit, dunit = current_user.weight_unit or "kg", current_user.distance_unit or "km"

    def in_unit(value):
        return None if value is None else convert_weight(value, "kg", unit).quantize(_CENT)

    def in_distance(value):
        return None if value is None else convert_distance(value, "meters", dunit).quantize(_CENT)

    def pace_minutes(value):
        # Minutes per unit for the chart's scale; the table shows m:ss.
        return None if value is None else (value * convert_distance(1, dunit, "km") / 60).quantize(_CENT)

    label = [(p.day.strftime("%-d %b %y"), p) for p in points]
    rec = records.records_for(current_user, [name]).get(name.lower())
    return htmx.page(
        "workouts/exercise.html", name=name, points=points, rec=rec,
        one_rm_chart=charts.line_chart([(t, in_unit(p.one_rep_max)) for t, p in label]),
        heaviest_chart=charts.line_chart([(t, in_unit(p.heaviest)) for t, p in label]),
        distance_chart=charts.line_chart([(t, in_distance(p.meters)) for t, p in label]),
        pace_chart=charts.line_chart([(t, pace_minutes(p.pace)) for t, p in label]),
    )
