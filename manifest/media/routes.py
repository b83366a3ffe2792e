"""Attachment pages and actions.

Uploads post to a row's attachments URL. Without JavaScript the form posts and redirects back
to the row's own page (303); media.js sends each file on its own with a progress bar and swaps
the attachments section it gets back. Files are served by ``file`` and ``thumbnail``, which
anyone may request but which answer 404 unless the viewer owns the file or it sits on a
published public journal entry.
"""

import uuid

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from manifest import htmx
from manifest.areas import user_row
from manifest.errors import render_error
from manifest.htmx import is_htmx
from manifest.media import bp, logic, services

ROW = "media/row.html"
GALLERY = "media/gallery.html"


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


def _row_page(area, row, status: int = 200, **context):
    items = services.attachments_of(current_user, area.key, row.id)
    context = {"error": None, "typed_alt": None, **context}
    return htmx.page(ROW, "attachments", status=status, area=area, row=row, items=items, **context)


@bp.get("/for/<area_key>/<uuid:row_id>")
@login_required
def row(area_key: str, row_id: uuid.UUID):
    area, row = services.attachable_row(current_user, area_key, row_id)
    return _row_page(area, row)


@bp.post("/for/<area_key>/<uuid:row_id>")
@login_required
def upload(area_key: str, row_id: uuid.UUID):
    # Ownership first: another user's row answers 404 whatever was sent.
    area, row = services.attachable_row(current_user, area_key, row_id)
    limit = current_app.config["MEDIA_MAX_BYTES"]
    # One byte past the limit is enough to know a file is too large, without holding all of it.
    uploads = [services.Upload(f.filename, f.stream.read(limit + 1)) for f in request.files.getlist("files")]
    alt = request.form.get("alt_text", "")
    try:
        added = services.add_attachments(current_user, area, row, uploads, alt)
    except services.TooLarge as error:
        abort(413, description=str(error))
    except services.MediaError as error:
        return _row_page(area, row, status=422, error=str(error), typed_alt=alt)
    message = f"{len(added)} file{'s' if len(added) != 1 else ''} attached."
    if not is_htmx():
        flash(message, "success")
        return redirect(_row_url(area, row), 303)
    return _row_page(area, row, notice=message)


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


def _back(area_key, row_id):
    """Back to where the form was: the gallery, or the row's attachments."""
    if request.form.get("view") == "gallery":
        return None
    area = services.get_area(area_key) if area_key else None
    if area is None or not area.attachments or row_id is None:
        return None
    try:
        return area, user_row(current_user, area, row_id)
    except NotFound:  # the row is gone: the gallery is the place to land
        return None


def _gallery_url() -> str:
    return url_for("media.gallery", area=request.form.get("area") or None, page=request.form.get("page") or None)


@bp.post("/<uuid:media_id>/delete")
@login_required
def delete(media_id: uuid.UUID):
    area_key, row_id = services.delete_media(current_user, media_id)
    back = _back(area_key, row_id)
    if not is_htmx():
        flash("Attachment deleted.", "success")
        return redirect(_row_url(*back) if back else _gallery_url(), 303)
    if back is None:  # from the gallery: its usage, counts and paging change with the item
        view = services.gallery(current_user, request.form.get("area"), request.form.get("page", type=int))
        return htmx.page(GALLERY, "media_gallery", view=view)
    return _row_page(*back, notice="Attachment deleted.")


@bp.post("/<uuid:media_id>/alt")
@login_required
def edit_alt(media_id: uuid.UUID):
    media = services.get_media(current_user, media_id)
    back = _back(media.related_to_type, media.related_to_id)
    text = request.form.get("alt_text", "")
    try:
        services.set_alt_text(current_user, media_id, text)
    except services.MediaError as error:
        if back is None:
            flash(str(error), "error")
            return redirect(_gallery_url(), 303)
        return _row_page(*back, status=422, error=str(error), alt_error_id=media_id, typed_alt=text)
    if not is_htmx() or back is None:
        flash("Description saved.", "success")
        return redirect(_row_url(*back) if back else _gallery_url(), 303)
    return _row_page(*back, notice="Description saved.")


@bp.get("/")
@login_required
def gallery():
    page = request.args.get("page", type=int)
    view = services.gallery(current_user, request.args.get("area"), page)
    return htmx.page(GALLERY, "media_gallery", view=view)
