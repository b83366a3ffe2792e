"""Goals: every query and rule, always scoped to the owner (the first argument).

Reading goals goes through one statement for the whole tree of a user's goals (with their
milestone counts and, for recurring goals, the total of the current period), plus one call
per kind of source for linked goals. Pages therefore make the same number of queries for 5
goals as for 500.

Every write runs in one transaction that locks the user's goals, changes rows, refreshes the
cached ``current_value`` (always the sum of the goal's entries) and then "settles" the tree:
a goal whose progress has just reached its target is marked completed, and a completed goal
whose progress has just dropped below it is reopened. Recurring goals and goals filled from a
source never change status by themselves (their progress moves with the calendar or with
data recorded elsewhere).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.forms import FieldError
from manifest.goals import logic, sources
from manifest.goals.pages import (
    Change,
    Choices,
    FedGoals,
    Filters,
    GoalView,
    Notice,
    Overview,
    TodayGoals,
    Tree,
    settle_notices,
    sort_key,
)
from manifest.models import Goal, GoalMilestone, GoalProgress, User
from manifest.models.goal import GOAL_STATUSES
from manifest.timeutil import local_date

MAX_TOTAL = Decimal("99999999.99")


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- reading the tree ----------------------------------------------------------------------

def _window(user: User, goal, on: date, today: date) -> logic.Period:
    if goal.is_recurring and goal.goal_type in logic.PERIOD_KINDS:
        return logic.period_of(goal.goal_type, on)
    start = goal.start_date or local_date(user, goal.created_at or utc_now())
    end = goal.end_date or max(today, start)
    return logic.Period(start, max(end, start))


def _tree_select(*goal_columns):
    """The user's goals with their milestone counts and, for recurring goals, the total of the
    period containing the day asked about. Built once: the user and the bounds of each kind's
    period are parameters (see _tree_params), so a call neither builds nor keys a statement."""
    goals, entries, milestones = Goal.__table__.c, GoalProgress.__table__.c, GoalMilestone.__table__.c
    # The kinds are written into the SQL (they are ours, not input): fewer parameters to process.
    kinds = {kind: goals.goal_type == sa.literal_column(f"'{kind}'") for kind in logic.PERIOD_KINDS}
    start = sa.case(*((is_kind, sa.bindparam(f"{kind}_start", type_=sa.Date)) for kind, is_kind in kinds.items()))
    end = sa.case(*((is_kind, sa.bindparam(f"{kind}_end", type_=sa.Date)) for kind, is_kind in kinds.items()))
    period_total = (
        sa.select(sa.func.coalesce(sa.func.sum(entries.value), sa.literal_column("0")))
        .where(entries.goal_id == goals.id, entries.progress_date >= start, entries.progress_date <= end)
        .scalar_subquery()
    )
    counted = sa.select(sa.func.count()).where(milestones.goal_id == goals.id)
    return sa.select(
        *goal_columns,
        sa.case((goals.is_recurring, period_total), else_=None).label("period_total"),
        counted.scalar_subquery().label("milestones_total"),
        counted.where(milestones.done_at.is_not(None)).scalar_subquery().label("milestones_done"),
    ).where(goals.user_id == sa.bindparam("user_id"))


# Goals as ORM objects, for writes and the pages that act on them; as plain read-only rows (each
# column by name but the owner's id, which is all a view reads) for the regions every page renders.
TREE = _tree_select(Goal)
# Writes of one user apply one at a time, so every settle sees the rows before it; rows loaded
# earlier in the request (the route's owned goal) are refreshed from the locked read.
LOCKED_TREE = TREE.with_for_update(of=Goal).execution_options(populate_existing=True)
ROWS_TREE = _tree_select(*(column for column in Goal.__table__.c if column.name != "user_id"))


def _tree_params(user: User, on: date) -> dict:
    params: dict = {"user_id": user.id}
    for kind in logic.PERIOD_KINDS:
        period = logic.period_of(kind, on)
        params[f"{kind}_start"], params[f"{kind}_end"] = period.start, period.end
    return params


def load_tree(user: User, today: date, on: date | None = None, *, lock: bool = False, rows: bool = False) -> Tree:
    """The user's goals with their progress: one statement, plus one per kind of linked source.

    ``rows=True`` gives read-only plain rows as the views' goals instead of ORM objects.
    """
    on = on or today
    if rows:
        found = db.session.execute(ROWS_TREE, _tree_params(user, on)).all()
        goals = found
    else:
        found = db.session.execute(LOCKED_TREE if lock else TREE, _tree_params(user, on)).all()
        goals = [row.Goal for row in found]
    # Positions stand for ids below: they hash far faster than UUIDs.
    index = {goal.id: i for i, goal in enumerate(goals)}
    windows = [_window(user, goal, on, today) for goal in goals]
    requests: dict[int, sources.SourceRequest] = {}
    for i, goal in enumerate(goals):
        window = windows[i]
        if goal.measure == "source" and goal.source_key and goal.source_id and window.start <= window.end:
            requests[i] = sources.SourceRequest(goal.source_key, goal.source_id, window.start, window.end)
    answers = sources.compute_all(user, list(requests.values())) if requests else {}

    nodes = []
    for i, (row, goal) in enumerate(zip(found, goals, strict=True)):
        if goal.measure == "source":
            request = requests.get(i)
            value = answers.get(request) if request else Decimal(0)
        elif goal.is_recurring and goal.goal_type in logic.PERIOD_KINDS:
            value = Decimal(str(row.period_total or 0))
        else:
            value = goal.current_value or Decimal(0)
        nodes.append(logic.Node(
            id=i, parent_id=index.get(goal.parent_goal_id), measure=goal.measure, rollup=goal.rollup,
            target=goal.target_value, unit=goal.target_unit, value=value,
            milestones_done=row.milestones_done or 0, milestones_total=row.milestones_total or 0,
            counts=goal.status != "cancelled",
        ))
    progress = logic.rollup(nodes)
    views = [
        GoalView(goal=goal, progress=progress[i], window=windows[i], today=today, on=on,
                 milestones_total=row.milestones_total or 0, milestones_done=row.milestones_done or 0)
        for i, (row, goal) in enumerate(zip(found, goals, strict=True))
    ]
    for node, view in zip(nodes, views, strict=True):
        if node.parent_id is not None and node.parent_id != node.id:
            view.parent = views[node.parent_id]
            view.parent.children.append(view)
    for view in views:
        if view.children:
            view.children.sort(key=sort_key)
    return Tree({goal.id: view for goal, view in zip(goals, views, strict=True)}, today, on)


def overview(user: User, filters: Filters, today: date) -> Overview:
    return Overview.of(load_tree(user, today), filters)


def today_goals(user: User, day: date, today: date) -> TodayGoals:
    """The active goals whose current period contains ``day``, shortest periods first."""
    return TodayGoals.of(load_tree(user, today, day, rows=True), day, lambda moment: local_date(user, moment))


def fed_goals(user: User, area: str, day: date, today: date) -> FedGoals:
    """The active goals that fill themselves from ``area``'s rows, as of ``day``."""
    return FedGoals.of(load_tree(user, today, day, rows=True), area)


