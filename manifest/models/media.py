import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, flag, non_negative, one_of, owner_fk
from manifest.models.tag import TAGGABLE_TYPES


class Media(Model):
    __tablename__ = "media"
    __table_args__ = (
        *non_negative("file_size"),
        sa.CheckConstraint("width IS NULL OR width > 0", name="width_positive"),
        sa.CheckConstraint("height IS NULL OR height > 0", name="height_positive"),
        one_of("related_to_type", TAGGABLE_TYPES, nullable=True),
        sa.Index("ix_media_user_uploaded", "user_id", "uploaded_at"),
        sa.Index("ix_media_related", "related_to_type", "related_to_id"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    file_name: Mapped[str] = mapped_column(sa.String(255))
    # Storage keys, generated; the user's file name is only a label (file_name).
    file_path: Mapped[str] = mapped_column(sa.String(500))
    thumbnail_path: Mapped[str | None] = mapped_column(sa.String(500))
    file_type: Mapped[str] = mapped_column(sa.String(100))
    file_size: Mapped[int] = mapped_column(sa.BigInteger)
    width: Mapped[int | None]
    height: Mapped[int | None]
    alt_text: Mapped[str | None] = mapped_column(sa.String(500))
    related_to_type: Mapped[str | None] = mapped_column(sa.String(20))
    related_to_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    is_public: Mapped[bool] = flag(False)
    uploaded_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    )
