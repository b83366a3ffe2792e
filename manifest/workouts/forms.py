"""One form per workout action; each ``command()`` is what its service takes."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date, time
from decimal import Decimal

from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from manifest.forms import AmountField, Form, day_field
from manifest.models.workout import INTENSITIES, SET_TYPES
from manifest.units import DISTANCE_UNITS, WEIGHT_UNITS
from manifest.workouts import logic

# Numeric(6, 2) and Numeric(8, 2) columns: anything above would be refused by the database.
MAX_WEIGHT = Decimal("9999.99")
MAX_DISTANCE = Decimal("999999.99")
WHOLE = "Enter a whole number, e.g. 5."


@dataclass(frozen=True)
class WorkoutDetails:
    workout_date: date
    workout_time: time | None
    workout_type: str
    workout_name: str | None
    duration_minutes: int | None
    calories_burned: int | None
    intensity: str | None
    location: str | None
    mood_before: int | None
    mood_after: int | None
    notes: str | None

    def columns(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ExerciseDetails:
    """An exercise's own line: a plan ("3 x 5 @ 100 kg") or a result (5 km in 25:00). A unit is kept
    only with its value."""

    exercise_name: str
    exercise_type: str
    sets: int | None = None
    reps: int | None = None
    weight: Decimal | None = None
    weight_unit: str | None = None
    distance: Decimal | None = None
    distance_unit: str | None = None
    duration_seconds: int | None = None
    rest_seconds: int | None = None
    notes: str | None = None

    def columns(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SetDetails:
    reps: int | None
    weight: Decimal | None
    weight_unit: str | None
    set_type: str = "normal"

    def columns(self) -> dict:
        return asdict(self)


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _choices(values, labels=None):
    return [SelectChoice(v, (labels or {}).get(v, v.capitalize())) for v in values]


def _int(label, low, high, message, **kw):
    return IntegerField(label, validators=[Optional(), NumberRange(low, high, message=message)], **kw)


def _weight(label="Weight"):
    return AmountField(label, places=2, validators=[
        Optional(), NumberRange(Decimal(0), MAX_WEIGHT, message="Enter a weight from 0 to 9999.99.")],
        render_kw={"inputmode": "decimal"})


class DurationField(StringField):
    """Minutes, mm:ss or h:mm:ss; ``data`` is seconds."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        try:
            self.data = logic.parse_duration(self.raw)
        except ValueError as error:
            self.data = None
            raise ValueError(str(error)) from None

    def _value(self):
        if getattr(self, "raw", None) is not None and self.raw_data:
            return self.raw
        return logic.format_duration(self.data)


class WorkoutForm(Form):
    workout_date = day_field("Date", DataRequired(message="Enter the day of the workout."))
    workout_time = TimeField("Time", validators=[Optional()])
    # A select without an empty choice always sends one, so it is not marked required (HTML allows
    # `required` only on a select that starts with an empty placeholder); the server still checks.
    workout_type = SelectField("Type", default="strength", choices=_choices(logic.WORKOUT_TYPES),
                               validators=[DataRequired(message="Choose a type.")], render_kw={"required": False})
    workout_name = StringField("Name", validators=[Optional(), Length(max=255)],
                               render_kw={"placeholder": "e.g. Leg day"})
    duration_minutes = _int("Duration (minutes)", 0, 1440, "Enter 0 to 1440 minutes.", render_kw={"inputmode": "numeric"})
    calories_burned = _int("Calories burned", 0, 20000, "Enter 0 to 20000 calories.", render_kw={"inputmode": "numeric"})
    intensity = SelectField("Intensity", default="", choices=[SelectChoice("", "—"), *_choices(INTENSITIES)])
    location = StringField("Location", validators=[Optional(), Length(max=255)])
    mood_before = _int("Mood before (1-10)", 1, 10, "Rate from 1 to 10.")
    mood_after = _int("Mood after (1-10)", 1, 10, "Rate from 1 to 10.")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])

    def validate_intensity(self, field):
        if field.data and field.data not in INTENSITIES:
            raise ValidationError("Choose low, medium or high.")

    def command(self) -> WorkoutDetails:
        return WorkoutDetails(
            workout_date=self.workout_date.data, workout_time=self.workout_time.data,
            workout_type=self.workout_type.data, workout_name=_text(self.workout_name.data),
            duration_minutes=self.duration_minutes.data, calories_burned=self.calories_burned.data,
            intensity=self.intensity.data or None, location=_text(self.location.data),
            mood_before=self.mood_before.data, mood_after=self.mood_after.data, notes=_text(self.notes.data),
        )


