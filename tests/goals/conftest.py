"""Helpers for the goal tests: goals made through the services, the database read back, statements counted."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.goals import progress, services
from manifest.models import Goal, GoalMilestone, GoalProgress, Habit, HabitEntry, User
from manifest.timeutil import local_today

FORM_DEFAULTS = {
    "title": "Read 12 books", "description": "", "goal_type": "yearly", "category": "", "priority": "0",
    "status": "active", "parent_goal_id": "", "measure": "entries", "target_value": "12", "target_unit": "books",
    "rollup": "average", "source": "", "start_date": "", "end_date": "",
}
SERVICE_DEFAULTS = {
    "title": "Goal", "description": None, "goal_type": "monthly", "is_recurring": False, "category": None,
    "priority": 0, "status": "active", "parent_goal_id": None, "measure": "entries", "target_value": Decimal(10),
    "target_unit": None, "rollup": "average", "source": "", "start_date": None, "end_date": None,
}


def goal_form(**overrides) -> dict:
    """What the goal form posts; checkboxes are sent only when ticked (is_recurring="y")."""
    return {**FORM_DEFAULTS, **overrides}


class GoalKit:
    """Make and read rows for one app, each call in its own app context (nothing held across requests)."""

    def __init__(self, app):
        self.app = app

    @contextmanager
    def user(self, user_id) -> Iterator[User]:
        with self.app.app_context():
            yield db.session.get(User, user_id)

    def today(self, user_id) -> date:
        with self.user(user_id) as user:
            return local_today(user)

    def goal(self, user_id, today: date | None = None, **fields) -> uuid.UUID:
        """A goal made through the service, as the form would."""
        with self.user(user_id) as user:
            data = {**SERVICE_DEFAULTS, **fields}
            for key in ("target_value",):
                if data[key] is not None and not isinstance(data[key], Decimal):
                    data[key] = Decimal(str(data[key]))
            return services.create_goal(user, data, today or local_today(user)).goal_id

    def entry(self, user_id, goal_id, value, day: date, note: str | None = None, today: date | None = None):
        with self.user(user_id) as user:
            goal = db.session.get(Goal, goal_id)
            return progress.add_entry(user, goal, Decimal(str(value)), day, note, today or local_today(user))

    def milestone(self, user_id, goal_id, title: str, target_date: date | None = None) -> uuid.UUID:
        with self.user(user_id) as user:
            progress.add_milestone(user, db.session.get(Goal, goal_id), title, target_date, local_today(user))
            return db.session.scalar(
                sa.select(GoalMilestone.id).where(GoalMilestone.goal_id == goal_id, GoalMilestone.title == title))

    def habit(self, user_id, name: str = "Meditate", **fields) -> uuid.UUID:
        with self.app.app_context():
            habit = Habit(user_id=user_id, name=name, **fields)
            db.session.add(habit)
            db.session.commit()
            return habit.id

    def check_ins(self, habit_id, days: list[date], value=None) -> None:
        with self.app.app_context():
            for day in days:
                db.session.add(HabitEntry(habit_id=habit_id, entry_date=day, completed=value is None,
                                          value=None if value is None else Decimal(str(value))))
            db.session.commit()

    def get(self, goal_id) -> Goal | None:
        with self.app.app_context():
            goal = db.session.get(Goal, uuid.UUID(str(goal_id)))
            if goal is not None:
                db.session.expunge(goal)
            return goal

    def entries(self, goal_id) -> list[tuple[date, Decimal, str | None]]:
        with self.app.app_context():
            rows = db.session.execute(
                sa.select(GoalProgress.progress_date, GoalProgress.value, GoalProgress.notes)
                .where(GoalProgress.goal_id == goal_id).order_by(GoalProgress.progress_date, GoalProgress.created_at)
            ).all()
            return [tuple(row) for row in rows]

    def entry_ids(self, goal_id) -> list[uuid.UUID]:
        with self.app.app_context():
            return list(db.session.scalars(
                sa.select(GoalProgress.id).where(GoalProgress.goal_id == goal_id)
                .order_by(GoalProgress.progress_date, GoalProgress.value)))

    def milestones(self, goal_id) -> list[tuple[str, bool]]:
        with self.app.app_context():
            rows = db.session.execute(
                sa.select(GoalMilestone.title, GoalMilestone.done_at)
                .where(GoalMilestone.goal_id == goal_id).order_by(GoalMilestone.position)
            ).all()
            return [(title, done is not None) for title, done in rows]

    def count(self, model) -> int:
        with self.app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    def entries_sum(self, goal_id) -> Decimal:
        return sum((value for _, value, _ in self.entries(goal_id)), Decimal(0))

    def tree(self, user_id, today: date | None = None, on: date | None = None) -> services.Tree:
        with self.user(user_id) as user:
            return services.load_tree(user, today or local_today(user), on)


@pytest.fixture
def kit(app):
    return GoalKit(app)
