from flask import Blueprint, url_for

from manifest.areas import Area, register_area
from manifest.models import BlogEntry

bp = Blueprint("journal", __name__, url_prefix="/journal")
# Published public entries, readable without signing in at /u/<username>/...
public_bp = Blueprint("public", __name__, url_prefix="/u")

register_area(Area(
    key="blog_entry", label="Journal entries", model=BlogEntry,
    title=lambda entry: entry.title,
    url=lambda entry: url_for("journal.show", blog_entry_id=entry.id),
    sort_column=BlogEntry.created_at,
    search_columns=(BlogEntry.title, BlogEntry.excerpt, BlogEntry.content),
    attachments=True,
    summary=lambda entry: entry.excerpt or "",
))

from manifest.journal import routes, sources  # noqa: F401