class ExerciseForm(Form):
    exercise_name = StringField("Exercise", validators=[
        DataRequired(message="Name the exercise, e.g. Squat."), Length(max=255)],
        render_kw={"list": "exercise-names", "autocomplete": "off", "placeholder": "e.g. Squat"})
    # validate_exercise_type says what is wrong; WTForms' own check would add a second message.
    exercise_type = SelectField("Kind", default="strength", choices=_choices(logic.WORKOUT_TYPES),
                                validate_choice=False)
    sets = _int("Sets", 0, 100, "Enter 0 to 100 sets.", render_kw={"inputmode": "numeric"})
    reps = _int("Reps", 0, 1000, "Enter 0 to 1000 reps.", render_kw={"inputmode": "numeric"})
    weight = _weight()
    weight_unit = SelectField("Weight unit", choices=_choices(WEIGHT_UNITS, {"kg": "kg", "lbs": "lbs"}))
    distance = AmountField("Distance", places=2, validators=[
        Optional(), NumberRange(Decimal(0), MAX_DISTANCE, message="Enter a distance from 0 to 999999.99.")],
        render_kw={"inputmode": "decimal"})
    distance_unit = SelectField("Distance unit", choices=_choices(DISTANCE_UNITS, {"km": "km", "miles": "miles",
                                                                                   "meters": "m"}))
    duration = DurationField("Duration", render_kw={"placeholder": "mm:ss"})
    rest_seconds = _int("Rest (seconds)", 0, 3600, "Enter 0 to 3600 seconds.", render_kw={"inputmode": "numeric"})
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])

    def validate_exercise_type(self, field):
        if field.data not in logic.WORKOUT_TYPES:
            raise ValidationError("Choose a kind.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.reps.data and not self.sets.data and not self.sets.errors and not self.reps.errors:
            self.sets.errors = [*self.sets.errors, "Enter how many sets these reps were done for."]
            valid = False
        if self.weight.data and not self.reps.data and not self.reps.errors and not self.weight.errors:
            self.reps.errors = [*self.reps.errors, "Enter the reps done with this weight."]
            valid = False
        return valid

    def command(self) -> ExerciseDetails:
        return ExerciseDetails(
            exercise_name=self.exercise_name.data.strip(), exercise_type=self.exercise_type.data,
            sets=self.sets.data, reps=self.reps.data, weight=self.weight.data,
            weight_unit=self.weight_unit.data if self.weight.data is not None else None,
            distance=self.distance.data,
            distance_unit=self.distance_unit.data if self.distance.data is not None else None,
            duration_seconds=self.duration.data, rest_seconds=self.rest_seconds.data, notes=_text(self.notes.data),
        )


class SetForm(Form):
    reps = _int("Reps", 0, 1000, "Enter 0 to 1000 reps.", render_kw={"inputmode": "numeric"})
    weight = _weight()
    weight_unit = SelectField("Unit", choices=_choices(WEIGHT_UNITS, {"kg": "kg", "lbs": "lbs"}))
    # validate_set_type says what is wrong; WTForms' own check would add a second, vaguer message.
    set_type = SelectField("Set type", default="normal", choices=_choices(SET_TYPES, {"warmup": "Warm-up"}),
                           validate_choice=False)

    def validate_set_type(self, field):
        if field.data not in SET_TYPES:
            raise ValidationError("Choose a set type.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.reps.data is None and self.weight.data is None:
            self.reps.errors = ["Enter the reps, the weight or both."]
            valid = False
        return valid

    def command(self) -> SetDetails:
        return SetDetails(reps=self.reps.data, weight=self.weight.data,
                          weight_unit=self.weight_unit.data if self.weight.data is not None else None,
                          set_type=self.set_type.data)


class RepeatForm(Form):
    mode = RadioField("Copy", default="targets", choices=[
        SelectChoice("targets", "With last time's results as targets"),
        SelectChoice("empty", "Exercises only, no results"),
    ])
    # A new one with every page, so the same form sent twice (a double click, a resend) makes one copy.
    key = HiddenField(default=lambda: str(uuid.uuid4()))

    def command(self) -> bool:
        """Whether last time's results become the copy's targets."""
        return self.mode.data == "targets"

    def repeat_key(self) -> uuid.UUID:
        """The page's key; a form from before keys (or a mangled one) gets a fresh key, so it still copies."""
        try:
            return uuid.UUID(self.key.data or "")
        except ValueError:
            return uuid.uuid4()


class MoveForm(Form):
    """Move an exercise one place up or down the workout."""

    direction = RadioField("Move", choices=[SelectChoice("up", "Up"), SelectChoice("down", "Down")])

    def command(self) -> int:
        return -1 if self.direction.data == "up" else 1
