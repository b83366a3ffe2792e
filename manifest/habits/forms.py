from decimal import Decimal

from wtforms import (
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from manifest.forms import AmountField, Form, day_field
from manifest.habits.rules import WEEKDAY_NAMES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class HabitForm(Form):
    name = StringField("Name", validators=[DataRequired(message="Give the habit a name."), Length(max=100)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    category = StringField("Category", validators=[Optional(), Length(max=100)],
                           render_kw={"list": "habit-categories", "placeholder": "e.g. Health"})
    color = StringField("Color", default="#4f46e5", validators=[
        Optional(), Regexp(r"^#[0-9a-fA-F]{6}$", message="Pick a color like #4f46e5.")], render_kw={"type": "color"})
    icon = StringField("Icon", validators=[Optional(), Length(max=8)], render_kw={"placeholder": "e.g. 🧘"})
    reminder_time = TimeField("Reminder time", validators=[Optional()])
    frequency = RadioField("Schedule", default="daily", choices=[
        SelectChoice("daily", "Every day"), SelectChoice("weekly", "A number of times per week, any days"),
        SelectChoice("custom", "On specific weekdays"),
    ])
    times_per_week = IntegerField("Times per week", default=3, validators=[
        Optional(), NumberRange(1, 7, message="Choose 1 to 7 times a week.")])
    weekdays = MultiCheckboxField("Weekdays", coerce=int, choices=[SelectChoice(i, name) for i, name in enumerate(WEEKDAY_NAMES)])
    habit_type = RadioField("Kind", default="yes_no", choices=[
        SelectChoice("yes_no", "Yes or no (did I do it?)"), SelectChoice("numeric", "A number (how much?)"),
    ])
    target_value = AmountField("Target", places=2, validators=[
        Optional(), NumberRange(Decimal("0.01"), Decimal(999999), message="Enter a target above 0 and below a million.")])
    unit = StringField("Unit", validators=[Optional(), Length(max=30)], render_kw={"placeholder": "e.g. glasses"})
    target_direction = RadioField("Direction", default="at_least", choices=[
        SelectChoice("at_least", "At least the target"), SelectChoice("at_most", "At most the target"),
    ])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.frequency.data == "weekly" and not self.times_per_week.data and not self.times_per_week.errors:
            self.times_per_week.errors = ["Choose 1 to 7 times a week."]
            valid = False
        if self.frequency.data == "custom" and not self.weekdays.data:
            self.weekdays.errors = ["Pick at least one weekday."]
            valid = False
        if self.habit_type.data == "numeric" and self.target_value.data is None and not self.target_value.errors:
            self.target_value.errors = ["A number habit needs a target, e.g. 8."]
            valid = False
        return valid

    def command(self) -> dict:
        """The habit's fields as the service applies them."""
        return dict(self.data)


class PauseForm(Form):
    start_date = day_field("From", DataRequired(message="Enter the first paused day."))
    end_date = day_field("Until", DataRequired(message="Enter the last paused day."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.end_date.data < self.start_date.data:
            self.end_date.errors = ["The pause must end on or after its first day."]
            valid = False
        if valid and (self.end_date.data - self.start_date.data).days > 366:
            self.end_date.errors = ["A pause can last a year at most; archive the habit instead."]
            valid = False
        return valid

    def command(self) -> tuple:
        """(first, last) paused day."""
        return self.start_date.data, self.end_date.data


class LastValueField(StringField):
    """The last of repeated fields: a checkbox after its hidden "not done" default."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = valuelist[-1]


class CheckInForm(Form):
    """One habit's day: done or not (``state``), a value (typed, or a stepper's ``set_value``), or skip.

    The request states the result it wants, never a toggle, so repeated clicks converge.
    """

    class Meta:
        csrf = False  # CSRFProtect checks every POST already; one check per request is enough

    state = LastValueField()
    value = StringField()
    set_value = StringField()
    skip = StringField()

    def command(self) -> dict:
        value = self.set_value.data if self.set_value.raw_data else self.value.data if self.value.raw_data else None
        skip = self.skip.data if self.skip.raw_data else None
        return {"state": self.state.data, "value": value, "skip": None if skip is None else skip == "1"}


class NoteForm(Form):
    class Meta:
        csrf = False  # CSRFProtect checks every POST already

    note = TextAreaField()

    def command(self) -> str:
        return self.note.data or ""
