import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, one_of


class LoginFailure(Model):
    """A failed sign-in, kept in the database so every worker process sees the same count."""

    __tablename__ = "login_failures"
    __table_args__ = (
        one_of("scope", ("account", "address")),
        sa.Index("ix_login_failures_scope_key_created", "scope", "key", "created_at"),
    )

    scope: Mapped[str] = mapped_column(sa.String(10))
    key: Mapped[str] = mapped_column(sa.String(255))
