"""The progress page's figures: the periods it charts and how the current one compares."""

from marshmallow import fields

from manifest.api import core
from manifest.api.schemas import Schema
from manifest.progress import logic, pages, services, tasks

blp = core.api_blueprint("progress", "The figures of the progress page, by weeks, months or years.")

# The address names the periods in the plural, as a script reads them; the pages name their kinds.
KINDS = {"weeks": "weekly", "months": "monthly", "years": "yearly"}


def _number(description: str = "") -> fields.Float:
    return fields.Float(allow_none=True, required=True, metadata={"description": description} if description else {})


class ValuesOut(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    label = fields.String(required=True, metadata={"description": "As the page's charts name it."})
    in_progress = fields.Boolean(required=True, metadata={"description": "The current period: its figures are so far."})
    total_goals = fields.Integer(required=True)
    completed_goals = fields.Integer(required=True)
    active_habits = fields.Integer(required=True)
    habit_completion_rate = _number("Percent of the habits' due days done.")
    total_workouts = fields.Integer(required=True)
    total_workout_minutes = fields.Integer(required=True)
    average_daily_mood = _number("1 to 10.")
    average_energy_level = _number("1 to 10.")
    total_blog_entries = fields.Integer(required=True)
    weight = _number("The last weight of the period, in `weight_unit`.")
    body_fat_percentage = _number()


class DeltaOut(Schema):
    then = _number()
    change = _number()
    direction = fields.String(required=True, metadata={"enum": ["up", "down", "same", "none"]})
    reason = fields.String(allow_none=True, required=True, metadata={"description": "Why there is no change given."})


class FigureOut(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    unit = fields.String(required=True)
    change_unit = fields.String(required=True)
    now = _number("The current period's figure, so far.")
    previous = fields.Nested(DeltaOut, required=True, metadata={"description": "Against the period before."})
    last_year = fields.Nested(DeltaOut, required=True, metadata={"description": "Against the same period a year ago."})


class ProgressOut(Schema):
    kind = fields.String(required=True, metadata={"enum": list(KINDS)})
    current = fields.String(required=True, metadata={"description": "The current period's name, e.g. This week."})
    days_in = fields.Integer(required=True, metadata={"description": "Days of the current period so far."})
    days_total = fields.Integer(required=True)
    weight_unit = fields.String(required=True)
    figures = fields.List(fields.Nested(FigureOut), required=True, metadata={
        "description": "The page's comparison table: the current period against the one before and a year ago."})
    periods = fields.List(fields.Nested(ValuesOut), required=True, metadata={
        "description": "Every period the page charts, oldest first, from the one holding the first recorded day "
                       "(or the account's creation) up to the page's limit; the last is the current one."})


def _delta(delta: logic.Delta) -> dict:
    return {"then": delta.then, "change": delta.change, "direction": delta.direction, "reason": delta.reason}


@blp.get("/<any(weeks, months, years):periods>")
@blp.response(200, ProgressOut)
def get_progress(periods):
    """The same figures as the progress page, from the same snapshots and view model."""
    user, today = core.user(), core.today()
    kind = KINDS[periods]
    found = services.series(user, kind, today)
    if not found.complete:
        tasks.backfill_user(user.id)  # as the page does: the worker stores what was computed live
    page = pages.progress_page(kind, found.periods, found.values, found.previous_year, today, user.weight_unit)
    current = found.periods[-1]
    return {
        "kind": periods, "current": page.current_name, "days_in": page.days_in, "days_total": page.days_total,
        "weight_unit": user.weight_unit,
        "figures": [{"name": row.metric.name, "label": row.metric.label, "unit": row.unit, "change_unit": row.change_unit,
                     "now": row.previous.now, "previous": _delta(row.previous), "last_year": _delta(row.last_year)}
                    for row in page.rows],
        "periods": [{"start": span.start, "end": span.end, "label": pages.short_label(kind, span),
                     "in_progress": span is current, **values.as_dict()}
                    for span, values in zip(found.periods, found.values, strict=True)],
    }
