"""Rows of the registered areas and their tags, made directly, for the tag and search tests."""

import uuid

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Goal, Habit, Tag, Taggable


def make_habit(app, user_id, name: str = "Meditate", **fields) -> uuid.UUID:
    with app.app_context():
        habit = Habit(user_id=user_id, name=name, **fields)
        db.session.add(habit)
        db.session.commit()
        return habit.id


def make_goal(app, user_id, title: str = "Run a marathon", **fields) -> uuid.UUID:
    with app.app_context():
        goal = Goal(user_id=user_id, title=title, goal_type=fields.pop("goal_type", "monthly"), **fields)
        db.session.add(goal)
        db.session.commit()
        return goal.id


def tags_of(app, user_id) -> dict[str, int]:
    """name -> usage_count of the user's tags."""
    with app.app_context():
        return dict(db.session.execute(sa.select(Tag.name, Tag.usage_count).where(Tag.user_id == user_id)).all())


def links(app, kind: str | None = None, row_id=None) -> set[tuple[str, str, uuid.UUID]]:
    """(tag name, taggable_type, taggable_id) of every link, optionally of one row."""
    with app.app_context():
        query = sa.select(Tag.name, Taggable.taggable_type, Taggable.taggable_id).join(Tag, Tag.id == Taggable.tag_id)
        if kind:
            query = query.where(Taggable.taggable_type == kind)
        if row_id:
            query = query.where(Taggable.taggable_id == row_id)
        return {tuple(row) for row in db.session.execute(query)}


def assert_invariants(app) -> None:
    """usage_count is the number of links; no link twice; every link joins a tag and a row of one user."""
    with app.app_context():
        counts = dict(db.session.execute(
            sa.select(Taggable.tag_id, sa.func.count()).group_by(Taggable.tag_id)
        ).all())
        for tag in db.session.scalars(sa.select(Tag)):
            assert tag.usage_count == counts.get(tag.id, 0), tag.name
        keys = db.session.execute(sa.select(Taggable.tag_id, Taggable.taggable_type, Taggable.taggable_id)).all()
        assert len(keys) == len(set(keys))
        for model in (Habit, Goal):
            kind = "habit" if model is Habit else "goal"
            cross = db.session.scalar(
                sa.select(sa.func.count()).select_from(Taggable)
                .join(Tag, Tag.id == Taggable.tag_id)
                .join(model, sa.and_(model.id == Taggable.taggable_id, Taggable.taggable_type == kind))
                .where(model.user_id != Tag.user_id)
            )
            assert cross == 0
