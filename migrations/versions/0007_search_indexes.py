"""Full-text search indexes (PostgreSQL only)

Revision ID: 0007_search_indexes
Revises: 0006_media_thumbnails
Create Date: 2026-11-24 21:05:00.000000

One GIN expression index per searchable table. The expression must stay identical to the one
manifest.search.services builds from the area's ``search_columns`` (same columns, same order),
or PostgreSQL cannot use the index. SQLite searches with LIKE and gets no index.

The indexes live only here, not in the models: SQLite has no such index, so declaring them would
make ``flask db check`` report them missing there (see tests/search/test_migration.py).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_search_indexes'
down_revision = '0006_media_thumbnails'
branch_labels = None
depends_on = None

# A copy, not an import: a migration must keep meaning what it meant when it landed.
SEARCH_COLUMNS = {
    "habits": ("name", "description", "category"),
    "goals": ("title", "description", "category"),
    "blog_entries": ("title", "excerpt", "content"),
    "workouts": ("workout_name", "workout_type", "location", "notes"),
    "foods": ("food_name", "portion_size", "notes"),
    "daily_reviews": (
        "accomplishments", "challenges", "lessons_learned", "gratitude", "tomorrow_intentions", "highlights",
    ),
}


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
