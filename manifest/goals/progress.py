"""One goal: its page (history, charts) and the rows that hang off it, progress entries and
milestones. Every write goes through services.write, so completion settles as for any change."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.forms import FieldError, parse_amount
from manifest.goals import logic, sources
from manifest.goals.pages import Change, GoalPage, GoalView, Tree
from manifest.goals.services import (
    clean,
    load_tree,
    refresh_current_value,
    utc_now,
    write,
)
from manifest.models import Goal, GoalMilestone, GoalProgress, User
from manifest.timeutil import local_date

# Recurring goals: the period history covers at most this many periods back.
MAX_PERIODS = 1000
CHART_PERIODS = 24
SOURCE_SAMPLES = 40


# --- the goal page ----------------------------------------------------------------------------

def _first_day(user: User, goal: Goal) -> date:
    return goal.start_date or local_date(user, goal.created_at or utc_now())


def _recurring_history(user: User, page: GoalPage) -> None:
    goal = page.goal
    kind, today = goal.goal_type, page.tree.today
    last = min(today, goal.end_date) if goal.end_date else today
    first = _first_day(user, goal)
    if page.entries:
        first = min(first, min(e.progress_date for e in page.entries))
    periods = logic.periods_between(kind, first, last)[-MAX_PERIODS:]
    if not periods:
        return
    if goal.measure == "source":
        requests = {p.start: sources.SourceRequest(goal.source_key, goal.source_id, p.start, p.end) for p in periods}
        answers = sources.compute_all(user, list(requests.values()))
        values = {start: answers.get(r, Decimal(0)) for start, r in requests.items()}
    else:
        values = logic.bucket_by_period(kind, ((e.progress_date, e.value) for e in page.entries))
    page.periods = logic.period_results(kind, periods[0].start, periods[-1].end, today, values, goal.target_value)
    page.streaks = logic.period_streaks(page.periods)
    page.period_chart = logic.period_chart(page.periods[-CHART_PERIODS:], goal.target_value)



def _source_chart(user: User, page: GoalPage) -> logic.LineChart | None:
    """The running total of a linked goal, sampled at up to 40 days of its window (one query)."""
    goal, window, today = page.goal, page.view.window, page.tree.today
    end = min(window.end, today)
    if end < window.start:
        return None
    span = (end - window.start).days
    step = max(span // SOURCE_SAMPLES, 1)
    days = sorted({window.start + timedelta(days=i) for i in range(0, span + 1, step)} | {end})
    requests = [sources.SourceRequest(goal.source_key, goal.source_id, window.start, d) for d in days]
    answers = sources.compute_all(user, requests)
    amounts, previous = [], Decimal(0)
    for day, request in zip(days, requests, strict=True):
        total = answers.get(request, previous)
        if total != previous:
            amounts.append((day, total - previous))
            previous = total
    return logic.cumulative_chart(amounts, window.start, window.end, goal.target_value)


def goal_page(user: User, goal: Goal, today: date) -> GoalPage:
    tree = load_tree(user, today)
    view = tree.get(goal.id)
    goal = view.goal
    entries = list(db.session.scalars(
        sa.select(GoalProgress).where(GoalProgress.goal_id == goal.id)
        .order_by(GoalProgress.progress_date.desc(), GoalProgress.created_at.desc())
    ))
    page = GoalPage(view, tree, entries, _milestones(goal))
    if goal.completed_at is not None:
        page.completed_on = local_date(user, goal.completed_at)
    if goal.measure == "source":
        source = sources.get(goal.source_key)
        if source is not None:
            page.source_label = source.label
            page.source_name = next((o.name for o in source.options(user) if o.id == goal.source_id), None)
    if view.recurring:
        _recurring_history(user, page)
        return page
    if goal.measure == "entries":
        amounts = [(e.progress_date, e.value) for e in entries]
        start = goal.start_date or min([view.window.start, *(d for d, _ in amounts)])
        page.chart = logic.cumulative_chart(amounts, start, max(goal.end_date or today, start), goal.target_value)
    elif goal.measure == "milestones":
        amounts = [(local_date(user, m.done_at), Decimal(1)) for m in page.milestones if m.done_at]
        start = min([view.window.start, *(d for d, _ in amounts)])
        target = Decimal(len(page.milestones)) if page.milestones else None
        page.chart = logic.cumulative_chart(amounts, start, max(goal.end_date or today, start), target)
    elif goal.measure == "source" and page.source_name is not None:
        page.chart = _source_chart(user, page)
    if view.active and goal.measure in ("entries", "source"):
        page.projected = logic.projected_finish(view.progress.value, goal.target_value, view.window.start, today)
    return page


# --- progress entries ----------------------------------------------------------------------

def _amount(value) -> Decimal:
    return parse_amount(value, field="value", positive=True)


def _check_day(day: date, today: date) -> None:
    if day > today:
        raise FieldError("Progress cannot be recorded for a day that has not come yet.", "progress_date")
    if day.year < 1900:
        raise FieldError("Choose a day after 1900.", "progress_date")


def _manual(view: GoalView) -> Goal:
    if not view.manual:
        raise FieldError("This goal fills itself; its progress cannot be entered by hand.", "value")
    if view.goal.status == "cancelled":
        raise FieldError("This goal is cancelled; resume it to record progress.", "value")
    return view.goal


def add_entry(user: User, goal: Goal, value, day: date, note: str | None, today: date) -> Change:
    amount = _amount(value)
    _check_day(day, today)

    def work(tree: Tree, keep: set) -> uuid.UUID:
        _manual(tree.get(goal.id))
        db.session.add(GoalProgress(goal_id=goal.id, progress_date=day, value=amount, notes=clean(note)))
        refresh_current_value(goal)
        return goal.id

    return write(user, today, work)


def update_entry(user: User, entry: GoalProgress, value, day: date, note: str | None, today: date) -> Change:
    amount = _amount(value)
    _check_day(day, today)

    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(entry.goal_id).goal
        entry.value, entry.progress_date, entry.notes = amount, day, clean(note)
        refresh_current_value(goal)
        return goal.id

    return write(user, today, work)


def delete_entry(user: User, entry: GoalProgress, today: date) -> Change:
    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(entry.goal_id).goal
        db.session.delete(entry)
        refresh_current_value(goal)
        return goal.id

    return write(user, today, work)


# --- milestones ----------------------------------------------------------------------------

def _milestones(goal: Goal) -> list[GoalMilestone]:
    return list(db.session.scalars(
        sa.select(GoalMilestone).where(GoalMilestone.goal_id == goal.id)
        .order_by(GoalMilestone.position, GoalMilestone.created_at)
    ))


def add_milestone(user: User, goal: Goal, title: str, target_date: date | None, today: date) -> Change:
    def work(tree: Tree, keep: set) -> uuid.UUID:
        last = db.session.scalar(sa.select(sa.func.max(GoalMilestone.position)).where(GoalMilestone.goal_id == goal.id))
        db.session.add(GoalMilestone(goal_id=goal.id, title=title.strip(), target_date=target_date,
                                     position=0 if last is None else last + 1))
        return goal.id

    return write(user, today, work)


def set_milestone_done(user: User, milestone: GoalMilestone, done: bool, today: date) -> Change:
    """Set the wanted state (not a toggle), so a repeated click changes nothing more."""
    def work(tree: Tree, keep: set) -> uuid.UUID:
        if done and milestone.done_at is None:
            milestone.done_at = utc_now()
        elif not done:
            milestone.done_at = None
        return milestone.goal_id

    return write(user, today, work)


def edit_milestone(user: User, milestone: GoalMilestone, title: str, target_date: date | None,
                   today: date) -> Change:
    def work(tree: Tree, keep: set) -> uuid.UUID:
        milestone.title, milestone.target_date = title.strip(), target_date
        return milestone.goal_id

    return write(user, today, work)


def move_milestone(user: User, milestone: GoalMilestone, offset: int, today: date) -> Change:
    """Move up (-1) or down (+1) and renumber them all, which also repairs ties."""
    def work(tree: Tree, keep: set) -> uuid.UUID:
        goal = tree.get(milestone.goal_id).goal
        milestones = _milestones(goal)
        index = milestones.index(milestone)
        target = min(max(index + offset, 0), len(milestones) - 1)
        milestones.insert(target, milestones.pop(index))
        for position, row in enumerate(milestones):
            if row.position != position:
                row.position = position
        return goal.id

    return write(user, today, work)


def delete_milestone(user: User, milestone: GoalMilestone, today: date) -> Change:
    def work(tree: Tree, keep: set) -> uuid.UUID:
        db.session.delete(milestone)
        return milestone.goal_id

    return write(user, today, work)