def goal_view(user: User, goal: Goal, today: date, on: date | None = None) -> GoalView:
    return load_tree(user, today, on).get(goal.id)


# --- writes: settling completion -----------------------------------------------------------

def _settle(user: User, before: Tree, today: date, skip: frozenset = frozenset()) -> list[Notice]:
    """Complete goals that just reached their target; reopen completed ones that just fell below it."""
    db.session.flush()
    after = load_tree(user, today)
    notices = settle_notices(before, after, skip)
    for notice in notices:
        goal = after.get(notice.goal_id).goal
        if notice.kind == "completed":
            goal.status, goal.completed_at = "completed", utc_now()
        else:
            goal.status, goal.completed_at = "active", None
    return notices


def refresh_current_value(goal: Goal) -> None:
    """current_value is the sum of the goal's entries, checked against what the column can hold."""
    db.session.flush()
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(GoalProgress.value), 0)).where(GoalProgress.goal_id == goal.id)
    )
    total = Decimal(str(total))
    if total > MAX_TOTAL:
        raise FieldError("That would take the goal's total past 99,999,999.99.", "value")
    goal.current_value = total


def write(user: User, today: date, work) -> Change:
    """Run ``work(tree, keep)`` in one locked, settled transaction; it returns the goal it changed
    and adds to ``keep`` the goals whose status the user chose, which settling leaves alone."""
    keep: set[uuid.UUID] = set()
    try:
        before = load_tree(user, today, lock=True)
        goal_id = work(before, keep)
        notices = _settle(user, before, today, frozenset(keep))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return Change(goal_id, notices)


def clean(text: str | None) -> str | None:
    return (text or "").strip() or None


# --- status --------------------------------------------------------------------------------

def set_status(user: User, goal: Goal, status: str, today: date) -> Change:
    if status not in GOAL_STATUSES:
        raise FieldError("Choose active, paused, completed or cancelled.", "status")
    notices: list[Notice] = []

    def work(tree: Tree, keep: set) -> uuid.UUID:
        keep.add(goal.id)
        if goal.status != status:
            goal.status = status
            goal.completed_at = utc_now() if status == "completed" else None
            notices.append(Notice("status", goal.id, goal.title, status))
        return goal.id

    change = write(user, today, work)
    change.notices[:0] = notices
    return change


