"""Full-text search index over workout exercises (PostgreSQL only)

Revision ID: 0015_search_exercises
Revises: 0014_measurements
Create Date: 2026-12-05 11:30:00.000000

The header search finds exercises ("bench press") as well as workouts. Like the indexes of
0007_search_indexes, the expression must stay identical to the one manifest.search.services builds
from the exercises' ``search_columns`` (same columns, same order); SQLite searches with LIKE.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_search_exercises'
down_revision = '0014_measurements'
branch_labels = None
depends_on = None

# A copy, not an import: a migration must keep meaning what it meant when it landed.
SEARCH_COLUMNS = {"workout_exercises": ("exercise_name", "notes")}


def index_name(table: str) -> str:
    return f"ix_{table}_search"


def document(columns) -> str:
    return "to_tsvector('english', " + " || ' ' || ".join(f"coalesce({c}, '')" for c in columns) + ")"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in SEARCH_COLUMNS.items():
        op.execute(f"CREATE INDEX {index_name(table)} ON {table} USING gin ({document(columns)})")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in SEARCH_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS {index_name(table)}")
