import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, flag, non_negative, one_of

WEIGHT_PREFERENCES = ("kg", "lbs")
DISTANCE_PREFERENCES = ("km", "miles")
# Daily nutrition targets a user may set in settings (NULL: no target).
NUTRITION_TARGETS = (
    "target_calories", "target_protein_g", "target_carbs_g", "target_fat_g",
    "target_fiber_g", "target_sugar_g", "target_sodium_mg",
)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, Model):
    __tablename__ = "users"
    __table_args__ = (
        one_of("weight_unit", WEIGHT_PREFERENCES),
        one_of("distance_unit", DISTANCE_PREFERENCES),
        *non_negative(*NUTRITION_TARGETS),
    )

    email: Mapped[str] = mapped_column(sa.String(255), unique=True)
    username: Mapped[str] = mapped_column(sa.String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    first_name: Mapped[str | None] = mapped_column(sa.String(100))
    last_name: Mapped[str | None] = mapped_column(sa.String(100))
    avatar_url: Mapped[str | None] = mapped_column(sa.String(500))
    bio: Mapped[str | None] = mapped_column(sa.Text)
    timezone: Mapped[str] = mapped_column(sa.String(50), default="UTC", server_default="UTC")
    is_active: Mapped[bool] = flag(True)
    is_verified: Mapped[bool] = flag(False)
    email_verified_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Part of the login session; replacing it signs out every session of this user.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    # Units workouts are shown in; every value keeps the unit it was entered with.
    weight_unit: Mapped[str] = mapped_column(sa.String(3), default="kg", server_default="kg")
    distance_unit: Mapped[str] = mapped_column(sa.String(5), default="km", server_default="km")
    target_calories: Mapped[int | None]
    target_protein_g: Mapped[int | None]
    target_carbs_g: Mapped[int | None]
    target_fat_g: Mapped[int | None]
    target_fiber_g: Mapped[int | None]
    target_sugar_g: Mapped[int | None]
    target_sodium_mg: Mapped[int | None]

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def display_name(self) -> str:
        return self.first_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username}>"
