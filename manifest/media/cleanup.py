"""Stored files follow their rows: when a media row goes (deleted itself, with the area row it is
attached to, or with its owner's account), its files are removed once the deletion is committed.

``media.related_to_id`` has no foreign key (it points into any registered area), so deleting an
area row also deletes its media rows here, in the same flush or bulk statement. Files are removed
only after commit: a rolled-back deletion keeps them.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from manifest.media.storage import delete_quietly, get_storage
from manifest.models import Media, User
from manifest.models.hooks import bulk_delete_ids, bulk_delete_target, on_rows_deleted

log = logging.getLogger(__name__)
PENDING = "media_files_to_remove"


def remove_after_commit(session: Session, keys) -> None:
    keys = [key for key in keys if key]
    if not keys:
        return
    if not has_app_context():
        log.warning("attachment files %s outlive their rows: no app to find the storage", keys)
        return
    session.info.setdefault(PENDING, []).append((get_storage(), keys))


@on_rows_deleted
def _drop_media_of(session: Session, area_key: str, ids: list) -> None:
    """The rows' attachments go with them; their files once the deletion is committed."""
    where = (Media.related_to_type == area_key, Media.related_to_id.in_(ids))
    rows = session.execute(sa.select(Media.file_path, Media.thumbnail_path).where(*where)).all()
    if rows:
        session.execute(sa.delete(Media).where(*where).execution_options(synchronize_session=False))
        remove_after_commit(session, [key for row in rows for key in row])


@event.listens_for(Session, "before_flush")
def _deleted_attachments(session: Session, flush_context, instances) -> None:
    remove_after_commit(session, [key for obj in session.deleted if isinstance(obj, Media)
                                  for key in (obj.file_path, obj.thumbnail_path)])


@event.listens_for(Session, "do_orm_execute")
def _deleted_accounts(state: ORMExecuteState) -> None:
    """A bulk ``delete(User)``: the media rows go with the user (ON DELETE CASCADE); the files need us."""
    if bulk_delete_target(state) is not User:
        return
    users = bulk_delete_ids(state, User)
    if users:
        rows = state.session.execute(
            sa.select(Media.file_path, Media.thumbnail_path).where(Media.user_id.in_(users))
        ).all()
        remove_after_commit(state.session, [key for row in rows for key in row])


@event.listens_for(Session, "after_commit")
def _remove_files(session: Session) -> None:
    for storage, keys in session.info.pop(PENDING, []):
        delete_quietly(storage, keys)


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    session.info.pop(PENDING, None)
