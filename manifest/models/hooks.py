"""Session-level rules that keep polymorphic links consistent."""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from manifest.models.tag import Tag, Taggable

# Filled by register_taggable(): model class -> taggable_type.
TAGGABLE_MODELS: dict[type, str] = {}


def register_taggable(model: type, taggable_type: str) -> None:
    TAGGABLE_MODELS[model] = taggable_type


@event.listens_for(Session, "before_flush")
def _delete_links_of_deleted_rows(session: Session, flush_context, instances) -> None:
    """taggables has no FK to its target, so remove a deleted row's links in the same flush,
    and recount the tags that lose them so usage_count stays the number of links."""
    doomed: dict[str, list] = {}
    for obj in session.deleted:
        taggable_type = TAGGABLE_MODELS.get(type(obj))
        if taggable_type:
            doomed.setdefault(taggable_type, []).append(obj.id)
    tag_ids: set = set()
    for taggable_type, ids in doomed.items():
        where = (Taggable.taggable_type == taggable_type, Taggable.taggable_id.in_(ids))
        tag_ids.update(session.scalars(sa.select(Taggable.tag_id).where(*where).distinct()))
        session.execute(sa.delete(Taggable).where(*where))
    if tag_ids:
        tags, links = Tag.__table__, Taggable.__table__
        count = sa.select(sa.func.count()).where(links.c.tag_id == tags.c.id).scalar_subquery()
        session.execute(tags.update().where(tags.c.id.in_(tag_ids)).values(usage_count=count))


@event.listens_for(Session, "do_orm_execute")
def _delete_links_of_bulk_deleted_rows(state) -> None:
    """The same for ``session.execute(delete(Model).where(...))``, which skips before_flush."""
    if not state.is_delete or state.bind_mapper is None:
        return
    mapper = state.bind_mapper
    taggable_type = TAGGABLE_MODELS.get(mapper.class_)
    table = mapper.local_table
    # The bind mapper can come from a subquery of a DELETE on another table: check the target.
    if taggable_type is None or getattr(state.statement.table, "name", None) != table.name:
        return
    select = sa.select(table.c.id)
    if state.statement.whereclause is not None:
        select = select.where(state.statement.whereclause)
    session = state.session
    # Plain ids, not a subquery on the area's table, so other hooks see a DELETE on taggables only.
    ids = list(session.scalars(select, state.parameters))
    if not ids:
        return
    links = Taggable.__table__
    where = (links.c.taggable_type == taggable_type, links.c.taggable_id.in_(ids))
    tag_ids = set(session.scalars(sa.select(links.c.tag_id).where(*where).distinct()))
    if not tag_ids:
        return
    session.execute(links.delete().where(*where))
    tags = Tag.__table__
    count = sa.select(sa.func.count()).where(links.c.tag_id == tags.c.id).scalar_subquery()
    session.execute(tags.update().where(tags.c.id.in_(tag_ids)).values(usage_count=count))
