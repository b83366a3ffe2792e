"""Goals, their progress entries and milestones.

Every goal comes with ``progress``: the figures its page shows (value, target, percent, the same
words, and a recurring goal's current period), from the same goal tree the pages load. A page of
goals loads that tree once, so a list costs the same few statements whatever its length.
"""

import sqlalchemy as sa
from marshmallow import fields

from manifest.api import core
from manifest.api.schemas import (
    JsonBoolean,
    PageArgs,
    Schema,
    form_schema,
    model_schema,
    page_schema,
)
from manifest.extensions import db
from manifest.goals import progress, services
from manifest.goals.forms import (
    GoalForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProgressForm,
)
from manifest.goals.pages import GoalView
from manifest.models import Goal, GoalMilestone, GoalProgress
from manifest.ownership import owned

blp = core.api_blueprint("goals", "Goals with their progress entries and milestones.")

GoalIn = form_schema(GoalForm, "GoalIn", overrides={
    "priority": fields.Integer(allow_none=True, metadata={"minimum": 0, "maximum": 5, "description": "0 (none) to 5 (top)."}),
    "parent_goal_id": fields.UUID(allow_none=True, metadata={"description": "One of your goals."}),
    "source": fields.String(allow_none=True, metadata={
        "description": "What fills the goal when `measure` is `source`, as on the goal form, e.g. `habit:<id>`."}),
})


class GoalPeriodOut(Schema):
    label = fields.String(required=True, metadata={"description": "As the page names it, e.g. `This week`."})
    start = fields.Date(required=True)
    end = fields.Date(required=True)


class GoalProgressNow(Schema):
    value = fields.Float(required=True, allow_none=True, metadata={
        "description": "Progress so far, however the goal is measured (entries, a source, sub-goals, milestones "
                       "done); null when it cannot be known (a source that is gone, an average of sub-goals)."})
    target = fields.Float(required=True, allow_none=True, metadata={
        "description": "What `value` is measured against (the number of milestones for a checklist goal)."})
    percent = fields.Integer(required=True, allow_none=True, metadata={
        "description": "Whole percent, rounded down; may pass 100. Null when it cannot be known."})
    unit = fields.String(required=True, allow_none=True, metadata={
        "description": "The unit of `value` and `target`: `milestones` for a checklist goal, else the goal's unit."})
    text = fields.String(required=True, metadata={
        "description": "The progress in the page's words, e.g. `23 of 24 books` or `2 of 5 milestones`."})
    reached = fields.Boolean(required=True)
    note = fields.String(required=True, allow_none=True, metadata={
        "description": "Why the figures are what they are, when the page explains it."})
    period = fields.Nested(GoalPeriodOut, required=True, allow_none=True, metadata={
        "description": "A repeating goal's current period, which the figures are about; null otherwise."})


GoalOut = model_schema(Goal, "Goal", extra={
    "current_value": fields.Float(required=True, metadata={
        "description": "The total of the progress entries recorded by hand; `progress` has the figures the page "
                       "shows for every kind of goal."}),
    "progress": fields.Nested(GoalProgressNow, required=True, dump_only=True, metadata={
        "description": "The goal's progress as its page shows it (read-only)."}),
})
GoalPage = page_schema(GoalOut, "GoalPage")
ProgressIn = form_schema(ProgressForm, "ProgressIn")
ProgressOut = model_schema(GoalProgress, "GoalProgress")
ProgressPage = page_schema(ProgressOut, "GoalProgressPage")
MilestoneIn = form_schema(MilestoneForm, "MilestoneIn")
MilestoneOut = model_schema(GoalMilestone, "GoalMilestone")
MilestonePage = page_schema(MilestoneOut, "GoalMilestonePage")


class MilestoneDoneIn(Schema):
    done = JsonBoolean(required=True)


class MilestoneUpdate(Schema):
    title = fields.String(allow_none=True, metadata={"maxLength": 255})
    target_date = fields.Date(allow_none=True)
    done = JsonBoolean()


def _goal(goal_id):
    return owned(core.user(), Goal, goal_id)


class _Shown:
    """A goal with its progress as the pages show it, for GoalOut."""

    def __init__(self, goal: Goal, view: GoalView):
        self._goal, self.progress = goal, _progress(view)

    def __getattr__(self, name):
        return getattr(self._goal, name)


def _progress(view: GoalView) -> dict:
    p = view.progress
    period = None
    if view.recurring:
        period = {"label": view.period_name, "start": view.window.start, "end": view.window.end}
    return {
        "value": p.value, "target": p.target, "percent": p.percent,
        "unit": view.amount_unit or None,
        "text": view.amount_text, "reached": p.reached, "note": p.note, "period": period,
    }


def _shown(goals: list[Goal]) -> list[_Shown]:
    """The goals with their progress: one load of the user's goal tree, whatever their number."""
    if not goals:
        return []
    tree = services.load_tree(core.user(), core.today())
    return [_Shown(goal, tree.get(goal.id)) for goal in goals]


def _shown_goal(goal_id) -> _Shown:
    return _shown([_goal(goal_id)])[0]


def _goal_form(data, goal=None):
    today = core.today()
    data = dict(data)
    if data.get("priority") is not None:
        data["priority"] = str(data["priority"])
    form = core.bind(GoalForm, data)
    form.fill_choices(services.form_choices(core.user(), today, goal))
    return core.validated(form)


