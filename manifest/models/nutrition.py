import uuid
from datetime import date, time
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, flag, non_negative, one_of, owner_fk

MEAL_TYPES = ("breakfast", "lunch", "dinner", "snack")
GRAMS = sa.Numeric(6, 2)


class Food(Model):
    __tablename__ = "foods"
    __table_args__ = (
        one_of("meal_type", MEAL_TYPES),
        *non_negative(
            "calories", "protein_grams", "carbs_grams", "fats_grams", "fiber_grams", "sugar_grams", "sodium_mg"
        ),
        sa.Index("ix_foods_user_meal_date", "user_id", "meal_date"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    meal_date: Mapped[date]
    meal_time: Mapped[time | None]
    meal_type: Mapped[str] = mapped_column(sa.String(20))
    food_name: Mapped[str] = mapped_column(sa.String(255))
    portion_size: Mapped[str | None] = mapped_column(sa.String(100))
    calories: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    protein_grams: Mapped[Decimal | None] = mapped_column(GRAMS)
    carbs_grams: Mapped[Decimal | None] = mapped_column(GRAMS)
    fats_grams: Mapped[Decimal | None] = mapped_column(GRAMS)
    fiber_grams: Mapped[Decimal | None] = mapped_column(GRAMS)
    sugar_grams: Mapped[Decimal | None] = mapped_column(GRAMS)
    sodium_mg: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)
    is_favorite: Mapped[bool] = flag(False)
