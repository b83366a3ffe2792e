"""A backup taken with pg_dump restores into a fresh database with every row intact (docs/backup-restore-check.sh)."""

import subprocess
from datetime import UTC, datetime

import sqlalchemy as sa

from config import BASE_DIR
from manifest.extensions import db
from manifest.models import JobRun, LoginFailure
from tests.db.helpers import (
    populate,
    postgres_only,
    require_pg_tools,
    scratch_postgres_database,
)

SCRIPT = BASE_DIR / "docs" / "backup-restore-check.sh"


def run_check(*args):
    return subprocess.run(["bash", str(SCRIPT), *args], check=False, capture_output=True, text=True, timeout=120)


def all_rows(url: str) -> dict[str, list[tuple]]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return {
                table.name: conn.execute(sa.select(table).order_by(table.c.id)).all()
                for table in db.metadata.sorted_tables
            } | {"alembic_version": conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()}
    finally:
        engine.dispose()


@postgres_only
def test_backup_restores_identically(app, make_user, tmp_path):
    require_pg_tools()
    with app.app_context():
        for name in ("ana", "ben"):
            populate(make_user(name)["id"])
        db.session.add(LoginFailure(scope="address", key="203.0.113.7"))
        db.session.add(JobRun(name="reminders", last_run_at=datetime(2024, 3, 1, 7, tzinfo=UTC)))
        db.session.commit()
        source_url = db.engine.url.render_as_string(hide_password=False)
    dump_file = tmp_path / "manifest.dump"

    with scratch_postgres_database() as target_url:
        result = run_check(source_url, target_url, str(dump_file))

        assert result.returncode == 0, result.stderr
        assert "rows identical" in result.stdout
        assert dump_file.stat().st_size > 0
        source, restored = all_rows(source_url), all_rows(target_url)
        assert all(source[table] for table in source), "every table should hold rows to compare"
        assert restored == source


@postgres_only
def test_check_refuses_a_target_that_is_not_empty(app, user):
    require_pg_tools()
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
        before = all_rows(url)

    result = run_check(url, url)

    assert result.returncode == 1
    assert "not empty" in result.stderr
    assert all_rows(url) == before


def test_check_explains_its_usage():
    result = run_check("postgresql://only-one-url")
    assert result.returncode == 2
    assert "SOURCE_URL" in result.stderr
