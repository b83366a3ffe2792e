"""Workouts, their exercises and each exercise's sets."""

import sqlalchemy as sa
from marshmallow import fields

from manifest.api import core
from manifest.api.schemas import PageArgs, form_schema, model_schema, page_schema
from manifest.models import Workout, WorkoutExercise, WorkoutSet
from manifest.ownership import owned
from manifest.workouts import services
from manifest.workouts.forms import ExerciseForm, SetForm, WorkoutForm

blp = core.api_blueprint("workouts", "Workouts with their exercises and sets.")

WorkoutIn = form_schema(WorkoutForm, "WorkoutIn", overrides={
    "workout_date": fields.Date(allow_none=True, metadata={"description": "The day; today when left out."}),
})
WorkoutOut = model_schema(Workout, "Workout", exclude=("user_id", "repeat_key"))
WorkoutPage = page_schema(WorkoutOut, "WorkoutPage")
ExerciseIn = form_schema(ExerciseForm, "ExerciseIn", overrides={
    "duration": fields.String(allow_none=True, metadata={"description": "Minutes, mm:ss or h:mm:ss."}),
})
ExerciseOut = model_schema(WorkoutExercise, "WorkoutExercise")
ExercisePage = page_schema(ExerciseOut, "WorkoutExercisePage")
SetIn = form_schema(SetForm, "SetIn")
SetOut = model_schema(WorkoutSet, "WorkoutSet")
SetPage = page_schema(SetOut, "WorkoutSetPage")


def _workout(workout_id):
    return owned(core.user(), Workout, workout_id)


def _exercise(workout_id, exercise_id):
    return owned(core.user(), WorkoutExercise, exercise_id, parent=_workout(workout_id))


def _units() -> dict:
    user = core.user()
    return {"weight_unit": user.weight_unit, "distance_unit": user.distance_unit}


def _workout_form(data):
    data = dict(data)
    if not data.get("workout_date"):
        data["workout_date"] = core.today()
    return core.validated(core.bind(WorkoutForm, data))


@blp.get("")
@blp.arguments(PageArgs, location="query")
@blp.response(200, WorkoutPage)
def list_workouts(args):
    """Newest day first."""
    statement = sa.select(Workout).where(Workout.user_id == core.user().id)
    return core.page(statement, [Workout.workout_date, Workout.id], args, "api_workouts.list_workouts")


@blp.post("")
@core.idempotent
@blp.arguments(WorkoutIn)
@blp.response(201, WorkoutOut)
def create_workout(data):
    """Start a workout (today unless `workout_date` says otherwise)."""
    form = _workout_form(data)
    workout = core.run(lambda: services.create_workout(core.user(), form.command()))
    return workout, {"Location": core.url("api_workouts.get_workout", workout_id=workout.id)}


@blp.get("/<uuid:workout_id>")
@blp.response(200, WorkoutOut)
def get_workout(workout_id):
    return _workout(workout_id)


@blp.put("/<uuid:workout_id>")
@blp.arguments(WorkoutIn)
@blp.response(200, WorkoutOut)
def update_workout(data, workout_id):
    workout = _workout(workout_id)
    form = _workout_form(data)
    return core.run(lambda: services.update_workout(core.user(), workout, form.command()))


@blp.delete("/<uuid:workout_id>")
@blp.response(204)
def delete_workout(workout_id):
    services.delete_workout(_workout(workout_id))


@blp.get("/<uuid:workout_id>/exercises")
@blp.arguments(PageArgs, location="query")
@blp.response(200, ExercisePage)
def list_exercises(args, workout_id):
    workout = _workout(workout_id)
    statement = sa.select(WorkoutExercise).where(WorkoutExercise.workout_id == workout.id)
    return core.page(statement, [WorkoutExercise.order_index, WorkoutExercise.id], args,
                     "api_workouts.list_exercises", descending=False, workout_id=workout.id)


@blp.post("/<uuid:workout_id>/exercises")
@core.idempotent
@blp.arguments(ExerciseIn)
@blp.response(201, ExerciseOut)
def add_exercise(data, workout_id):
    workout = _workout(workout_id)
    form = core.validated(core.bind(ExerciseForm, data, **_units()))
    exercise, _records = services.add_exercise(core.user(), workout, form.command())
    return exercise, {"Location": core.url("api_workouts.get_exercise", workout_id=workout.id,
                                           exercise_id=exercise.id)}


@blp.get("/<uuid:workout_id>/exercises/<uuid:exercise_id>")
@blp.response(200, ExerciseOut)
def get_exercise(workout_id, exercise_id):
    return _exercise(workout_id, exercise_id)


@blp.put("/<uuid:workout_id>/exercises/<uuid:exercise_id>")
@blp.arguments(ExerciseIn)
@blp.response(200, ExerciseOut)
def update_exercise(data, workout_id, exercise_id):
    exercise = _exercise(workout_id, exercise_id)
    form = core.validated(core.bind(ExerciseForm, data, **_units()))
    return services.update_exercise(core.user(), exercise, form.command())[0]


@blp.delete("/<uuid:workout_id>/exercises/<uuid:exercise_id>")
@blp.response(204)
def delete_exercise(workout_id, exercise_id):
    services.delete_exercise(_exercise(workout_id, exercise_id))


@blp.get("/<uuid:workout_id>/exercises/<uuid:exercise_id>/sets")
@blp.arguments(PageArgs, location="query")
@blp.response(200, SetPage)
def list_sets(args, workout_id, exercise_id):
    exercise = _exercise(workout_id, exercise_id)
    statement = sa.select(WorkoutSet).where(WorkoutSet.workout_exercise_id == exercise.id)
    return core.page(statement, [WorkoutSet.position, WorkoutSet.id], args, "api_workouts.list_sets",
                     descending=False, workout_id=workout_id, exercise_id=exercise.id)


@blp.post("/<uuid:workout_id>/exercises/<uuid:exercise_id>/sets")
@core.idempotent
@blp.arguments(SetIn)
@blp.response(201, SetOut)
def add_set(data, workout_id, exercise_id):
    exercise = _exercise(workout_id, exercise_id)
    form = core.validated(core.bind(SetForm, data, weight_unit=core.user().weight_unit))
    row, _records = services.add_set(core.user(), exercise, form.command())
    return row, {"Location": core.url("api_workouts.list_sets", workout_id=workout_id, exercise_id=exercise.id)}


@blp.delete("/<uuid:workout_id>/exercises/<uuid:exercise_id>/sets/<uuid:set_id>")
@blp.response(204)
def delete_set(workout_id, exercise_id, set_id):
    exercise = _exercise(workout_id, exercise_id)
    services.delete_set(owned(core.user(), WorkoutSet, set_id, parent=exercise))
