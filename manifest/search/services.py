"""The header search over every registered area that has ``search_columns``; one query per area,
always scoped to the owner (the first argument).

PostgreSQL: full-text search with the websearch syntax, ranked. The document expression is built
from the area's ``search_columns`` in order and must stay identical to the expression index of
migration 0007, or the index is not used. SQLite: a case-insensitive LIKE over the same columns.
"""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from manifest import queries
from manifest.areas import AREAS, SEARCH_AREAS, Area
from manifest.extensions import db
from manifest.models import User
from manifest.search import logic
from manifest.search.pages import Group, Results, hit

# Rows per area: a handful while typing, more on the results page.
QUICK_LIMIT = 5
PAGE_LIMIT = 30


def document(columns) -> sa.ColumnElement:
    """to_tsvector('english', coalesce(c1, '') || ' ' || coalesce(c2, '') ...): the index's expression.

    Constants are literal SQL, not bound parameters, so the planner sees the very expression
    the index was built on whatever the driver does with parameters.
    """
    empty, space = sa.literal_column("''"), sa.literal_column("' '")
    parts = [sa.func.coalesce(column, empty) for column in columns]
    text = parts[0]
    for part in parts[1:]:
        text = text.op("||")(space).op("||")(part)
    return sa.func.to_tsvector(sa.literal_column("'english'"), text)


def searchable_areas() -> list[Area]:
    return [*(area for area in AREAS.values() if area.search_columns), *SEARCH_AREAS.values()]


def _owned(area: Area, user: User) -> sa.Select:
    """The user's rows of an area: by their own user_id, or their parent's (loaded with them)."""
    if area.owned_through is None:
        return sa.select(area.model).where(area.model.user_id == user.id)
    parent = area.owned_through.property.mapper.class_
    return (
        sa.select(area.model).join(area.owned_through).where(parent.user_id == user.id)
        .options(contains_eager(area.owned_through))
    )


def _like_any(columns, term: str) -> sa.ColumnElement:
    return sa.or_(*(queries.contains(sa.func.coalesce(c, ""), term) for c in columns))


def _query(area: Area, user: User, query: logic.Query, limit: int, postgres: bool) -> sa.Select:
    model, columns = area.model, area.search_columns
    select = _owned(area, user)
    if postgres:
        tsquery = sa.func.websearch_to_tsquery(sa.literal_column("'english'"), query.text)
        doc = document(columns)
        # A query of exclusions only ("the -walk": "the" is a stop word) would match every row
        # without "walk"; querytree() says 'T' for it, and it finds nothing instead.
        return (
            select.where(doc.op("@@")(tsquery), sa.func.querytree(tsquery) != sa.literal_column("'T'"))
            .order_by(sa.func.ts_rank(doc, tsquery).desc(), area.sort_column.desc(), model.id)
            .limit(limit + 1)
        )
    # SQLite lower() folds ASCII only; good enough for the embedded default.
    for term in query.terms:
        select = select.where(_like_any(columns, term))
    for term in query.excluded:
        select = select.where(sa.not_(_like_any(columns, term)))
    return select.order_by(area.sort_column.desc(), model.id).limit(limit + 1)


def search(user: User, raw: str | None, *, limit: int = PAGE_LIMIT) -> Results:
    """The user's rows matching ``raw``, grouped by area (in registry order), best first within each."""
    query = logic.parse_query(raw)
    results = Results(query)
    if not query.searchable:
        return results
    postgres = db.session.get_bind().dialect.name == "postgresql"
    terms = logic.highlight_terms(query)
    for area in searchable_areas():
        rows = list(db.session.scalars(_query(area, user, query, limit, postgres)))
        if rows:
            results.groups.append(Group(area, [hit(area, row, terms) for row in rows[:limit]], len(rows) > limit))
    return results
