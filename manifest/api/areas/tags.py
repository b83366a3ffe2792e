"""Tags, and tagging any row of a taggable area (habit, goal, food, workout, daily_review, blog_entry)."""

import uuid

import sqlalchemy as sa
from marshmallow import fields

from manifest.api import core
from manifest.api.schemas import (
    PageArgs,
    Schema,
    form_schema,
    model_schema,
    page_schema,
)
from manifest.models import TAGGABLE_TYPES, Tag
from manifest.ownership import owned
from manifest.tags import services
from manifest.tags.forms import AddTagForm

blp = core.api_blueprint("tags", "Your tags, and the tags of any row.")

TagOut = model_schema(Tag, "Tag")
TagPage = page_schema(TagOut, "TagPage")
TagIn = form_schema(AddTagForm, "TagIn", exclude=("pick",), overrides={
    "name": fields.String(required=True, metadata={"maxLength": 50, "description": "Made when you have no tag by that name."}),
})
RowTags = Schema.from_dict({"tags": fields.List(fields.Nested(TagOut), required=True)}, name="RowTags")
AREA_DOC = {"description": "The kind of row: " + ", ".join(TAGGABLE_TYPES) + "."}


def _row_tags(area_key: str, row_id: uuid.UUID) -> dict:
    services.owned_row(core.user(), area_key, row_id)
    return {"tags": services.tags_for(core.user(), area_key, [row_id])[row_id]}


@blp.get("")
@blp.arguments(PageArgs, location="query")
@blp.response(200, TagPage)
def list_tags(args):
    statement = sa.select(Tag).where(Tag.user_id == core.user().id)
    return core.page(statement, [Tag.slug, Tag.id], args, "api_tags.list_tags", descending=False)


@blp.get("/rows/<area_key>/<uuid:row_id>")
@blp.response(200, RowTags)
@blp.doc(parameters=[{"in": "path", "name": "area_key", "schema": {"type": "string", "enum": list(TAGGABLE_TYPES)}}])
def row_tags(area_key, row_id):
    return _row_tags(area_key, row_id)


@blp.post("/rows/<area_key>/<uuid:row_id>")
@blp.arguments(TagIn)
@blp.response(200, RowTags)
@blp.doc(parameters=[{"in": "path", "name": "area_key", "schema": {"type": "string", "enum": list(TAGGABLE_TYPES)}}])
def tag_row(data, area_key, row_id):
    """Tag a row; a tag it already has changes nothing."""
    name = core.bind(AddTagForm, data).command()
    core.run(lambda: services.add_tag(core.user(), area_key, row_id, name), rename={None: "name"})
    return _row_tags(area_key, row_id)


@blp.delete("/rows/<area_key>/<uuid:row_id>/<uuid:tag_id>")
@blp.response(200, RowTags)
@blp.doc(parameters=[{"in": "path", "name": "area_key", "schema": {"type": "string", "enum": list(TAGGABLE_TYPES)}}])
def untag_row(area_key, row_id, tag_id):
    tag = owned(core.user(), Tag, tag_id)
    services.remove_tag(core.user(), area_key, row_id, tag)
    return _row_tags(area_key, row_id)
