"""Constant query counts: the overview, a goal's page and Today make as many statements for 50 goals as for 5."""

from datetime import timedelta
from decimal import Decimal

import pytest

from manifest.extensions import db
from manifest.models import Goal, GoalMilestone, GoalProgress, Habit, HabitEntry
from tests.conftest import HX, TODAY_QUERY_LIMIT, counted_statements

# Statements per page, the user's login check included.
OVERVIEW_LIMIT = 3
GOAL_PAGE_LIMIT = 9  # the attachments are one, the owned lookup of the goal (@loads) another


def seed(app, user_id, today, count: int):
    """``count`` goals of every kind: sub-goals under a parent, recurring, milestones, linked to habits."""
    with app.app_context():
        habit = Habit(user_id=user_id, name="Meditate")
        water = Habit(user_id=user_id, name="Water", habit_type="numeric", target_value=Decimal(8), unit="glasses")
        db.session.add_all([habit, water])
        db.session.flush()
        db.session.add_all(HabitEntry(habit_id=habit.id, entry_date=today - timedelta(days=i), completed=True)
                           for i in range(10))
        parent = Goal(user_id=user_id, title="Parent", goal_type="yearly", measure="children")
        db.session.add(parent)
        db.session.flush()
        for i in range(count - 1):
            kind = i % 5
            goal = Goal(user_id=user_id, title=f"Goal {i}", goal_type="monthly", target_value=Decimal(10),
                        parent_goal_id=parent.id if i % 2 else None, priority=i % 6,
                        end_date=today + timedelta(days=i))
            if kind == 1:
                goal.goal_type, goal.is_recurring = "weekly", True
            elif kind == 2:
                goal.goal_type, goal.measure, goal.target_value = "life", "milestones", None
            elif kind == 3:
                goal.measure, goal.source_key, goal.source_id = "source", "habit.completions", habit.id
                goal.is_recurring, goal.goal_type = True, "weekly"
            elif kind == 4:
                goal.measure, goal.source_key, goal.source_id = "source", "habit.values", water.id
            db.session.add(goal)
            db.session.flush()
            for d in range(3):
                db.session.add(GoalProgress(goal_id=goal.id, progress_date=today - timedelta(days=d), value=Decimal(1)))
                db.session.add(GoalMilestone(goal_id=goal.id, title=f"Step {d}", position=d))
            goal.current_value = Decimal(3)
        db.session.commit()
        linked = db.session.scalar(db.select(Goal.id).where(Goal.user_id == user_id, Goal.title == "Goal 3"))
        return linked, parent.id


def statements_for(app, client, path: str, headers=None) -> int:
    with counted_statements(app) as statements:
        response = client.get(path, headers=headers or {})
    assert response.status_code == 200, path
    return len(statements)


@pytest.fixture
def counts(app, make_user, kit):
    """Statements for each page, for a user with 5 goals and one with 50."""

    def measure(paths) -> dict:
        result = {}
        for size in (5, 50):
            person = make_user(f"user{size}")
            client = app.test_client()
            client.login(person["username"])
            linked, parent = seed(app, person["id"], kit.today(person["id"]), size)
            result[size] = {name: statements_for(app, client, path.format(linked=linked, parent=parent), headers)
                            for name, (path, headers) in paths.items()}
            assert kit.tree(person["id"]).views.__len__() == size
        return result

    return measure


def test_the_overview_makes_the_same_few_queries_for_5_and_50_goals(counts):
    result = counts({
        "page": ("/goals", None),
        "filtered": ("/goals?status=all&q=goal&group=status", None),
        "fragment": ("/goals?type=weekly", HX),
    })
    assert result[5] == result[50]
    assert max(result[50].values()) <= OVERVIEW_LIMIT, result


def test_a_goal_page_makes_the_same_few_queries_for_5_and_50_goals(counts):
    result = counts({
        "linked recurring": ("/goals/{linked}", None),
        "parent": ("/goals/{parent}", None),
    })
    assert result[5] == result[50]
    assert max(result[50].values()) <= GOAL_PAGE_LIMIT, result


def test_today_stays_within_its_query_budget(counts):
    result = counts({"today": ("/", None), "day navigation": ("/?day=2024-05-15", HX)})
    assert result[5] == result[50]
    assert max(result[50].values()) <= TODAY_QUERY_LIMIT, result
