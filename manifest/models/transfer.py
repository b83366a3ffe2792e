"""Exports and imports of a user's data: each one a job with its progress, and the record of every
row an import made, so importing the same file twice adds nothing the second time."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from manifest.models.base import Model, non_negative, one_of, owner_fk

EXPORT_STATUSES = ("queued", "running", "done", "failed")
# uploaded: waiting for its preview; ready: previewed, waiting for the user's go-ahead;
# refused: the file cannot be imported (problems says why); queued/running: importing;
# done: imported (result says what); failed: an unexpected error, nothing imported; cancelled: stopped by the user.
IMPORT_STATUSES = ("uploaded", "ready", "refused", "queued", "running", "done", "failed", "cancelled")
IMPORT_SOURCES = ("manifest", "loop", "habitbull", "strong")


class DataExport(Model):
    __tablename__ = "data_exports"
    __table_args__ = (
        one_of("status", EXPORT_STATUSES),
        *non_negative("done_units", "total_units", "file_size"),
        sa.Index("ix_data_exports_user_created", "user_id", "created_at"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    status: Mapped[str] = mapped_column(sa.String(10), default="queued", server_default="queued")
    # Rows written plus attachment bytes copied, out of the total counted when the job started.
    done_units: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default=sa.text("0"))
    total_units: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default=sa.text("0"))
    # The archive's name in EXPORT_ROOT: generated, never from the user.
    file_name: Mapped[str | None] = mapped_column(sa.String(100))
    file_size: Mapped[int | None] = mapped_column(sa.BigInteger)
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(sa.String(300))


# The names of an upload's files, as sent, are kept joined by a character no kept name holds (control
# characters are dropped from them), so they split back into as many names as files were sent.
LABEL_SEPARATOR = "\x1f"


def split_labels(label: str | None) -> list[str]:
    text = label or ""
    if LABEL_SEPARATOR in text:
        return text.split(LABEL_SEPARATOR)
    return text.split(" + ")  # uploads stored before the separator (their names never held " + ")


class DataImport(Model):
    __tablename__ = "data_imports"
    __table_args__ = (
        one_of("status", IMPORT_STATUSES),
        one_of("source", IMPORT_SOURCES, nullable=True),
        *non_negative("done_units", "total_units", "file_size"),
        sa.Index("ix_data_imports_user_created", "user_id", "created_at"),
    )

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    status: Mapped[str] = mapped_column(sa.String(10), default="uploaded", server_default="uploaded")
    source: Mapped[str | None] = mapped_column(sa.String(20))
    # What the user called the file (a label only) and where the upload waits in IMPORT_ROOT.
    label: Mapped[str] = mapped_column(sa.String(255))
    upload_name: Mapped[str | None] = mapped_column(sa.String(100))
    file_size: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default=sa.text("0"))
    done_units: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default=sa.text("0"))
    total_units: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default=sa.text("0"))
    # The dry run: rows to add and already present per area, and the rows that cannot be imported.
    preview: Mapped[dict | None] = mapped_column(sa.JSON)
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.String(500))

    @property
    def labels(self) -> list[str]:
        """The name of each file of the upload, in the order they were stored."""
        return split_labels(self.label)

    @property
    def shown_label(self) -> str:
        return " + ".join(self.labels)


class ImportedRow(Model):
    """One row an import made (or found present), under the id it had in the imported file."""

    __tablename__ = "imported_rows"
    __table_args__ = (sa.UniqueConstraint("user_id", "area", "source_id"),)

    user_id: Mapped[uuid.UUID] = owner_fk(index=False)
    area: Mapped[str] = mapped_column(sa.String(30))
    source_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    row_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
