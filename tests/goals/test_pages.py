"""The goals' view models on their own: built from plain stand-ins for rows, no database, no request."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from manifest.goals import logic
from manifest.goals.pages import (
    Choices,
    FedGoals,
    Filters,
    GoalView,
    Notice,
    Overview,
    TodayGoals,
    Tree,
    listens_for,
    on_today,
    settle_notices,
    source_area,
)

TODAY = date(2024, 5, 15)  # a Wednesday


def goal(title="Goal", **fields):
    row = {
        "id": uuid.uuid4(), "title": title, "description": None, "category": None, "goal_type": "monthly",
        "is_recurring": False, "status": "active", "priority": 0, "measure": "entries", "target_value": Decimal(10),
        "target_unit": None, "source_key": None, "start_date": date(2024, 5, 1), "end_date": date(2024, 5, 31),
        "completed_at": None, "parent_goal_id": None,
    }
    row.update(fields)
    return SimpleNamespace(**row)


def view(row, value=0, on=TODAY, window=None) -> GoalView:
    target = row.target_value
    progress = logic.Progress(Decimal(value), target, float(Decimal(value) / target) if target else None)
    if window is None:
        kind = row.goal_type if row.is_recurring else None
        window = logic.period_of(kind, on) if kind else logic.Period(row.start_date or on, row.end_date or on)
    return GoalView(goal=row, progress=progress, window=window, today=TODAY, on=on)


def tree(*views, on=TODAY) -> Tree:
    by_id = {v.id: v for v in views}
    for v in views:
        parent = by_id.get(v.goal.parent_goal_id)
        if parent is not None:
            v.parent = parent
            parent.children.append(v)
    return Tree(by_id, TODAY, on)


def linked(key, **fields):
    return goal(measure="source", source_key=key, goal_type="weekly", is_recurring=True, **fields)


# --- which events a region listens for -------------------------------------------------------

def test_a_region_listens_for_goal_changes_and_for_what_feeds_its_goals():
    assert listens_for([]) == ["goal-progress"]
    assert listens_for([view(goal())]) == ["goal-progress"]
    views = [view(linked("workouts.distance")), view(linked("habit.values")), view(linked("nutrition.protein")),
             view(linked("review.sleep")), view(linked("journal.entries")), view(linked("habit.completions"))]
    assert listens_for(views) == ["goal-progress", "habit-checked", "habits-changed", "food-changed",
                                  "workout-changed", "review-changed", "journal-changed"]


def test_a_region_showing_a_parent_listens_for_what_feeds_its_sub_goals_shown_or_not():
    parent = goal("Move more", measure="children")
    child = linked("habit.completions", title="Run", status="paused", parent_goal_id=parent.id)
    grandchild = linked("workouts.distance", title="Swim", parent_goal_id=child.id)
    shown, hidden, deeper = view(parent), view(child), view(grandchild)
    tree(shown, hidden, deeper)
    assert listens_for([shown]) == ["goal-progress", "habit-checked", "habits-changed", "workout-changed"]


def test_only_goals_filled_from_a_source_have_a_source_area():
    assert source_area(linked("nutrition.calories")) == "nutrition"
    assert source_area(goal()) is None
    assert source_area(goal(source_key="habit.values")) is None  # a leftover key on a hand-filled goal
    assert source_area(goal(measure="source", source_key=None)) is None


# --- Today ---------------------------------------------------------------------------------

def test_today_shows_the_active_goals_running_that_day():
    assert on_today(view(goal()), TODAY, None)
    assert not on_today(view(goal(goal_type="life", start_date=None, end_date=None)), TODAY, None)
    assert not on_today(view(goal(status="paused")), TODAY, None)
    assert not on_today(view(goal(end_date=date(2024, 5, 14))), TODAY, None)
    assert not on_today(view(goal(start_date=date(2024, 5, 16))), TODAY, None)
    # Reached on the day shown, it stays (with its undo); reached earlier, it has gone.
    assert on_today(view(goal(status="completed")), TODAY, TODAY)
    assert not on_today(view(goal(status="completed")), TODAY, date(2024, 5, 14))


def test_todays_goals_come_shortest_period_first_and_listen_for_their_sources():
    month = goal("This month")
    water = goal("Water", goal_type="daily", is_recurring=True, start_date=None, end_date=None)
    meditate = linked("habit.completions", title="Meditate", start_date=None, end_date=None)
    old = goal("Done last week", status="completed", completed_at=datetime(2024, 5, 8, 12))
    completed_on = {old.id: date(2024, 5, 8)}
    goals = TodayGoals.of(tree(view(month), view(water), view(meditate), view(old)), TODAY,
                          lambda moment: completed_on[old.id])
    assert [v.goal.title for v in goals.rows] == ["Water", "Meditate", "This month"]
    assert goals.events == ["goal-progress", "habit-checked", "habits-changed"]
    empty = TodayGoals.of(tree(), TODAY, lambda moment: TODAY)
    assert not empty and empty.events == ["goal-progress"]


# --- goals fed by another page -----------------------------------------------------------------

def test_fed_goals_are_the_active_goals_filled_from_that_area_on_that_day():
    calories = linked("nutrition.calories", title="Calories", start_date=None, end_date=None)
    protein = linked("nutrition.protein", title="Protein", start_date=None, end_date=None, priority=5)
    paused = linked("nutrition.calories", title="Paused", status="paused", start_date=None, end_date=None)
    runs = linked("workouts.distance", title="Runs", start_date=None, end_date=None)
    may = goal("May only", measure="source", source_key="nutrition.calories")
    fed = FedGoals.of(tree(view(calories), view(protein), view(paused), view(runs), view(may)), "food")
    assert [v.goal.title for v in fed.rows] == ["Protein", "Calories", "May only"]
    assert fed.events == ["goal-progress", "food-changed"]

    june = date(2024, 6, 5)
    later = FedGoals.of(tree(view(calories, on=june), view(may, on=june), on=june), "food")
    assert [v.goal.title for v in later.rows] == ["Calories"] and later.day == june


def test_without_fed_goals_the_region_still_listens_for_its_area():
    fed = FedGoals.of(tree(view(goal())), "workouts")
    assert not fed and fed.events == ["goal-progress", "workout-changed"] == FedGoals.listening("workouts")
    with pytest.raises(KeyError):
        FedGoals.of(tree(), "habits")


# --- the overview --------------------------------------------------------------------------

def test_filters_fall_back_to_their_defaults_and_name_only_what_differs():
    filters = Filters.from_args({"q": "  read\x00  books ", "status": "nope", "type": "yearly", "group": "status"})
    assert filters == Filters(q="read books", status="current", type="yearly", group="status")
    assert filters.query == {"q": "read books", "type": "yearly", "group": "status"}
    assert Filters().query == {}


def test_the_overview_groups_the_goals_the_filters_let_through():
    books = view(goal("Read books", goal_type="yearly", category="Mind", priority=3))
    run = view(goal("Run", category="Health"))
    done = view(goal("Finished", status="completed"))
    ov = Overview.of(tree(books, run, done), Filters())
    assert [(key, [v.goal.title for v in views]) for key, _, views in ov.groups] == [
        ("monthly", ["Run"]), ("yearly", ["Read books"])]
    assert (ov.shown, ov.total, ov.shown_ids) == (2, 3, {books.id, run.id})
    by_status = Overview.of(tree(books, run, done), Filters(status="all", group="status", q="mind"))
    assert [(key, [v.goal.title for v in views]) for key, _, views in by_status.groups] == [("active", ["Read books"])]


def test_shown_goals_nest_under_their_nearest_shown_ancestor():
    year = view(goal("Year", goal_type="yearly", category="Books"))
    month = view(goal("Month", parent_goal_id=year.goal.id, category="Other"))
    week = view(goal("Week", goal_type="weekly", parent_goal_id=month.goal.id, category="Books"))
    run = view(goal("Run", category="Health"))
    all_of = tree(year, month, week, run)
    ov = Overview.of(all_of, Filters())
    assert [(key, [v.goal.title for v in views]) for key, _, views in ov.groups] == [("monthly", ["Run"]), ("yearly", ["Year"])]
    assert [v.goal.title for v in ov.children_of(year)] == ["Month"]
    assert [v.goal.title for v in ov.children_of(month)] == ["Week"]
    assert ov.count([year]) == 3 and ov.shown_ids == {year.id, month.id, week.id, run.id} and ov.shown == 4
    # With its parent filtered out, a goal nests under the grandparent that is shown.
    books = Overview.of(all_of, Filters(category="Books"))
    assert [v.goal.title for v in books.children_of(year)] == ["Week"] and books.shown_ids == {year.id, week.id}


def test_goals_in_a_cycle_stay_at_the_top():
    a, b = view(goal("A")), view(goal("B"))
    a.goal.parent_goal_id, b.goal.parent_goal_id = b.goal.id, a.goal.id
    ov = Overview.of(tree(a, b), Filters())
    assert ov.shown_ids == {a.id, b.id} and ov.count(ov.groups[0][2]) >= 2


# --- what a write did --------------------------------------------------------------------------

def test_settling_completes_goals_that_just_reached_their_target_and_reopens_those_below_it():
    run, books = goal("Run"), goal("Books", status="completed")
    week = goal("Weekly", goal_type="weekly", is_recurring=True)
    before = tree(view(run, 5), view(books, 10), view(week, 0))
    after = tree(view(run, 10), view(books, 9), view(week, 10))
    notices = settle_notices(before, after)
    assert [(n.kind, n.title) for n in notices] == [("completed", "Run"), ("reopened", "Books")]
    assert settle_notices(before, after, frozenset({run.id})) == [Notice("reopened", books.id, "Books")]
    assert settle_notices(after, after) == []


def test_notices_say_what_happened_and_only_a_completion_can_be_undone():
    gid = uuid.uuid4()
    assert Notice("completed", gid, "Run").message == "“Run” reached its target and is marked completed."
    assert Notice("completed", gid, "Run").undoable
    assert Notice("reopened", gid, "Run").message == "“Run” is below its target again, so it is open again."
    assert Notice("status", gid, "Run", "paused").message == "“Run” is paused."
    assert not Notice("status", gid, "Run", "active").undoable


# --- the goal form -----------------------------------------------------------------------------

def test_parents_to_choose_from_nest_and_leave_out_a_goal_and_its_sub_goals():
    year = goal("Year")
    month = goal("A month", parent_goal_id=year.id)
    week = goal("A week", parent_goal_id=month.id)
    other = goal("Other")
    views = tree(view(year), view(month), view(week), view(other))
    choices = Choices.of(views, [], set())
    assert [(v.goal.title, v.depth) for v in choices.parents] == [("Other", 0), ("Year", 0), ("A month", 1),
                                                                  ("A week", 2)]
    assert [v.goal.title for v in Choices.of(views, [], {month.id, week.id}).parents] == ["Other", "Year"]
