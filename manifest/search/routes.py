"""The search results page; the header box asks it for results as the user types."""

from flask import request
from flask_login import current_user, login_required

from manifest import htmx
from manifest.htmx import wants_fragment
from manifest.search import bp, services


@bp.get("/")
@login_required
def index():
    # Typing in the header swaps only the results into the page; a full load shows the whole page.
    quick = wants_fragment()
    results = services.search(
        current_user, request.args.get("q", ""), limit=services.QUICK_LIMIT if quick else services.PAGE_LIMIT,
    )
    return htmx.page("search/index.html", "content", results=results, quick=quick)
