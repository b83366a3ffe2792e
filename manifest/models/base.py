"""Column helpers shared by every model."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.extensions import db


def owner_fk(target: str = "users.id", *, index: bool = True) -> Mapped[uuid.UUID]:
    """A NOT NULL foreign key whose rows vanish with their parent, in the database itself."""
    return mapped_column(sa.ForeignKey(target, ondelete="CASCADE"), nullable=False, index=index)


def flag(default: bool) -> Mapped[bool]:
    return mapped_column(default=default, server_default=sa.true() if default else sa.false())


def counter() -> Mapped[int]:
    return mapped_column(default=0, server_default=sa.text("0"))


def between(column: str, low, high, name: str | None = None) -> sa.CheckConstraint:
    """NULL-tolerant range check (NULL means 'not recorded')."""
    return sa.CheckConstraint(f"{column} IS NULL OR ({column} >= {low} AND {column} <= {high})", name=name or f"{column}_range")


def non_negative(*columns: str) -> list[sa.CheckConstraint]:
    return [sa.CheckConstraint(f"{c} IS NULL OR {c} >= 0", name=f"{c}_non_negative") for c in columns]


def one_of(column: str, values: tuple[str, ...], *, nullable: bool = False) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    condition = f"{column} IN ({allowed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return sa.CheckConstraint(condition, name=f"{column}_allowed")


HEX_DIGITS = "0123456789abcdefABCDEF"


def hex_color_condition(column: str = "color") -> str:
    # ltrim() with a character set is the one digit test PostgreSQL and SQLite share (no regex in SQLite).
    return (f"{column} IS NULL OR (length({column}) = 7 AND substr({column}, 1, 1) = '#'"
            f" AND ltrim(substr({column}, 2), '{HEX_DIGITS}') = '')")


def hex_color(column: str = "color") -> sa.CheckConstraint:
    return sa.CheckConstraint(hex_color_condition(column), name=f"{column}_hex")


class Model(db.Model):
    """Abstract base: UUID v4 key and UTC timestamps maintained by the database."""

    __abstract__ = True

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now(), onupdate=sa.func.now()
    )