@blp.get("")
@blp.arguments(PageArgs, location="query")
@blp.response(200, GoalPage)
def list_goals(args):
    statement = sa.select(Goal).where(Goal.user_id == core.user().id)
    found = core.page(statement, [Goal.id], args, "api_goals.list_goals")
    return {**found, "items": _shown(found["items"])}


@blp.post("")
@core.idempotent
@blp.arguments(GoalIn)
@blp.response(201, GoalOut)
def create_goal(data):
    form = _goal_form(data)
    change = core.run(lambda: services.create_goal(core.user(), form.command(), core.today()))
    return _shown_goal(change.goal_id), {"Location": core.url("api_goals.get_goal", goal_id=change.goal_id)}


@blp.get("/<uuid:goal_id>")
@blp.response(200, GoalOut)
def get_goal(goal_id):
    """A goal with its progress as its page shows it (`progress`)."""
    return _shown_goal(goal_id)


@blp.put("/<uuid:goal_id>")
@blp.arguments(GoalIn)
@blp.response(200, GoalOut)
def update_goal(data, goal_id):
    """Replace the goal's settings (every field, as the edit form sends them)."""
    goal = _goal(goal_id)
    form = _goal_form(data, goal)
    core.run(lambda: services.update_goal(core.user(), goal, form.command(), core.today()))
    return _shown_goal(goal_id)


@blp.delete("/<uuid:goal_id>")
@blp.response(204)
def delete_goal(goal_id):
    services.delete_goal(core.user(), _goal(goal_id), core.today())


@blp.get("/<uuid:goal_id>/progress")
@blp.arguments(PageArgs, location="query")
@blp.response(200, ProgressPage)
def list_progress(args, goal_id):
    goal = _goal(goal_id)
    statement = sa.select(GoalProgress).where(GoalProgress.goal_id == goal.id)
    return core.page(statement, [GoalProgress.progress_date, GoalProgress.id], args, "api_goals.list_progress",
                     goal_id=goal.id)


@blp.post("/<uuid:goal_id>/progress")
@core.idempotent
@blp.arguments(ProgressIn)
@blp.response(201, GoalOut)
def add_progress(data, goal_id):
    """Record progress on a goal measured by entries; answers the goal with its new value."""
    goal = _goal(goal_id)
    form = core.validated(core.bind(ProgressForm, data))
    core.run(lambda: progress.add_entry(core.user(), goal, today=core.today(), **form.command()),
             rename={"day": "progress_date"})
    return _shown_goal(goal_id), {"Location": core.url("api_goals.get_goal", goal_id=goal.id)}


@blp.delete("/<uuid:goal_id>/progress/<uuid:progress_id>")
@blp.response(204)
def delete_progress(goal_id, progress_id):
    goal = _goal(goal_id)
    entry = owned(core.user(), GoalProgress, progress_id, parent=goal)
    progress.delete_entry(core.user(), entry, core.today())


@blp.get("/<uuid:goal_id>/milestones")
@blp.arguments(PageArgs, location="query")
@blp.response(200, MilestonePage)
def list_milestones(args, goal_id):
    goal = _goal(goal_id)
    statement = sa.select(GoalMilestone).where(GoalMilestone.goal_id == goal.id)
    return core.page(statement, [GoalMilestone.position, GoalMilestone.id], args, "api_goals.list_milestones",
                     descending=False, goal_id=goal.id)


@blp.post("/<uuid:goal_id>/milestones")
@core.idempotent
@blp.arguments(MilestoneIn)
@blp.response(201, MilestoneOut)
def add_milestone(data, goal_id):
    goal = _goal(goal_id)
    form = core.validated(core.bind(MilestoneForm, data))
    core.run(lambda: progress.add_milestone(core.user(), goal, today=core.today(), **form.command()))
    milestone = db.session.scalars(sa.select(GoalMilestone).where(GoalMilestone.goal_id == goal.id)
                                   .order_by(GoalMilestone.position.desc()).limit(1)).one()
    return milestone, {"Location": core.url("api_goals.list_milestones", goal_id=goal.id)}


@blp.patch("/<uuid:goal_id>/milestones/<uuid:milestone_id>")
@blp.arguments(MilestoneUpdate)
@blp.response(200, MilestoneOut)
def update_milestone(data, goal_id, milestone_id):
    """Rename, re-date or tick off a milestone: send any of `title`, `target_date`, `done`."""
    goal = _goal(goal_id)
    milestone = owned(core.user(), GoalMilestone, milestone_id, parent=goal)
    user, today = core.user(), core.today()
    if "title" in data or "target_date" in data:
        merged = {"title": data.get("title", milestone.title), "target_date": data.get("target_date", milestone.target_date)}
        form = core.validated(core.bind(MilestoneForm, merged))
        core.run(lambda: progress.edit_milestone(user, milestone, today=today, **form.command()))
    if "done" in data:
        form = core.validated(core.bind(MilestoneDoneForm, {"done": "1" if data["done"] else "0"}))
        core.run(lambda: progress.set_milestone_done(user, milestone, today=today, **form.command()))
    return owned(user, GoalMilestone, milestone_id)


@blp.delete("/<uuid:goal_id>/milestones/<uuid:milestone_id>")
@blp.response(204)
def delete_milestone(goal_id, milestone_id):
    goal = _goal(goal_id)
    milestone = owned(core.user(), GoalMilestone, milestone_id, parent=goal)
    progress.delete_milestone(core.user(), milestone, core.today())
