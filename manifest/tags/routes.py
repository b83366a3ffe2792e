"""Tags: the tag list, one tag's page, and tagging the rows of every registered area.

A row's tag editor is a region of its own (tags/_input.html): it reloads itself from ``row``
when a tag changes anywhere else on the page (``tags-changed``).
"""

import uuid

from flask import render_template, request, url_for
from flask_login import current_user, login_required

from manifest import htmx
from manifest.auth.session import safe_next_url
from manifest.forms import FieldError
from manifest.models import Tag
from manifest.ownership import loads, owned
from manifest.tags import bp, services
from manifest.tags.forms import AddTagForm, ColorForm, MergeForm, RenameForm

ROW = "tags/row.html"
INDEX = "tags/index.html"
CHANGED = "tags-changed"


# --- tagging a row -------------------------------------------------------------------------

def _next() -> str | None:
    return safe_next_url(request.form.get("next") or request.args.get("next"))


def _editor(area_key: str, row_id: uuid.UUID, error: str | None = None, value: str = "", focus: bool = False):
    """What the row's tag editor shows. ``focus`` puts the cursor back in the tag field of a
    swapped-in editor, ready for the next tag. Without JavaScript the row's tag page keeps its own
    forms pointing back at itself (tags/row.html)."""
    area, row = services.owned_row(current_user, area_key, row_id)
    return {
        "area": area, "row": row, "tag_area": area_key, "tag_row_id": row_id,
        "tags": services.tags_for(current_user, area_key, [row_id])[row_id],
        "tag_error": error, "tag_value": value, "tag_focus": focus, "tag_next": _next(),
    }


@bp.get("/rows/<area_key>/<uuid:row_id>")
@login_required
def row(area_key: str, row_id: uuid.UUID):
    return htmx.page(ROW, "tag_editor", **_editor(area_key, row_id))


@bp.post("/rows/<area_key>/<uuid:row_id>")
@login_required
def add(area_key: str, row_id: uuid.UUID):
    form = AddTagForm()
    try:
        services.add_tag(current_user, area_key, row_id, form.command())
    except FieldError as error:
        return htmx.invalid(ROW, "tag_editor", **_editor(area_key, row_id, str(error), form.typed(), focus=True))
    context = _editor(area_key, row_id, focus=True)
    return htmx.done(_next() or context["area"].url(context["row"]), ROW, "tag_editor", events=CHANGED, **context)


@bp.post("/rows/<area_key>/<uuid:row_id>/<uuid:tag_id>/remove")
@login_required
@loads(tag=Tag)
def remove(area_key: str, row_id: uuid.UUID, tag: Tag):
    services.remove_tag(current_user, area_key, row_id, tag)
    context = _editor(area_key, row_id)
    return htmx.done(_next() or context["area"].url(context["row"]), ROW, "tag_editor", events=CHANGED, **context)


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

def _list(errors: dict | None = None, clash=None, notice: str | None = None) -> dict:
    return {"tags": services.list_tags(current_user), "errors": errors or {}, "clash": clash, "notice": notice}


def _changed(message: str):
    return htmx.done(url_for("tags.index"), INDEX, "tag_list", events=CHANGED, message=message,
                     **_list(notice=message))


@bp.get("/")
@login_required
def index():
    return htmx.page(INDEX, "tag_list", **_list())


@bp.post("/<uuid:tag_id>/rename")
@login_required
@loads(tag=Tag)
def rename(tag: Tag):
    try:
        services.rename_tag(current_user, tag, RenameForm().command())
    except services.TagClash as error:
        return htmx.invalid(INDEX, "tag_list", **_list({tag.id: str(error)}, clash=(tag.id, error.other)))
    except FieldError as error:
        return htmx.invalid(INDEX, "tag_list", **_list({tag.id: str(error)}))
    return _changed(f"Renamed to “{tag.name}”.")


@bp.post("/<uuid:tag_id>/color")
@login_required
@loads(tag=Tag)
def recolor(tag: Tag):
    try:
        services.recolor_tag(current_user, tag, ColorForm().command())
    except FieldError as error:
        return htmx.invalid(INDEX, "tag_list", **_list({tag.id: str(error)}))
    return _changed(f"“{tag.name}” recoloured.")


@bp.post("/<uuid:tag_id>/merge")
@login_required
@loads(tag=Tag)
def merge(tag: Tag):
    source = tag.name
    try:
        target = services.merge_tags(current_user, tag, owned(current_user, Tag, MergeForm().command()))
    except FieldError as error:
        return htmx.invalid(INDEX, "tag_list", **_list({tag.id: str(error)}))
    return _changed(f"“{source}” merged into “{target.name}”.")


@bp.post("/<uuid:tag_id>/delete")
@login_required
@loads(tag=Tag)
def delete(tag: Tag):
    name = services.delete_tag(current_user, tag)
    return _changed(f"Tag “{name}” deleted.")


# --- one tag -------------------------------------------------------------------------------

@bp.get("/<slug>")
@login_required
def show(slug: str):
    return render_template("tags/show.html", page=services.tag_page(current_user, slug))
