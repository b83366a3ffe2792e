"""Helpers for the food log tests: rows written directly, and reads that leave no session behind."""

import uuid
from datetime import date, time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Food, User


@pytest.fixture
def user(calm_user):
    """Ana in a zone where midnight is hours away, so "today" holds still during a test."""
    return calm_user


@pytest.fixture
def today(calm_today) -> date:
    return calm_today


def add_food(app, user_id, day: date, meal: str = "breakfast", name: str = "Oatmeal", **values) -> uuid.UUID:
    with app.app_context():
        food = Food(user_id=user_id, meal_date=day, meal_type=meal, food_name=name, **values)
        db.session.add(food)
        db.session.commit()
        return food.id


def foods_of(app, user_id) -> list[dict]:
    """Every entry of the user, as plain dicts, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Food).where(Food.user_id == user_id).order_by(Food.meal_date, Food.created_at, Food.food_name)
        ).all()
        return [{c.name: getattr(row, c.name) for c in Food.__table__.columns if c.name != "updated_at"} for row in rows]


def set_targets(app, user_id, **targets) -> None:
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == user_id).values(**targets))
        db.session.commit()


__all__ = ["Decimal", "add_food", "foods_of", "meals_part", "quick_part", "set_targets", "time"]


def quick_part(body: str) -> str:
    """The quick-add lists of a day page or an htmx answer."""
    rest = body.split('id="quick-add"', 1)[1]
    return rest.split('id="food-meals"', 1)[0]


def meals_part(body: str) -> str:
    """Everything but the quick-add lists."""
    if 'id="quick-add"' not in body:
        return body
    before, rest = body.split('id="quick-add"', 1)
    return before + (rest.split('id="food-meals"', 1)[1] if 'id="food-meals"' in rest else "")
