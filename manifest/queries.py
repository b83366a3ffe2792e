"""SQL building blocks every area's services share."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from manifest.extensions import db


def insert(target):
    """An INSERT that knows ON CONFLICT on the database in use (PostgreSQL or SQLite): races for a
    unique key are settled by the database in one statement."""
    return insert_for(db.session.get_bind().dialect.name, target)


def insert_for(dialect_name: str, target):
    """``insert`` for a named dialect, for statements built once and reused."""
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(target)


def contains(column, text: str) -> sa.ColumnElement[bool]:
    """Case-insensitive "column contains text", where % and _ in the text match themselves."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.func.lower(column).like(f"%{escaped}%", escape="\\")


def commit_keeping_loaded() -> None:
    """Commit without expiring the objects in the session, for an answer rendered from rows this
    transaction just wrote (or read under a lock): they are current, and expiring them would cost
    a reload on every click."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
