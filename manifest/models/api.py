"""Personal access tokens for the JSON API, and the answers kept for retried creating requests."""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, counter, owner_fk

# "read" and "write" on every area, or on the areas named (e.g. "habits:write").
API_SCOPES = ("read", "write")


class ApiToken(Model):
    """A token is shown once; only the SHA-256 of it is kept, so a copy of the database lets no one in."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        sa.UniqueConstraint("token_hash"),
        sa.Index("ix_api_tokens_user_created", "user_id", "created_at"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    # The first characters of the token, to tell tokens apart on the settings page.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    # Space-separated: "read", "write", or "AREA:read" / "AREA:write".
    scopes: Mapped[str] = mapped_column(sa.String(500))
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_used_ip: Mapped[str | None] = mapped_column(sa.String(45))
    # Requests in the current rate window, counted by one atomic UPDATE shared by every worker.
    window_start: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    window_count: Mapped[int] = counter()

    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def state(self, now: datetime) -> str:
        """active, revoked or expired (SQLite hands back naive datetimes; every one stored is UTC)."""
        if self.revoked_at is not None:
            return "revoked"
        expires = self.expires_at
        if expires is not None and (expires if expires.tzinfo else expires.replace(tzinfo=UTC)) <= now:
            return "expired"
        return "active"


class ApiIdempotencyKey(Model):
    """The answer to a creating request sent with an Idempotency-Key: a retry gets it again instead
    of making a second row. Unique per token, key and route, so concurrent retries make one row."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (
        sa.UniqueConstraint("token_id", "key", "route"),
        sa.Index("ix_api_idempotency_keys_created", "created_at"),
    )

    token_id: Mapped[uuid.UUID] = owner_fk("api_tokens.id", index=False)
    key: Mapped[str] = mapped_column(sa.String(255))
    route: Mapped[str] = mapped_column(sa.String(300))
    # SHA-256 of the body: the same key with another body is a client error, not a retry.
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    status_code: Mapped[int | None] = mapped_column(sa.SmallInteger)
    response_body: Mapped[str | None] = mapped_column(sa.Text)
    location: Mapped[str | None] = mapped_column(sa.String(300))
