"""Tags: the tag list, one tag's page, and tagging the rows of every registered area."""

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from manifest import htmx
from manifest.auth.session import safe_next_url
from manifest.htmx import is_htmx, wants_fragment
from manifest.tags import bp, services
from manifest.tags.logic import TagError

INPUT_TEMPLATE = "tags/_input.html"
INDEX_TEMPLATE = "tags/index.html"


# --- tagging a row -------------------------------------------------------------------------

def _next() -> str | None:
    return safe_next_url(request.form.get("next") or request.args.get("next"))


def _back(area, row) -> str:
    return _next() or area.url(row)


def _editor(area_key: str, row_id: uuid.UUID, error: str | None = None, value: str = "", status: int = 200,
            focus: bool = False):
    """The row's tag editor: the partial for htmx, the row's own tag page otherwise. ``focus`` puts
    the cursor back in the tag field of a swapped-in editor, ready for the next tag."""
    area, row = services.owned_row(current_user, area_key, row_id)
    tags = services.tags_for(current_user, area_key, [row_id])[row_id]
    context = {
        "tag_area": area_key, "tag_row_id": row_id, "tags": tags, "tag_error": error, "tag_value": value,
        "tag_focus": focus,
    }
    if wants_fragment():
        return render_template(INPUT_TEMPLATE, tag_next=_next(), **context), status
    # Without JavaScript the row's tag page keeps its own forms pointing back at itself.
    return render_template("tags/row.html", area=area, row=row, tag_next=None, **context), status


@bp.get("/rows/<area_key>/<uuid:row_id>")
@login_required
def row(area_key: str, row_id: uuid.UUID):
    return _editor(area_key, row_id)


@bp.post("/rows/<area_key>/<uuid:row_id>")
@login_required
def add(area_key: str, row_id: uuid.UUID):
    # A picked suggestion is a button of its own, so a half-typed name does not override it.
    name = request.form.get("pick") or request.form.get("name", "")
    try:
        services.add_tag(current_user, area_key, row_id, name)
    except TagError as error:
        return _editor(area_key, row_id, error=str(error), value=name[:100], status=422, focus=True)
    if is_htmx():
        return _editor(area_key, row_id, focus=True)
    return redirect(_back(*services.owned_row(current_user, area_key, row_id)), 303)


@bp.post("/rows/<area_key>/<uuid:row_id>/<uuid:tag_id>/remove")
@login_required
def remove(area_key: str, row_id: uuid.UUID, tag_id: uuid.UUID):
    services.remove_tag(current_user, area_key, row_id, tag_id)
    if is_htmx():
        return _editor(area_key, row_id)
    return redirect(_back(*services.owned_row(current_user, area_key, row_id)), 303)


@bp.get("/rows/<area_key>/<uuid:row_id>/suggest")
@login_required
def suggest(area_key: str, row_id: uuid.UUID):
    services.owned_row(current_user, area_key, row_id)
    text = request.args.get("name", "")
    present = services.tags_for(current_user, area_key, [row_id])[row_id]
    found = services.suggest(current_user, text, exclude=[t.id for t in present])
    typed = " ".join(text.split())[:50]
    exact = any(t.name.casefold() == typed.casefold() for t in [*found, *present])
    return render_template(
        "tags/_suggestions.html", suggestions=found, typed=typed, offer_new=bool(typed) and not exact,
        tag_area=area_key, tag_row_id=row_id,
    )


# --- the tag list --------------------------------------------------------------------------

def _index(errors: dict | None = None, clash=None, message: str | None = None, status: int = 200):
    return htmx.page(
        INDEX_TEMPLATE, "tag_list", tags=services.list_tags(current_user), errors=errors or {}, clash=clash,
        message=message, status=status,
    )


def _done(message: str):
    if wants_fragment():
        return _index(message=message)
    flash(message, "success")
    return redirect(url_for("tags.index"), 303)


@bp.get("/")
@login_required
def index():
    return _index()


@bp.post("/<uuid:tag_id>/rename")
@login_required
def rename(tag_id: uuid.UUID):
    try:
        tag = services.rename_tag(current_user, tag_id, request.form.get("name", ""))
    except services.TagClash as error:
        return _index({tag_id: str(error)}, clash=(tag_id, error.other), status=422)
    except TagError as error:
        return _index({tag_id: str(error)}, status=422)
    return _done(f"Renamed to “{tag.name}”.")


@bp.post("/<uuid:tag_id>/color")
@login_required
def recolor(tag_id: uuid.UUID):
    try:
        tag = services.recolor_tag(current_user, tag_id, request.form.get("color"))
    except TagError as error:
        return _index({tag_id: str(error)}, status=422)
    return _done(f"“{tag.name}” recoloured.")


@bp.post("/<uuid:tag_id>/merge")
@login_required
def merge(tag_id: uuid.UUID):
    try:
        into = uuid.UUID(request.form.get("into", ""))
    except ValueError:
        services.get_tag(current_user, tag_id)
        return _index({tag_id: "Pick a tag to merge into."}, status=422)
    source = services.get_tag(current_user, tag_id).name
    try:
        target = services.merge_tags(current_user, tag_id, into)
    except TagError as error:
        return _index({tag_id: str(error)}, status=422)
    return _done(f"“{source}” merged into “{target.name}”.")


@bp.post("/<uuid:tag_id>/delete")
@login_required
def delete(tag_id: uuid.UUID):
    name = services.delete_tag(current_user, tag_id)
    return _done(f"Tag “{name}” deleted.")


# --- one tag -------------------------------------------------------------------------------

@bp.get("/<slug>")
@login_required
def show(slug: str):
    return render_template("tags/show.html", page=services.tag_page(current_user, slug))
