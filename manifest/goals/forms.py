import uuid
from datetime import date
from decimal import Decimal

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from manifest.forms import AmountField, Form
from manifest.forms import day_field as shared_day_field
from manifest.models.goal import GOAL_STATUSES

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
MAX_TARGET = Decimal("99999999.99")
MAX_AMOUNT = Decimal("999999.99")

TYPE_CHOICES = [
    SelectChoice("daily", "Daily"), SelectChoice("weekly", "Weekly"), SelectChoice("monthly", "Monthly"),
    SelectChoice("yearly", "Yearly"), SelectChoice("life", "Life goal (no fixed period)"),
]
MEASURE_CHOICES = [
    SelectChoice("entries", "I record progress myself"),
    SelectChoice("milestones", "Milestones ticked off"),
    SelectChoice("children", "Its sub-goals"),
    SelectChoice("source", "Automatically, from a habit"),
]
ROLLUP_CHOICES = [
    SelectChoice("average", "Average of their progress"),
    SelectChoice("sum", "Sum of their values (same unit)"),
]
PRIORITY_CHOICES = [
    SelectChoice(str(n), f"{n} · {label}")
    for n, label in enumerate(("none", "lowest", "low", "medium", "high", "top"))
]
STATUS_CHOICES = [SelectChoice(s, s.capitalize()) for s in GOAL_STATUSES]
PRIORITY_MESSAGE = "Choose a priority from 0 (none) to 5 (top)."


def _uuid_or_none(value):
    if value in (None, "", "None"):
        return None
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


class Between:
    """Inclusive bounds for a Decimal, with one message for both ends."""

    def __init__(self, low: Decimal, high: Decimal, message: str):
        self.low, self.high, self.message = low, high, message

    def __call__(self, form, field):
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(self.message)


def day_field(label: str, *validators, **kwargs) -> DateField:
    # Goals look at most two centuries ahead: period arithmetic stays cheap.
    return shared_day_field(label, *validators, first=FIRST_DAY, last=LAST_DAY, **kwargs)


class GoalForm(Form):
    title = StringField("Title", validators=[DataRequired(message="Give the goal a title."), Length(max=255)],
                        render_kw={"placeholder": "e.g. Read 24 books"})
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    goal_type = RadioField("Kind", default="monthly", choices=TYPE_CHOICES,
                           invalid_choice_message="Choose daily, weekly, monthly, yearly or life goal.")
    is_recurring = BooleanField("Repeat every period: each one starts fresh")
    category = StringField("Category", validators=[Optional(), Length(max=100)],
                           render_kw={"list": "goal-categories", "placeholder": "e.g. Health"})
    priority = SelectField("Priority", default="0", choices=PRIORITY_CHOICES,
                           invalid_choice_message=PRIORITY_MESSAGE)
    status = SelectField("Status", default="active", choices=STATUS_CHOICES,
                         invalid_choice_message="Choose active, paused, completed or cancelled.")
    parent_goal_id = SelectField("Part of", coerce=_uuid_or_none, choices=[],
                                 invalid_value_message="Choose one of your goals as the parent.",
                                 invalid_choice_message="Choose one of your goals as the parent.")
    measure = RadioField("Progress comes from", default="entries", choices=MEASURE_CHOICES,
                         invalid_choice_message="Choose how progress is measured.")
    target_value = AmountField("Target", places=None, validators=[
        Optional(), Between(Decimal("0.01"), MAX_TARGET, "Enter a target between 0.01 and 99,999,999.99.")])
    target_unit = StringField("Unit", validators=[Optional(), Length(max=50)],
                              render_kw={"placeholder": "e.g. books, km"})
    rollup = RadioField("Sub-goals count as", default="average", choices=ROLLUP_CHOICES,
                        invalid_choice_message="Choose average or sum.")
    source = SelectField("Filled from", choices=[], validate_choice=False)
    start_date = day_field("Start", Optional())
    end_date = day_field("Due", Optional())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)

        def refuse(field, message: str) -> None:
            nonlocal valid
            if not field.errors:
                field.errors = [*field.errors, message]
            valid = False

        start, end = self.start_date.data, self.end_date.data
        if start and end and end < start and not self.end_date.errors:
            refuse(self.end_date, "The due date must be on or after the start date.")
        if self.goal_type.data == "life" and self.is_recurring.data:
            refuse(self.is_recurring, "A life goal has no period, so it cannot repeat.")
        measure = self.measure.data
        if measure in ("entries", "source") and self.target_value.data is None and not self.target_value.errors:
            refuse(self.target_value, "Set a target to measure progress against, e.g. 12.")
        if measure == "source" and not self.source.data:
            refuse(self.source, "Choose what this goal is filled from.")
        if measure == "source" and self.source.data and self.source.data not in self.source_values():
            refuse(self.source, "Choose what this goal is filled from.")
        if measure == "children" and self.rollup.data == "sum" and (
            self.target_value.data is None or not (self.target_unit.data or "").strip()
        ):
            refuse(self.target_value, "To add up sub-goals, give this goal a target and a unit.")
        return valid

    def fill_choices(self, choices) -> None:
        """The user's goals as parents and what a goal can be filled from (``services.form_choices``)."""
        self.parent_goal_id.choices = [SelectChoice("", "None: a goal of its own")] + [
            SelectChoice(str(view.id), "— " * view.depth + view.goal.title) for view in choices.parents
        ]
        self.source.choices = [SelectChoice("", "Choose…")] + [
            SelectChoice(f"{source.key}:{option.id}", option.name, optgroup=source.label)
            for source, options in choices.sources for option in options
        ]

    def source_values(self) -> set[str]:
        return {choice.value for choice in self.source.choices or []}

    def command(self) -> dict:
        """The goal's fields as services.create_goal and update_goal take them."""
        data = dict(self.data)
        data.pop("csrf_token", None)
        data["priority"] = int(data["priority"])
        return data


class BackForm(Form):
    """An inline form away from the goal's page says where to go back to without JavaScript
    (a local path, checked by the route); it never decides what an htmx answer holds."""

    next = HiddenField()


class StatusForm(BackForm):
    pass


class ProgressForm(Form):
    value = AmountField("Amount", places=None, validators=[
        InputRequired(message="Enter an amount."),
        Between(Decimal("0.01"), MAX_AMOUNT, "Enter an amount above 0 and below a million.")])
    progress_date = day_field("Day", InputRequired(message="Enter the day."))
    note = StringField("Note", validators=[Optional(), Length(max=1000)])

    def command(self) -> dict:
        return {"value": self.value.data, "day": self.progress_date.data, "note": self.note.data}


class QuickProgressForm(ProgressForm, BackForm):
    """Progress added from a goal's card on the overview or its row on Today."""


class MilestoneForm(Form):
    title = StringField("Milestone", validators=[DataRequired(message="Name the milestone."), Length(max=255)])
    target_date = day_field("Target date", Optional())

    def command(self) -> dict:
        return {"title": self.title.data, "target_date": self.target_date.data}


class LastValueField(StringField):
    """The last of repeated fields: a checkbox after its hidden fallback."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = valuelist[-1]


class MilestoneDoneForm(Form):
    """The wanted state, not a toggle, so a repeated click changes nothing more."""

    done = LastValueField(validators=[AnyOf(("0", "1"), message="Say whether the milestone is done.")])

    def command(self) -> dict:
        return {"done": self.done.data == "1"}


class MoveForm(Form):
    direction = StringField(validators=[AnyOf(("up", "down"), message="Move a milestone up or down.")])

    def command(self) -> dict:
        return {"offset": -1 if self.direction.data == "up" else 1}
