import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, counter, flag, non_negative, one_of, owner_fk

ENTRY_STATUSES = ("draft", "published", "archived")


class BlogEntry(Model):
    __tablename__ = "blog_entries"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "slug"),
        one_of("status", ENTRY_STATUSES),
        *non_negative("view_count"),
        sa.Index("ix_blog_entries_user_status_published", "user_id", "status", "published_at"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    title: Mapped[str] = mapped_column(sa.String(500))
    content: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    excerpt: Mapped[str | None] = mapped_column(sa.Text)
    slug: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[str] = mapped_column(sa.String(20), default="draft", server_default="draft")
    is_public: Mapped[bool] = flag(False)
    is_featured: Mapped[bool] = flag(False)
    view_count: Mapped[int] = counter()
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class BlogEntryView(Model):
    """One visitor's view of a public entry on one day: a view counts once per visitor and day."""

    __tablename__ = "blog_entry_views"
    __table_args__ = (sa.UniqueConstraint("blog_entry_id", "visitor_key", "viewed_on"),)

    blog_entry_id: Mapped[uuid.UUID] = owner_fk("blog_entries.id", index=False)
    # A keyed hash of the visitor, never the address itself.
    visitor_key: Mapped[str] = mapped_column(sa.String(64))
    viewed_on: Mapped[date]