# --- creating and editing goals ------------------------------------------------------------

def form_choices(user: User, today: date, goal: Goal | None = None) -> Choices:
    """Parents exclude the goal itself and its sub-goals (a goal cannot sit inside itself)."""
    tree = load_tree(user, today)
    excluded = set()
    if goal is not None:
        excluded = {goal.id} | logic.descendants(goal.id, tree.parent_of)
    return Choices.of(tree, sources.options_for(user), excluded)


def _parent_for(tree: Tree, goal_id: uuid.UUID | None, parent_id: uuid.UUID | None) -> uuid.UUID | None:
    if parent_id is None:
        return None
    if parent_id not in tree.views:
        raise FieldError("Choose one of your goals as the parent.", "parent_goal_id")
    if goal_id is not None and logic.would_cycle(goal_id, parent_id, tree.parent_of):
        raise FieldError("A goal cannot be a sub-goal of itself or of one of its own sub-goals.", "parent_goal_id")
    return parent_id


def _source_for(user: User, data: dict) -> tuple[str, uuid.UUID, sources.SourceOption] | None:
    if data["measure"] != "source":
        return None
    key, _, raw_id = (data.get("source") or "").partition(":")
    source = sources.get(key)
    try:
        source_id = uuid.UUID(raw_id)
    except ValueError:
        source_id = None
    option = next((o for o in source.options(user) if o.id == source_id), None) if source and source_id else None
    if option is None:
        raise FieldError("Choose what this goal is filled from.", "source")
    return key, option.id, option


def _apply(goal: Goal, data: dict, today: date, source) -> None:
    goal.title = data["title"].strip()
    goal.description = clean(data.get("description"))
    goal.category = clean(data.get("category"))
    goal.goal_type = data["goal_type"]
    goal.is_recurring = bool(data.get("is_recurring")) and goal.goal_type in logic.PERIOD_KINDS
    goal.recurrence_pattern = goal.goal_type if goal.is_recurring else None
    goal.priority = data["priority"]
    goal.measure = data["measure"]
    goal.rollup = data.get("rollup") or "average"
    goal.target_value = data.get("target_value")
    goal.target_unit = clean(data.get("target_unit"))
    goal.source_key, goal.source_id = (source[0], source[1]) if source else (None, None)
    if goal.measure == "milestones":
        # The milestones are the target: a number typed here would mean nothing.
        goal.target_value = goal.target_unit = None
    if source and not goal.target_unit:
        goal.target_unit = source[2].unit
    start, end = data.get("start_date"), data.get("end_date")
    if goal.goal_type in logic.PERIOD_KINDS and not goal.is_recurring and end is None:
        # A "monthly" goal without dates is about this month; with a start, a month from it.
        span = logic.span_from(goal.goal_type, start) if start else logic.period_of(goal.goal_type, today)
        start, end = span.start, span.end
    goal.start_date, goal.end_date = start, end


def create_goal(user: User, data: dict, today: date) -> Change:
    source = _source_for(user, data)

    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = Goal(user_id=user.id, status=data.get("status") or "active")
        goal.parent_goal_id = _parent_for(tree, None, data.get("parent_goal_id"))
        _apply(goal, data, today, source)
        if goal.status == "completed":
            goal.completed_at = utc_now()
        db.session.add(goal)
        db.session.flush()
        return goal.id

    return write(user, today, work)


def update_goal(user: User, goal: Goal, data: dict, today: date) -> Change:
    source = _source_for(user, data)
    status = data.get("status")

    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal.parent_goal_id = _parent_for(tree, goal.id, data.get("parent_goal_id"))
        _apply(goal, data, today, source)
        # A status picked in the form stands; otherwise a new target may complete or reopen the goal.
        if status and status != goal.status:
            keep.add(goal.id)
            goal.status = status
            goal.completed_at = utc_now() if status == "completed" else None
        return goal.id

    return write(user, today, work)


def delete_goal(user: User, goal: Goal, today: date) -> str:
    title = goal.title

    def work(tree: Tree, keep: set) -> uuid.UUID:
        # Sub-goals stay, as top-level goals (the database sets their parent to NULL).
        for child in tree.get(goal.id).children:
            child.goal.parent_goal_id = None
        db.session.delete(goal)
        return goal.id

    write(user, today, work)
    return title


def _count(*conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(*conditions))


def deletion_summary(user: User, goal: Goal) -> dict:
    """What deleting a goal takes with it (entries, milestones) and what it leaves (sub-goals)."""
    return {
        "goal": goal,
        "entries": _count(GoalProgress.goal_id == goal.id),
        "milestones": _count(GoalMilestone.goal_id == goal.id),
        "children": _count(Goal.parent_goal_id == goal.id, Goal.user_id == user.id),
    }
