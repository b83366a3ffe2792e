"""SQL building blocks every area's services share."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from manifest.extensions import db


def insert(target):
    """An INSERT that knows ON CONFLICT on the database in use (PostgreSQL or SQLite): races for a
    unique key are settled by the database in one statement."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(target)


def contains(column, text: str) -> sa.ColumnElement[bool]:
    """Case-insensitive "column contains text", where % and _ in the text match themselves."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.func.lower(column).like(f"%{escaped}%", escape="\\")
