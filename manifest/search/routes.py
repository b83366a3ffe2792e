"""The search results page; the header box asks it for results as the user types."""

from flask import request
from flask_login import current_user, login_required

from manifest import htmx
from manifest.search import bp, services


@bp.get("/")
@login_required
def index():
    # Typing in the header swaps only the results into the page, fewer of them; a full load shows the
    # whole page.
    def results(quick: bool) -> dict:
        limit = services.QUICK_LIMIT if quick else services.PAGE_LIMIT
        return {"results": services.search(current_user, request.args.get("q", ""), limit=limit), "quick": quick}

    return htmx.page("search/index.html", "content", context_for=results)
