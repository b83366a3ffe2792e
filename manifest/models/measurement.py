import uuid
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, between, flag, non_negative, one_of, owner_fk
from manifest.models.workout import WEIGHT_UNITS

WAIST_UNITS = ("cm", "in")


class Measurement(Model):
    """One weigh-in or body measurement on a day. Values keep the unit they were entered in."""

    __tablename__ = "body_measurements"
    __table_args__ = (
        one_of("weight_unit", WEIGHT_UNITS, nullable=True),
        one_of("waist_unit", WAIST_UNITS, nullable=True),
        *non_negative("weight", "waist"),
        between("body_fat_percentage", 0, 100),
        sa.CheckConstraint("weight IS NOT NULL OR body_fat_percentage IS NOT NULL OR waist IS NOT NULL",
                           name="something_measured"),
        sa.CheckConstraint("weight IS NULL OR weight_unit IS NOT NULL", name="weight_has_unit"),
        sa.CheckConstraint("waist IS NULL OR waist_unit IS NOT NULL", name="waist_has_unit"),
        sa.Index("ix_body_measurements_user_measured_on", "user_id", "measured_on"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    measured_on: Mapped[date]
    weight: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    weight_unit: Mapped[str | None] = mapped_column(sa.String(3))
    body_fat_percentage: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 1))
    waist: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    waist_unit: Mapped[str | None] = mapped_column(sa.String(2))
    note: Mapped[str | None] = mapped_column(sa.Text)


class YearReview(Model):
    """A user's choice to share one year's review as a public page (absent: private)."""

    __tablename__ = "year_reviews"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "year"),
        between("year", 1900, 2999),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    year: Mapped[int]
    is_public: Mapped[bool] = flag(False)
