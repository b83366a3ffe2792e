"""Session-level rules that keep polymorphic links consistent."""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from manifest.models.tag import Taggable

# Filled by register_taggable(): model class -> taggable_type.
TAGGABLE_MODELS: dict[type, str] = {}


def register_taggable(model: type, taggable_type: str) -> None:
    TAGGABLE_MODELS[model] = taggable_type


@event.listens_for(Session, "before_flush")
def _delete_links_of_deleted_rows(session: Session, flush_context, instances) -> None:
    """taggables has no FK to its target, so remove a deleted row's links in the same flush."""
    doomed: dict[str, list] = {}
    for obj in session.deleted:
        taggable_type = TAGGABLE_MODELS.get(type(obj))
        if taggable_type:
            doomed.setdefault(taggable_type, []).append(obj.id)
    for taggable_type, ids in doomed.items():
        session.execute(
            sa.delete(Taggable).where(Taggable.taggable_type == taggable_type, Taggable.taggable_id.in_(ids))
        )
