"""One owner-scoped lookup for every row a user can reach by id, and a route decorator over it.

A row belongs to a user through its ``user_id`` or, for rows that hang off another (a habit's
entries, a goal's progress, an exercise's sets), through its parent's. Another user's id answers
exactly as a missing one: 404.
"""

from functools import wraps

import sqlalchemy as sa
from flask_login import current_user
from werkzeug.exceptions import NotFound

from manifest.extensions import db
from manifest.models import (
    Goal,
    GoalMilestone,
    GoalProgress,
    Habit,
    HabitEntry,
    HabitPause,
    Workout,
    WorkoutExercise,
    WorkoutSet,
)

# child model -> (its column naming the parent, the parent model)
PARENTS = {
    HabitEntry: (HabitEntry.habit_id, Habit),
    HabitPause: (HabitPause.habit_id, Habit),
    GoalProgress: (GoalProgress.goal_id, Goal),
    GoalMilestone: (GoalMilestone.goal_id, Goal),
    WorkoutExercise: (WorkoutExercise.workout_id, Workout),
    WorkoutSet: (WorkoutSet.workout_exercise_id, WorkoutExercise),
}


def owned_select(user, model, *options) -> sa.Select:
    """``SELECT model`` limited to the user's rows, following parents up to the one with user_id."""
    stmt = sa.select(model).options(*options)
    child = model
    while child in PARENTS:
        column, parent = PARENTS[child]
        stmt = stmt.join(parent, column == parent.id)
        child = parent
    return stmt.where(child.user_id == user.id)


def owned(user, model, row_id, *, lock: bool = False, options=(), parent=None):
    """The user's row of ``model`` with this id, or 404. ``lock`` takes a row lock (FOR UPDATE on
    PostgreSQL) for a read-modify-write; ``parent`` also requires the row to hang off that row."""
    stmt = owned_select(user, model, *options).where(model.id == row_id)
    if parent is not None:
        stmt = stmt.where(PARENTS[model][0] == parent.id)
    if lock:
        # The row may already be in the session (a route loaded it): refresh it from the locked
        # read, or a change committed while we waited for the lock would go unseen.
        stmt = stmt.with_for_update(of=model).execution_options(populate_existing=True)
    row = db.session.scalars(stmt).unique().first()
    if row is None:
        raise NotFound()
    return row


def loads(**models):
    """Turn ``<uuid:NAME_id>`` route arguments into the current user's rows, 404 for anyone else's::

        @bp.post("/<uuid:habit_id>/archive")
        @login_required
        @loads(habit=Habit)
        def archive(habit): ...
    """

    def decorator(view):
        @wraps(view)
        def wrapper(**kwargs):
            for name, model in models.items():
                kwargs[name] = owned(current_user, model, kwargs.pop(f"{name}_id"))
            return view(**kwargs)

        return wrapper

    return decorator
