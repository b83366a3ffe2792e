"""Tags: every query and rule, always scoped to the owner (the first argument).

Areas come from the registry (manifest.areas); a row is the user's when the area's model has
it with that ``user_id``. ``usage_count`` is recounted from ``taggables`` after every change,
in the same statement batch, so it cannot drift whatever order concurrent requests run in.
"""

import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from manifest import queries
from manifest.areas import AREAS, owned_row
from manifest.extensions import db
from manifest.forms import FieldError
from manifest.models import Tag, Taggable, User
from manifest.ownership import owned, owned_select
from manifest.tags import logic
from manifest.tags.logic import slugify
from manifest.tags.pages import TagPage, group

MAX_TAGS_PER_ROW = 20
MAX_SUGGESTIONS = 8
# A tag page lists at most this many rows of each area.
PAGE_LIMIT = 200


class TagClash(FieldError):
    """A rename onto a name another tag of the user already has; ``other`` is that tag."""

    def __init__(self, message: str, other: Tag):
        super().__init__(message, "name")
        self.other = other


def clean_name(raw: str | None) -> str:
    try:
        return logic.clean_name(raw)
    except logic.TagError as error:
        raise FieldError(str(error), "name") from None


def clean_color(raw: str | None) -> str | None:
    try:
        return logic.clean_color(raw)
    except logic.TagError as error:
        raise FieldError(str(error), "color") from None


def recount(tag_ids: Iterable[uuid.UUID]) -> None:
    """Set usage_count of these tags to their number of links, in one statement."""
    ids = list(tag_ids)
    if ids:
        db.session.execute(recount_statement(ids))


def recount_statement(tag_ids) -> sa.Update:
    tags, links = Tag.__table__, Taggable.__table__
    count = sa.select(sa.func.count()).where(links.c.tag_id == tags.c.id).scalar_subquery()
    return tags.update().where(tags.c.id.in_(tag_ids)).values(usage_count=count)


# --- reading -------------------------------------------------------------------------------

def list_tags(user: User) -> list[Tag]:
    return list(db.session.scalars(sa.select(Tag).where(Tag.user_id == user.id).order_by(Tag.slug)))


def tag_by_slug(user: User, slug: str) -> Tag:
    """The user's tag at this address, or 404."""
    tag = db.session.scalars(owned_select(user, Tag).where(Tag.slug == slug)).first()
    if tag is None:
        raise NotFound()
    return tag


def tags_for(user: User, area_key: str, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Tag]]:
    """The user's tags on each of these rows of one area, by name; one query. Every id is a key."""
    ids = list(ids)
    result: dict[uuid.UUID, list[Tag]] = {row_id: [] for row_id in ids}
    if not ids:
        return result
    rows = db.session.execute(
        sa.select(Taggable.taggable_id, Tag)
        .join(Tag, Tag.id == Taggable.tag_id)
        .where(Tag.user_id == user.id, Taggable.taggable_type == area_key, Taggable.taggable_id.in_(ids))
        .order_by(Tag.slug)
    )
    for row_id, tag in rows:
        result.setdefault(row_id, []).append(tag)
    return result


def suggest(user: User, text: str, exclude: Iterable[uuid.UUID] = ()) -> list[Tag]:
    """The user's tags whose name contains ``text``, most used first; all of them, most used
    first, for an empty text."""
    query = sa.select(Tag).where(Tag.user_id == user.id)
    needle = " ".join((text or "").split())[:50]
    if needle:
        query = query.where(queries.contains(Tag.name, needle))
    exclude = list(exclude)
    if exclude:
        query = query.where(Tag.id.not_in(exclude))
    query = query.order_by(Tag.usage_count.desc(), Tag.slug).limit(MAX_SUGGESTIONS)
    return list(db.session.scalars(query))


# --- the rows of areas ---------------------------------------------------------------------

def find_or_create(user: User, name: str) -> Tag:
    """The user's tag with this name's slug, made when missing (a concurrent twin is reused)."""
    name = clean_name(name)
    slug = slugify(name)
    db.session.execute(
        queries.insert(Tag).values(id=uuid.uuid4(), user_id=user.id, name=name, slug=slug, usage_count=0)
        .on_conflict_do_nothing(index_elements=["user_id", "slug"])
    )
    return db.session.scalars(sa.select(Tag).where(Tag.user_id == user.id, Tag.slug == slug)).one()


