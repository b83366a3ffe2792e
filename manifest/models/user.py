import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, flag


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, Model):
    __tablename__ = "users"

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

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def display_name(self) -> str:
        return self.first_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username}>"
