"""Reading an account area by area: its rows owned through their parents, in batches by id."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Tag, Taggable
from manifest.transfer.format import AREAS_BY_NAME, TYPE_AREAS, Area

BATCH = 500
AREA_TYPES = {area: kind for kind, area in TYPE_AREAS.items()}


def _owned(area: Area, user_id: uuid.UUID, *columns) -> sa.Select:
    """``columns`` of the rows the user owns in ``area``, joined up through its parents."""
    joined, current = area.table, area
    while current.parent is not None:
        column, parent_name = current.parent
        parent = AREAS_BY_NAME[parent_name]
        joined = joined.join(parent.table, current.table.c[column] == parent.table.c.id)
        current = parent
    return sa.select(*columns).select_from(joined).where(current.table.c.user_id == user_id)


def count(area: Area, user_id: uuid.UUID) -> int:
    return db.session.scalar(_owned(area, user_id, sa.func.count(area.table.c.id))) or 0


def owned_ids(area: Area, user_id: uuid.UUID, ids) -> set[uuid.UUID]:
    """Which of ``ids`` are rows of the user's in ``area``."""
    found: set[uuid.UUID] = set()
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        found.update(db.session.scalars(_owned(area, user_id, area.table.c.id).where(area.table.c.id.in_(chunk))))
    return found


def batches(area: Area, user_id: uuid.UUID, size: int = BATCH) -> Iterator[list[sa.Row]]:
    """The user's rows of ``area`` in batches ordered by id. Each batch is one statement read to its
    end, so no cursor (nor, on SQLite, a read lock) stays open between batches."""
    table = area.table
    last = None
    while True:
        statement = _owned(area, user_id, *area.columns).order_by(table.c.id).limit(size)
        if last is not None:
            statement = statement.where(table.c.id > last)
        rows = db.session.execute(statement).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id
        if len(rows) < size:
            return


def tag_names(area: Area, ids) -> dict[uuid.UUID, list[str]]:
    """The names of the tags on each of ``ids`` (rows of a taggable area), sorted."""
    kind = AREA_TYPES.get(area.name)
    if kind is None:
        return {}
    names: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(Taggable.taggable_id, Tag.name).join(Tag, Tag.id == Taggable.tag_id)
        .where(Taggable.taggable_type == kind, Taggable.taggable_id.in_(list(ids))).order_by(Tag.name)
    )
    for row_id, name in rows:
        names[row_id].append(name)
    return names