def add_tag(user: User, area_key: str, row_id: uuid.UUID, name: str) -> Tag:
    """Tag one of the user's rows, creating the tag when the user has none by that name."""
    owned_row(user, area_key, row_id)
    clean_name(name)  # refuse a bad name before counting
    existing = tags_for(user, area_key, [row_id])[row_id]
    if slugify(clean_name(name)) in {t.slug for t in existing}:
        return next(t for t in existing if t.slug == slugify(clean_name(name)))
    if len(existing) >= MAX_TAGS_PER_ROW:
        raise FieldError(f"A row takes at most {MAX_TAGS_PER_ROW} tags.")
    tag = find_or_create(user, name)
    db.session.execute(
        queries.insert(Taggable).values(id=uuid.uuid4(), tag_id=tag.id, taggable_type=area_key, taggable_id=row_id)
        .on_conflict_do_nothing(index_elements=["tag_id", "taggable_type", "taggable_id"])
    )
    recount([tag.id])
    db.session.commit()
    return tag


def remove_tag(user: User, area_key: str, row_id: uuid.UUID, tag: Tag) -> None:
    owned_row(user, area_key, row_id)
    db.session.execute(sa.delete(Taggable).where(
        Taggable.tag_id == tag.id, Taggable.taggable_type == area_key, Taggable.taggable_id == row_id,
    ))
    recount([tag.id])
    db.session.commit()


# --- managing tags -------------------------------------------------------------------------

def rename_tag(user: User, tag: Tag, name: str) -> Tag:
    """The slug follows the name; a name another tag already has raises TagClash (merge instead)."""
    name = clean_name(name)
    slug = slugify(name)
    other = db.session.scalars(
        sa.select(Tag).where(Tag.user_id == user.id, Tag.slug == slug, Tag.id != tag.id)
    ).first()
    if other is not None:
        raise TagClash(f"You already have a tag “{other.name}”. Merge “{tag.name}” into it instead?", other)
    tag.name, tag.slug = name, slug
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # Another request took the name in between.
        db.session.rollback()
        raise FieldError("You already have a tag with that name.", "name") from None
    return tag


def recolor_tag(user: User, tag: Tag, color: str | None) -> Tag:
    tag.color = clean_color(color)
    db.session.commit()
    return tag


def merge_tags(user: User, source: Tag, target: Tag) -> Tag:
    """Move every link of ``source`` to ``target`` (a row that has both keeps one), then drop ``source``."""
    if source.id == target.id:
        raise FieldError("Pick another tag to merge into.", "into")
    links = Taggable.__table__
    twin = links.alias("twin")
    already = sa.exists().where(
        twin.c.tag_id == target.id,
        twin.c.taggable_type == links.c.taggable_type,
        twin.c.taggable_id == links.c.taggable_id,
    )
    db.session.execute(links.update().where(links.c.tag_id == source.id, ~already).values(tag_id=target.id))
    db.session.execute(links.delete().where(links.c.tag_id == source.id))
    db.session.execute(Tag.__table__.delete().where(Tag.__table__.c.id == source.id))
    recount([target.id])
    db.session.commit()
    db.session.expire_all()
    return owned(user, Tag, target.id)


def delete_tag(user: User, tag: Tag) -> str:
    name = tag.name
    db.session.execute(sa.delete(Taggable).where(Taggable.tag_id == tag.id))
    db.session.delete(tag)
    db.session.commit()
    return name


# --- the tag page --------------------------------------------------------------------------

def tag_page(user: User, slug: str) -> TagPage:
    """Everything carrying the tag, grouped by area, newest first within each.

    One query finds which areas have links, then one per such area: the row count never matters.
    """
    tag = tag_by_slug(user, slug)
    kinds = set(db.session.scalars(
        sa.select(Taggable.taggable_type).where(Taggable.tag_id == tag.id).distinct()
    ))
    groups = []
    for key, area in AREAS.items():
        if key not in kinds:
            continue
        model = area.model
        rows = list(db.session.scalars(
            sa.select(model)
            .join(Taggable, sa.and_(
                Taggable.taggable_id == model.id, Taggable.taggable_type == key, Taggable.tag_id == tag.id,
            ))
            .where(model.user_id == user.id)
            .order_by(area.sort_column.desc(), model.id)
            .limit(PAGE_LIMIT + 1)
        ))
        found = group(area, rows, PAGE_LIMIT)
        if found:
            groups.append(found)
    return TagPage(tag, groups)
