"""Attachment pages and actions.

Uploads post to a row's attachments URL. Without JavaScript the form posts and redirects back
to the row's own page (303); media.js sends each file on its own with a progress bar and swaps
the attachments section it gets back. Files are served by ``file`` and ``thumbnail``, which
anyone may request but which answer 404 unless the viewer owns the file or it sits on a
published public journal entry.
"""

import uuid

from flask import abort, current_app, request, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from manifest import htmx
from manifest.areas import user_row
from manifest.errors import render_error
from manifest.forms import FieldError
from manifest.media import bp, logic, services
from manifest.media.forms import AltForm, GalleryPlace, UploadForm
from manifest.models import Media
from manifest.ownership import loads

ROW = "media/row.html"
GALLERY = "media/gallery.html"
CHANGED = "media-changed"


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(error):
    """Say what the limit is: the default "too large" leaves people guessing."""
    limit = logic.human_size(current_app.config["MEDIA_MAX_BYTES"])
    message = error.description if error.description != RequestEntityTooLarge.description else (
        f"That upload is too large: each file may be at most {limit}. "
        "Choose a smaller file, or send fewer files at once."
    )
    return render_error(413, message)


def _row_url(area, row) -> str:
    return f"{area.url(row)}#attachments-{area.key}-{row.id}"


def _row(area, row, **context) -> dict:
    """What a row's attachments section shows."""
    items = services.attachments_of(current_user, area.key, row.id)
    return {"area": area, "row": row, "items": items, "error": None, "typed_alt": None, **context}


@bp.get("/for/<area_key>/<uuid:row_id>")
@login_required
def row(area_key: str, row_id: uuid.UUID):
    return htmx.page(ROW, "attachments", **_row(*services.attachable_row(current_user, area_key, row_id)))


@bp.post("/for/<area_key>/<uuid:row_id>")
@login_required
def upload(area_key: str, row_id: uuid.UUID):
    # Ownership first: another user's row answers 404 whatever was sent.
    area, row = services.attachable_row(current_user, area_key, row_id)
    uploads, alt = UploadForm().command(current_app.config["MEDIA_MAX_BYTES"])
    try:
        added = services.add_attachments(current_user, area, row, uploads, alt)
    except services.TooLarge as error:
        abort(413, description=str(error))
    except FieldError as error:
        return htmx.invalid(ROW, "attachments", **_row(area, row, error=str(error), typed_alt=alt))
    message = f"{len(added)} file{'s' if len(added) != 1 else ''} attached."
    return htmx.done(_row_url(area, row), ROW, "attachments", events=CHANGED, message=message,
                     **_row(area, row, notice=message))


def _visible(media_id: uuid.UUID):
    viewer = current_user if current_user.is_authenticated else None
    return services.viewable_media(viewer, media_id)


def _send(media, key: str | None, content_type: str, *, thumbnail: bool):
    if not key:
        abort(404)
    from manifest.media.storage import StorageError, get_storage

    try:
        stream = get_storage().open(key)
    except (FileNotFoundError, StorageError):
        abort(404)
    image = logic.is_image(content_type)
    mimetype = content_type if content_type in logic.EXTENSIONS else "application/octet-stream"
    response = send_file(
        stream, mimetype=mimetype, as_attachment=not image,
        download_name=logic.download_name(media.file_name, content_type) if not thumbnail else None,
        conditional=False, etag=False, max_age=None,
    )
    # The type is ours, from the file's bytes: a browser must not guess another.
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<uuid:media_id>")
def file(media_id: uuid.UUID):
    media = _visible(media_id)
    return _send(media, media.file_path, media.file_type, thumbnail=False)


@bp.get("/<uuid:media_id>/thumbnail")
def thumbnail(media_id: uuid.UUID):
    media = _visible(media_id)
    thumb_type = "image/png" if (media.thumbnail_path or "").endswith(".png") else "image/jpeg"
    return _send(media, media.thumbnail_path, thumb_type, thumbnail=True)


def _back(media: Media):
    """Back to where the form was: the row's attachments, or None for the gallery."""
    area = services.get_area(media.related_to_type)
    if area is None or not area.attachments or media.related_to_id is None:
        return None
    try:
        return area, user_row(current_user, area, media.related_to_id)
    except NotFound:  # the row is gone: the gallery is the place to land
        return None


@bp.post("/<uuid:media_id>/delete")
@login_required
@loads(media=Media)
def delete(media: Media):
    place = GalleryPlace()
    back = None if place.from_gallery else _back(media)
    services.delete_media(current_user, media)
    message = "Attachment deleted."
    if back is None:  # from the gallery: its usage, counts and paging change with the item
        view = services.gallery(current_user, place.area.data, place.page_number())
        url = url_for("media.gallery", area=place.area.data or None, page=place.page.data or None)
        return htmx.done(url, GALLERY, "media_gallery", events=CHANGED, message=message, view=view)
    return htmx.done(_row_url(*back), ROW, "attachments", events=CHANGED, message=message,
                     **_row(*back, notice=message))


@bp.post("/<uuid:media_id>/alt")
@login_required
@loads(media=Media)
def edit_alt(media: Media):
    back = _back(media)
    text = AltForm().command()
    try:
        services.set_alt_text(current_user, media, text)
    except FieldError as error:
        if back is None:
            return htmx.refused(url_for("media.gallery"), str(error))
        return htmx.invalid(ROW, "attachments", **_row(*back, error=str(error), alt_error_id=media.id, typed_alt=text))
    if back is None:
        return htmx.go(url_for("media.gallery"), "Description saved.", events=CHANGED)
    return htmx.done(_row_url(*back), ROW, "attachments", events=CHANGED, message="Description saved.",
                     **_row(*back, notice="Description saved."))


@bp.get("/")
@login_required
def gallery():
    page = request.args.get("page", type=int)
    view = services.gallery(current_user, request.args.get("area"), page)
    return htmx.page(GALLERY, "media_gallery", view=view)
