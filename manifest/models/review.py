import uuid
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, between, non_negative, owner_fk

RATINGS = ("mood_rating", "energy_level", "productivity_rating", "sleep_quality")


class DailyReview(Model):
    __tablename__ = "daily_reviews"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "review_date"),
        *(between(rating, 1, 10) for rating in RATINGS),
        between("sleep_hours", 0, 24),
        *non_negative("water_intake_ml", "steps"),
        between("screen_time_minutes", 0, 1440),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    review_date: Mapped[date]
    mood_rating: Mapped[int | None] = mapped_column(sa.SmallInteger)
    energy_level: Mapped[int | None] = mapped_column(sa.SmallInteger)
    productivity_rating: Mapped[int | None] = mapped_column(sa.SmallInteger)
    sleep_quality: Mapped[int | None] = mapped_column(sa.SmallInteger)
    sleep_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 1))
    water_intake_ml: Mapped[int | None]
    steps: Mapped[int | None]
    screen_time_minutes: Mapped[int | None] = mapped_column(sa.SmallInteger)
    accomplishments: Mapped[str | None] = mapped_column(sa.Text)
    challenges: Mapped[str | None] = mapped_column(sa.Text)
    lessons_learned: Mapped[str | None] = mapped_column(sa.Text)
    gratitude: Mapped[str | None] = mapped_column(sa.Text)
    tomorrow_intentions: Mapped[str | None] = mapped_column(sa.Text)
    highlights: Mapped[str | None] = mapped_column(sa.Text)
