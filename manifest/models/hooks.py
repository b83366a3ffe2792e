"""Session-level rules that keep polymorphic links consistent.

taggables and media point at rows of any taggable area without a foreign key, so the database
cannot cascade to them. Instead, every deletion of such rows, through the ORM or by a bulk
``delete(Model).where(...)``, is reported to the listeners registered here, in the same transaction.
"""

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from manifest.models.tag import Tag, Taggable

# Filled by register_taggable(): model class -> taggable_type.
TAGGABLE_MODELS: dict[type, str] = {}
# Called as listener(session, taggable_type, ids) before the rows go.
RowsDeleted = Callable[[Session, str, list], None]
ROW_DELETION_LISTENERS: list[RowsDeleted] = []


def register_taggable(model: type, taggable_type: str) -> None:
    TAGGABLE_MODELS[model] = taggable_type


def on_rows_deleted(listener: RowsDeleted) -> RowsDeleted:
    ROW_DELETION_LISTENERS.append(listener)
    return listener


def _notify(session: Session, doomed: dict[str, list]) -> None:
    for taggable_type, ids in doomed.items():
        if ids:
            for listener in ROW_DELETION_LISTENERS:
                listener(session, taggable_type, ids)


@event.listens_for(Session, "before_flush")
def _rows_deleted_by_the_orm(session: Session, flush_context, instances) -> None:
    doomed: dict[str, list] = {}
    for obj in session.deleted:
        taggable_type = TAGGABLE_MODELS.get(type(obj))
        if taggable_type:
            doomed.setdefault(taggable_type, []).append(obj.id)
    _notify(session, doomed)


def bulk_delete_target(state) -> type | None:
    """The model a bulk ``delete(Model)`` removes rows of, or None for anything else.

    The bind mapper can come from a subquery of a DELETE on another table, so the statement's own
    table must be the model's."""
    if not state.is_delete or state.bind_mapper is None:
        return None
    mapper = state.bind_mapper
    if getattr(state.statement.table, "name", None) != mapper.local_table.name:
        return None
    return mapper.class_


def bulk_delete_ids(state, model: type) -> list:
    """The ids a bulk delete is about to remove, as plain values (not a subquery on the area's
    table, so the listeners' own statements are not mistaken for deletes of that area)."""
    select = sa.select(model.__table__.c.id)
    if state.statement.whereclause is not None:
        select = select.where(state.statement.whereclause)
    return list(state.session.scalars(select, state.parameters))


@event.listens_for(Session, "do_orm_execute")
def _rows_deleted_in_bulk(state) -> None:
    model = bulk_delete_target(state)
    taggable_type = TAGGABLE_MODELS.get(model)
    if taggable_type:
        _notify(state.session, {taggable_type: bulk_delete_ids(state, model)})


@on_rows_deleted
def _delete_tag_links(session: Session, taggable_type: str, ids: list) -> None:
    """Remove the rows' tag links and recount the tags that lose them, so usage_count stays the
    number of links."""
    links, tags = Taggable.__table__, Tag.__table__
    where = (links.c.taggable_type == taggable_type, links.c.taggable_id.in_(ids))
    tag_ids = set(session.scalars(sa.select(links.c.tag_id).where(*where).distinct()))
    if not tag_ids:
        return
    session.execute(links.delete().where(*where))
    count = sa.select(sa.func.count()).where(links.c.tag_id == tags.c.id).scalar_subquery()
    session.execute(tags.update().where(tags.c.id.in_(tag_ids)).values(usage_count=count))
