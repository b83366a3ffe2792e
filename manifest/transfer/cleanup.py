"""An account's export archives and waiting uploads go with the account: removed from where they
wait (a folder or the bucket) once its deletion is committed, not left until they expire."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from manifest.models import DataExport, DataImport, User
from manifest.models.hooks import bulk_delete_ids, bulk_delete_target
from manifest.models.transfer import split_labels
from manifest.transfer import store

log = logging.getLogger(__name__)
PENDING = "transfer_files_to_remove"


@event.listens_for(Session, "do_orm_execute")
def _deleted_accounts(state: ORMExecuteState) -> None:
    if bulk_delete_target(state) is not User:
        return
    users = bulk_delete_ids(state, User)
    if not users:
        return
    files = [("exports", name) for name in state.session.scalars(
        sa.select(DataExport.file_name).where(DataExport.user_id.in_(users), DataExport.file_name.is_not(None)))]
    for upload, label in state.session.execute(sa.select(DataImport.upload_name, DataImport.label).where(
            DataImport.user_id.in_(users), DataImport.upload_name.is_not(None))):
        files += [("imports", f"{upload}/{n}") for n in range(len(split_labels(label)))]
    if files:
        state.session.info.setdefault(PENDING, []).extend(files)


@event.listens_for(Session, "after_commit")
def _remove_files(session: Session) -> None:
    files = session.info.pop(PENDING, [])
    if files and not has_app_context():
        log.warning("export files %s outlive their account: no app to find them", files)
        return
    for kind, name in files:
        try:
            store.delete(kind, name)
        except Exception:  # a leftover file must not undo a committed deletion
            log.exception("could not remove %s/%s", kind, name)


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    session.info.pop(PENDING, None)
