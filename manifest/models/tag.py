import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import (
    Model,
    counter,
    hex_color,
    non_negative,
    one_of,
    owner_fk,
)

# Areas whose rows can carry tags (and media). A new area joins by adding itself here.
TAGGABLE_TYPES = ("goal", "habit", "blog_entry", "workout", "food", "daily_review")


class Tag(Model):
    """Tags are private: names and slugs are unique per user, never globally."""

    __tablename__ = "tags"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "slug"),
        hex_color(),
        *non_negative("usage_count"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    name: Mapped[str] = mapped_column(sa.String(50))
    slug: Mapped[str] = mapped_column(sa.String(50))
    category: Mapped[str | None] = mapped_column(sa.String(50))
    color: Mapped[str | None] = mapped_column(sa.String(7))
    description: Mapped[str | None] = mapped_column(sa.Text)
    usage_count: Mapped[int] = counter()


class Taggable(Model):
    """Links a tag to a row of any taggable area; there is no FK to the target row,
    so deleting that row deletes its links in the same transaction (see manifest.models.hooks)."""

    __tablename__ = "taggables"
    __table_args__ = (
        sa.UniqueConstraint("tag_id", "taggable_type", "taggable_id"),
        one_of("taggable_type", TAGGABLE_TYPES),
        sa.Index("ix_taggables_target", "taggable_type", "taggable_id"),
    )

    tag_id: Mapped[uuid.UUID] = owner_fk("tags.id", index=False)
    taggable_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    taggable_type: Mapped[str] = mapped_column(sa.String(20))
