"""The connection: which server, how the pool behaves, how URLs and environment settings are read."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from config import BASE_DIR, engine_options, normalise_database_url
from manifest import create_app
from manifest.extensions import db
from tests.conftest import ManifestClient, make_config
from tests.db.helpers import ON_POSTGRES, TEST_URL, postgres_only

POSTGRES_URL = "postgresql+psycopg2://app:secret@db.example.com:5432/manifest"
SQLITE_URL = "sqlite:////var/lib/manifest/manifest.db"
OVERRIDES = {
    "DB_POOL_SIZE": "7",
    "DB_MAX_OVERFLOW": "3",
    "DB_POOL_RECYCLE": "600",
    "DB_POOL_TIMEOUT": "2",
    "DB_CONNECT_TIMEOUT": "9",
    "DB_STATEMENT_TIMEOUT_MS": "1500",
}


def test_connects_to_the_configured_server(app):
    with app.app_context(), db.engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT 1")) == 1
        if ON_POSTGRES:
            assert (db.engine.dialect.name, db.engine.dialect.driver) == ("postgresql", "psycopg2")
            version = conn.scalar(sa.text("SHOW server_version"))
            assert version.split(".")[0] == "15", version
        else:
            # The SQLite version is whatever Python ships; only the dialect is asserted.
            assert db.engine.dialect.name == "sqlite"
            assert TEST_URL == ""


def test_live_engine_has_the_default_pool_and_timeouts(app):
    with app.app_context():
        engine = db.engine
        pool = engine.pool
        assert isinstance(pool, sa.pool.QueuePool)
        assert (pool.size(), pool._max_overflow, pool._pre_ping, pool._recycle, pool._timeout) == (5, 10, True, 1800, 10)
        with engine.connect() as conn:
            if ON_POSTGRES:
                assert conn.scalar(sa.text("SHOW statement_timeout")) == "5s"
                assert conn.scalar(sa.text("SHOW application_name")) == "manifest"
                assert conn.connection.dbapi_connection.get_dsn_parameters()["connect_timeout"] == "5"
            else:
                # sqlite3's timeout is its busy timeout: how long a writer waits for the lock.
                assert conn.scalar(sa.text("PRAGMA busy_timeout")) == 5000


def test_defaults_without_environment(monkeypatch):
    for name in OVERRIDES:
        monkeypatch.delenv(name, raising=False)
    assert engine_options(POSTGRES_URL) == {
        "pool_size": 5,
        "max_overflow": 10,
        "pool_pre_ping": True,
        "pool_recycle": 1800,
        "pool_timeout": 10,
        "connect_args": {
            "connect_timeout": 5,
            "options": "-c statement_timeout=5000",
            "application_name": "manifest",
        },
    }
    assert engine_options(SQLITE_URL)["connect_args"] == {"timeout": 5}


def test_environment_overrides_every_setting(monkeypatch):
    for name, value in OVERRIDES.items():
        monkeypatch.setenv(name, value)
    options = engine_options(POSTGRES_URL)
    assert (options["pool_size"], options["max_overflow"], options["pool_recycle"], options["pool_timeout"]) == (
        7, 3, 600, 2)
    assert options["pool_pre_ping"] is True
    assert options["connect_args"]["connect_timeout"] == 9
    assert options["connect_args"]["options"] == "-c statement_timeout=1500"
    assert engine_options(SQLITE_URL)["connect_args"] == {"timeout": 9}


def test_empty_environment_values_fall_back_to_defaults(monkeypatch):
    monkeypatch.setenv("DB_POOL_SIZE", "")
    assert engine_options(POSTGRES_URL)["pool_size"] == 5


def test_overrides_reach_the_live_engine(app, monkeypatch):
    for name, value in OVERRIDES.items():
        monkeypatch.setenv(name, value)
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    tuned = create_app(make_config(url))
    with tuned.app_context():
        pool = db.engine.pool
        try:
            assert (pool.size(), pool._max_overflow, pool._recycle, pool._timeout) == (7, 3, 600, 2)
            with db.engine.connect() as conn:
                if ON_POSTGRES:
                    assert conn.scalar(sa.text("SHOW statement_timeout")) == "1500ms"
                else:
                    assert conn.scalar(sa.text("PRAGMA busy_timeout")) == 9000
        finally:
            db.engine.dispose()


@postgres_only
def test_statement_timeout_stops_a_runaway_query(app, monkeypatch):
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "200")
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    tuned = create_app(make_config(url))
    with tuned.app_context():
        try:
            with db.engine.connect() as conn, pytest.raises(sa.exc.OperationalError, match="statement timeout"):
                conn.execute(sa.text("SELECT pg_sleep(5)"))
        finally:
            db.engine.dispose()


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://u:p@host:5432/db", "postgresql+psycopg2://u:p@host:5432/db"),
    ("postgresql://u:p@host/db?sslmode=require", "postgresql+psycopg2://u:p@host/db?sslmode=require"),
    ("postgresql+psycopg2://u@host/db", "postgresql+psycopg2://u@host/db"),
    ("sqlite:////srv/manifest.db", "sqlite:////srv/manifest.db"),
    ("", None),
    (None, None),
])
def test_normalise_database_url(given, expected):
    assert normalise_database_url(given) == expected


def test_config_reads_a_platform_postgres_url_from_the_environment():
    # Config is evaluated at import time, so a fresh interpreter sees the variable as a deployment would.
    code = "import config; print(config.Config.SQLALCHEMY_DATABASE_URI); print(config.Config.SQLALCHEMY_ENGINE_OPTIONS['connect_args']['application_name'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://app:secret@db.example.com:5432/manifest"},
    )
    assert result.stdout.split() == ["postgresql+psycopg2://app:secret@db.example.com:5432/manifest", "manifest"]


@postgres_only
def test_a_page_stopped_by_the_statement_timeout_says_so(app, user, monkeypatch):
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "200")
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    tuned = create_app(make_config(url))
    tuned.test_client_class = ManifestClient

    @tuned.get("/slow-for-test")
    def slow():
        db.session.execute(sa.text("SELECT pg_sleep(5)"))
        return "never"

    try:
        client = tuned.test_client()
        client.login(user["email"])
        response = client.get("/slow-for-test")
        page = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "took too long" in page and "cannot be reached" not in page
    finally:
        with tuned.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:"])
def test_an_in_memory_database_is_refused_at_start_up_with_the_reason(url, monkeypatch):
    # Each process and connection would get an empty database of its own; a TypeError about pool
    # arguments used to be all a user saw.
    monkeypatch.setenv("DATABASE_URL", url)
    start = "from config import config_from_env; from manifest import create_app; create_app(config_from_env())"
    result = subprocess.run(
        [sys.executable, "-c", start], check=False, cwd=BASE_DIR, capture_output=True, text=True, timeout=120,
        env={**os.environ, "APP_ENV": "development"},
    )
    assert result.returncode != 0
    assert "keeps the database in memory" in result.stderr
    assert "TypeError" not in result.stderr
    assert engine_options(url) == {}
