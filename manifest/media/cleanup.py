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

from manifest.areas import AREAS
from manifest.media.storage import delete_quietly, get_storage
from manifest.models import Media, User

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


def _area_keys_by_model() -> dict[type, str]:
    return {area.model: area.key for area in AREAS.values()}


def _drop_media_of(session: Session, area_key: str, ids) -> None:
    where = (Media.related_to_type == area_key, Media.related_to_id.in_(ids))
    rows = session.execute(sa.select(Media.file_path, Media.thumbnail_path).where(*where)).all()
    if rows:
        session.execute(sa.delete(Media).where(*where).execution_options(synchronize_session=False))
        remove_after_commit(session, [key for row in rows for key in row])


@event.listens_for(Session, "before_flush")
def _deleted_objects(session: Session, flush_context, instances) -> None:
    by_model = _area_keys_by_model()
    doomed: dict[str, list] = {}
    keys: list[str | None] = []
    for obj in session.deleted:
        if isinstance(obj, Media):
            keys += [obj.file_path, obj.thumbnail_path]
        area_key = by_model.get(type(obj))
        if area_key:
            doomed.setdefault(area_key, []).append(obj.id)
    for area_key, ids in doomed.items():
        _drop_media_of(session, area_key, ids)
    remove_after_commit(session, keys)


@event.listens_for(Session, "do_orm_execute")
def _bulk_deletes(state: ORMExecuteState) -> None:
    """``delete(Model).where(...)`` never passes through before_flush: catch it before it runs."""
    if not state.is_delete or state.bind_mapper is None:
        return
    model = state.bind_mapper.class_
    where = state.statement.whereclause
    if model is User:
        users = sa.select(User.id)
        if where is not None:
            users = users.where(where)
        rows = state.session.execute(
            sa.select(Media.file_path, Media.thumbnail_path).where(Media.user_id.in_(users))
        ).all()
        # The rows themselves go with the user (ON DELETE CASCADE); only the files need us.
        remove_after_commit(state.session, [key for row in rows for key in row])
        return
    area_key = _area_keys_by_model().get(model)
    if area_key:
        ids = sa.select(model.id)
        if where is not None:
            ids = ids.where(where)
        _drop_media_of(state.session, area_key, list(state.session.scalars(ids)))


@event.listens_for(Session, "after_commit")
def _remove_files(session: Session) -> None:
    for storage, keys in session.info.pop(PENDING, []):
        delete_quietly(storage, keys)


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    session.info.pop(PENDING, None)
