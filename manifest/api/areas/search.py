"""Search across every area, with the search box's query language."""

from marshmallow import fields

from manifest.api import core
from manifest.api.schemas import Schema
from manifest.search import services

blp = core.api_blueprint("search", "Search every area, as the search box does.")


class SearchArgs(Schema):
    q = fields.String(required=True, metadata={"description": 'Words, "a phrase", -excluded.', "maxLength": 200})


Hit = Schema.from_dict({
    "area": fields.String(required=True), "title": fields.String(required=True),
    "snippet": fields.String(required=True), "url": fields.String(required=True, metadata={"description": "The page."}),
}, name="SearchHit")
Results = Schema.from_dict({"items": fields.List(fields.Nested(Hit), required=True)}, name="SearchResults")


@blp.get("")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, Results)
def search(args):
    """Up to a page of the best matches per area (plain text; the page highlights them)."""
    results = services.search(core.user(), args["q"])
    return {"items": [
        {"area": group.area.key, "title": hit.title.striptags(), "snippet": hit.snippet.striptags(), "url": hit.url}
        for group in results.groups for hit in group.hits
    ]}
