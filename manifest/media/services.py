"""Attachments: every query and rule, scoped to the owner (the first argument).

An upload is checked completely before anything is stored: size, kind (from the bytes), image
decoding with a pixel cap, then the owner's quota. Only then are files written, and if the rows
cannot be saved the files are removed again. Which areas take attachments, and how their rows
are titled and linked, comes from the registry in manifest.areas.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from werkzeug.exceptions import NotFound

from manifest.areas import Area, attachable_areas, get_area, owned_row
from manifest.extensions import db
from manifest.forms import FieldError
from manifest.media import logic
from manifest.media.images import reencode
from manifest.media.pages import Gallery, GalleryItem
from manifest.media.storage import delete_quietly, get_storage, new_key
from manifest.models import BlogEntry, Media, User

MAX_FILES = 20
MAX_ALT = 500
PER_PAGE = 24
# The one area whose attachments strangers may see: published, public journal entries.
PUBLIC_AREA = "blog_entry"


class TooLarge(FieldError):
    """A file over the size limit (answered 413, not as a form error)."""


@dataclass(frozen=True)
class Upload:
    name: str | None
    data: bytes


@dataclass
class Prepared:
    label: str
    content_type: str
    data: bytes
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None
    thumbnail_type: str | None = None


def max_bytes() -> int:
    return current_app.config["MEDIA_MAX_BYTES"]


def quota_bytes() -> int:
    return current_app.config["MEDIA_QUOTA_BYTES"]


# --- areas and their rows -------------------------------------------------------------------

def attachable_row(user: User, area_key: str, row_id: uuid.UUID) -> tuple[Area, Any]:
    return owned_row(user, area_key, row_id, attachable=True)


# --- reading --------------------------------------------------------------------------------

def attachments_for(user: User, area_key: str, ids) -> dict[uuid.UUID, list[Media]]:
    """The attachments of each of ``ids`` (rows of one area), oldest first, in one query.

    Every id given is a key of the result, with an empty list when it has none.
    """
    ids = list(ids)
    result: dict[uuid.UUID, list[Media]] = {row_id: [] for row_id in ids}
    if not ids:
        return result
    rows = db.session.scalars(
        sa.select(Media)
        .where(Media.user_id == user.id, Media.related_to_type == area_key, Media.related_to_id.in_(ids))
        .order_by(Media.uploaded_at, Media.id)
    )
    for media in rows:
        result.setdefault(media.related_to_id, []).append(media)
    return result


def attachments_of(user: User, area_key: str, row_id: uuid.UUID) -> list[Media]:
    return attachments_for(user, area_key, [row_id])[row_id]


def viewable_media(viewer: User | None, media_id: uuid.UUID) -> Media:
    """A file the viewer may see: their own, or one on a published public journal entry.

    Anything else answers 404, so strangers cannot even learn that the id exists.
    """
    media = db.session.get(Media, media_id)
    if media is None:
        raise NotFound()
    if viewer is not None and media.user_id == viewer.id:
        return media
    if media.related_to_type == PUBLIC_AREA and media.related_to_id is not None:
        published = db.session.scalar(sa.select(sa.exists().where(
            BlogEntry.id == media.related_to_id,
            BlogEntry.user_id == media.user_id,
            BlogEntry.status == "published",
            BlogEntry.is_public.is_(True),
        )))
        if published:
            return media
    raise NotFound()


def storage_used(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Media.file_size), 0)).where(Media.user_id == user.id)
    ) or 0


def gallery(user: User, area_key: str | None, page: int | None) -> Gallery:
    """One page of the user's attachments, newest first, optionally of one area, with the rows they
    belong to (one query per area on the page, whatever the amount of media)."""
    area = get_area(area_key) if area_key else None
    conditions = [Media.user_id == user.id]
    if area is not None:
        conditions.append(Media.related_to_type == area.key)
    counts = dict(db.session.execute(
        sa.select(Media.related_to_type, sa.func.count()).where(Media.user_id == user.id)
        .group_by(Media.related_to_type)
    ).all())
    total = counts.get(area.key, 0) if area is not None else sum(counts.values())
    page = logic.clamp_page(page, total, PER_PAGE)
    media = list(db.session.scalars(
        sa.select(Media).where(*conditions)
        .order_by(Media.uploaded_at.desc(), Media.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ))
    wanted: dict[str, set] = defaultdict(set)
    for m in media:
        if m.related_to_type and m.related_to_id:
            wanted[m.related_to_type].add(m.related_to_id)
    rows: dict[tuple[str, uuid.UUID], Any] = {}
    for key, ids in wanted.items():
        row_area = get_area(key)
        if row_area is None:
            continue
        model = row_area.model
        for row in db.session.scalars(sa.select(model).where(model.user_id == user.id, model.id.in_(ids))):
            rows[(key, row.id)] = row
    items = [
        GalleryItem(m, get_area(m.related_to_type), rows.get((m.related_to_type, m.related_to_id)))
        for m in media
    ]
    used = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Media.file_size), 0)).where(Media.user_id == user.id)
    ) or 0
    return Gallery(items, total, page, logic.page_count(total, PER_PAGE), area, attachable_areas(), used,
                   quota_bytes(), {k or "": v for k, v in counts.items()})


# --- uploading ------------------------------------------------------------------------------

def prepare(upload: Upload, limit: int, max_pixels: int) -> Prepared:
    """Check one file and make what will be stored; Refused/TooLarge name the problem."""
    label = logic.label(upload.name)
    if len(upload.data) > limit:
        raise TooLarge(f"“{label}” is larger than the {logic.human_size(limit)} allowed per file.")
    try:
        content_type = logic.sniff(upload.data)
        if logic.is_image(content_type):
            image = reencode(upload.data, content_type, max_pixels)
            return Prepared(label, image.content_type, image.data, image.width, image.height,
                            image.thumbnail, image.thumbnail_type)
    except logic.Refused as error:
        raise FieldError(f"“{label}” {error}.") from None
    return Prepared(label, content_type, upload.data)


def clean_alt(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    if "\x00" in text:
        raise FieldError("The description contains a character that is not allowed.", "alt_text")
    if len(text) > MAX_ALT:
        raise FieldError(f"Keep the description under {MAX_ALT} characters.", "alt_text")
    return text or None


def _lock_owner(user: User) -> None:
    # Two uploads at once must not both fit in the same remaining quota (PostgreSQL; SQLite writes one at a time).
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())


def add_attachments(user: User, area: Area, row: Any, uploads: list[Upload], alt_text: str | None) -> list[Media]:
    """Store ``uploads`` as attachments of ``row``: all of them, or none with the reasons."""
    uploads = [u for u in uploads if u.name or u.data]
    if not uploads:
        raise FieldError("Choose at least one file to upload.")
    if len(uploads) > MAX_FILES:
        raise FieldError(f"Upload at most {MAX_FILES} files at once.")
    alt = clean_alt(alt_text)
    limit, max_pixels = max_bytes(), current_app.config["MEDIA_MAX_PIXELS"]
    prepared, problems = [], []
    for upload in uploads:
        try:
            prepared.append(prepare(upload, limit, max_pixels))
        except TooLarge:
            raise
        except FieldError as error:
            problems.append(str(error))
    if problems:
        raise FieldError(" ".join(["Nothing was uploaded.", *problems]))

    _lock_owner(user)
    needed = sum(len(p.data) for p in prepared)
    used, quota = storage_used(user), quota_bytes()
    if used + needed > quota:
        db.session.rollback()
        left = max(quota - used, 0)
        raise FieldError(
            f"Nothing was uploaded: that needs {logic.human_size(needed)}, and only {logic.human_size(left)} "
            f"of your {logic.human_size(quota)} of storage is left. Delete some attachments to make room."
        )

    storage = get_storage()
    written: list[str] = []
    added: list[Media] = []
    # Apart by a microsecond each, so a batch lists in the order it was chosen.
    now = datetime.now(UTC)
    try:
        for n, item in enumerate(prepared):
            key = new_key(user.id, logic.extension(item.content_type))
            storage.save(key, item.data, item.content_type)
            written.append(key)
            thumb_key = None
            if item.thumbnail is not None:
                thumb_key = new_key(user.id, logic.extension(item.thumbnail_type), thumb_of=key)
                storage.save(thumb_key, item.thumbnail, item.thumbnail_type)
                written.append(thumb_key)
            media = Media(
                user_id=user.id, file_name=item.label, file_path=key, thumbnail_path=thumb_key,
                file_type=item.content_type, file_size=len(item.data), width=item.width, height=item.height,
                alt_text=alt if item.width else None, related_to_type=area.key, related_to_id=row.id,
                is_public=False, uploaded_at=now + timedelta(microseconds=n),
            )
            db.session.add(media)
            added.append(media)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        delete_quietly(storage, written)
        raise
    return added


# --- changing -------------------------------------------------------------------------------

def set_alt_text(user: User, media: Media, text: str | None) -> Media:
    media.alt_text = clean_alt(text)
    db.session.commit()
    return media


def delete_media(user: User, media: Media) -> tuple[str | None, uuid.UUID | None]:
    """Delete one of the user's attachments (its files go after commit); returns the area key and
    row it was on."""
    where = (media.related_to_type, media.related_to_id)
    db.session.delete(media)
    db.session.commit()
    return where
