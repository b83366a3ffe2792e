"""The full-text indexes: built by migration 0007 on PostgreSQL only, used by the search query,
and invisible to `flask db check` (which the migration tests run on both engines)."""

import sqlalchemy as sa

from manifest.areas import AREAS, SEARCH_AREAS
from manifest.extensions import db
from manifest.search import services
from tests.db.helpers import postgres_only
from tests.tags.support import make_habit

MIGRATION = __import__("importlib").import_module("migrations.versions.0007_search_indexes")
EXERCISES = __import__("importlib").import_module("migrations.versions.0015_search_exercises")
# Every index the migrations build, by table.
SEARCH_COLUMNS = {**MIGRATION.SEARCH_COLUMNS, **EXERCISES.SEARCH_COLUMNS}


def test_registered_columns_match_the_migration(app):
    """The query's expression must be the index's, column for column, or the index goes unused."""
    checked = 0
    for area in [*AREAS.values(), *SEARCH_AREAS.values()]:
        if area.search_columns:
            table = area.model.__tablename__
            assert tuple(c.key for c in area.search_columns) == SEARCH_COLUMNS[table], table
            checked += 1
    assert checked >= 3  # habits and goals at least: the registry is filled by create_app


def test_sqlite_has_no_search_index(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        names = {i["name"] for t in SEARCH_COLUMNS for i in sa.inspect(db.engine).get_indexes(t)}
        assert not any(name.endswith("_search") for name in names)


@postgres_only
def test_postgres_has_one_gin_index_per_table(app):
    with app.app_context():
        for table, columns in SEARCH_COLUMNS.items():
            definition = db.session.scalar(
                sa.text("select indexdef from pg_indexes where indexname = :n"), {"n": f"ix_{table}_search"}
            )
            assert definition and "USING gin" in definition, table
            for column in columns:
                assert column in definition


@postgres_only
def test_postgres_search_uses_the_index(app, user):
    """The query's document expression is the index's: with sequential scans off, each area's
    full-text condition is answered from its GIN index."""
    for n in range(20):
        make_habit(app, user["id"], f"Habit {n}", description="text")
    with app.app_context():
        db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        for area in services.searchable_areas():
            table = area.model.__table__
            if tuple(c.key for c in area.search_columns) != SEARCH_COLUMNS.get(table.name):
                continue  # test_registered_columns_match_the_migration names it
            condition = services.document(area.search_columns).op("@@")(
                sa.func.websearch_to_tsquery(sa.literal_column("'english'"), "habit")
            )
            sql = sa.select(table.c.id).where(condition).compile(db.engine, compile_kwargs={"literal_binds": True})
            plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN {sql}")))
            assert f"ix_{table.name}_search" in plan, plan
        db.session.rollback()


@postgres_only
def test_the_migration_downgrades_and_upgrades_cleanly(tmp_path):
    from flask_migrate import downgrade, upgrade

    from tests.db.test_db_migrations import check_models_match_schema, scratch_app

    def search_indexes() -> set[str]:
        return set(db.session.scalars(sa.text("select indexname from pg_indexes where indexname like '%\\_search'")))

    expected = {f"ix_{table}_search" for table in SEARCH_COLUMNS}
    with scratch_app("postgresql", tmp_path) as app, app.app_context():
        upgrade()
        assert search_indexes() == expected
        check_models_match_schema()  # the indexes are the migrations', and autogenerate leaves them be
        downgrade(revision=EXERCISES.down_revision)
        assert search_indexes() == expected - {"ix_workout_exercises_search"}
        downgrade(revision="0006_media_thumbnails")
        assert search_indexes() == set()
        upgrade()
        assert search_indexes() == expected
        check_models_match_schema()
        db.session.remove()
