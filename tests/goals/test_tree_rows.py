"""Today and the "goals fed by" regions read goals as plain rows, the rest of the app as ORM objects:
both must give the same tree, to the last figure."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from manifest.extensions import db
from manifest.goals import services
from manifest.goals.pages import TodayGoals
from manifest.models import Goal, GoalProgress
from manifest.timeutil import local_date

VIEW_FIELDS = ("id", "progress", "window", "today", "on", "milestones_total", "milestones_done", "recurring",
               "upcoming", "ended", "deadline", "due", "pace", "depth")
GOAL_FIELDS = ("id", "parent_goal_id", "title", "description", "goal_type", "category", "target_value",
               "target_unit", "current_value", "start_date", "end_date", "status", "priority", "is_recurring",
               "completed_at", "measure", "rollup", "source_key", "source_id", "created_at")


def shape(tree: services.Tree) -> list:
    return [(
        [getattr(view, name) for name in VIEW_FIELDS],
        [getattr(view.goal, name) for name in GOAL_FIELDS],
        view.parent.id if view.parent else None,
        [child.id for child in view.children],
    ) for view in tree.views.values()]


def test_plain_rows_give_the_same_tree_as_orm_objects(user, other_user, kit):
    me, today = user["id"], kit.today(user["id"])
    habit, water = kit.habit(me, "Meditate"), kit.habit(me, "Water", habit_type="numeric", target_value=8, unit="glasses")
    kit.check_ins(habit, [today - timedelta(days=d) for d in range(0, 20, 2)])
    kit.check_ins(water, [today - timedelta(days=d) for d in range(5)], value="2.5")
    theirs = kit.habit(other_user["id"], "Theirs")
    kit.check_ins(theirs, [today])

    books = kit.goal(me, title="Read 24 books", goal_type="yearly", measure="children", rollup="sum",
                     target_value=24, target_unit="books")
    for month in range(3):
        child = kit.goal(me, title=f"Books {month}", parent_goal_id=books, target_value=2, target_unit="books",
                         start_date=today - timedelta(days=30 * month + 10), end_date=today - timedelta(days=30 * month - 10))
        kit.entry(me, child, month + 1, today - timedelta(days=1))
    weekly = kit.goal(me, title="Run 3 times", goal_type="weekly", is_recurring=True, target_value=3, parent_goal_id=books)
    for days in (0, 3, 9):
        kit.entry(me, weekly, 1, today - timedelta(days=days))
    kit.goal(me, title="Meditate", goal_type="weekly", is_recurring=True, measure="source",
             source=f"habit.completions:{habit}", target_value=5)
    kit.goal(me, title="Water", goal_type="daily", is_recurring=True, measure="source",
             source=f"habit.values:{water}", target_value=8)
    novel = kit.goal(me, title="Novel", goal_type="life", measure="milestones", target_value=None)
    kit.milestone(me, novel, "Outline")
    kit.milestone(me, novel, "Draft")
    done = kit.goal(me, title="Done", target_value=1)
    kit.entry(me, done, 1, today)
    kit.goal(me, title="Later", start_date=today + timedelta(days=3), status="paused")
    with kit.user(me):
        # Links the forms refuse but rows may hold: another user's habit, a vanished source.
        db.session.add_all([
            Goal(user_id=me, title="Borrowed", goal_type="weekly", is_recurring=True, measure="source",
                 source_key="habit.completions", source_id=theirs, target_value=Decimal(1)),
            Goal(user_id=me, title="Gone", goal_type="monthly", measure="source", source_key="gone.away",
                 source_id=theirs, target_value=Decimal(1), completed_at=datetime.now(UTC), status="completed"),
        ])
        db.session.commit()

    with kit.user(me) as person:
        assert kit.get(done).status == "completed"
        for on in (today, today - timedelta(days=1), today - timedelta(days=12), today + timedelta(days=8)):
            rows, objects = services.load_tree(person, today, on, rows=True), services.load_tree(person, today, on)
            assert not any(isinstance(view.goal, Goal) for view in rows.views.values())
            assert all(isinstance(view.goal, Goal) for view in objects.views.values())
            assert shape(rows) == shape(objects) and len(rows.views) == 12
            shown = services.today_goals(person, on, today)
            expected = TodayGoals.of(objects, on, lambda moment: local_date(person, moment))
            assert [v.id for v in shown.rows] == [v.id for v in expected.rows] and shown.events == expected.events


def test_plain_rows_see_changes_not_yet_flushed(user, kit):
    me = user["id"]
    goal = kit.goal(me, title="Pages", goal_type="weekly", is_recurring=True, target_value=100)
    with kit.user(me) as person:
        today = kit.today(me)
        db.session.add(GoalProgress(goal_id=goal, progress_date=today, value=Decimal(30)))
        db.session.get(Goal, goal).title = "Pages read"
        view = services.load_tree(person, today, rows=True).get(goal)
        assert view.goal.title == "Pages read" and view.progress.value == 30
        db.session.rollback()
