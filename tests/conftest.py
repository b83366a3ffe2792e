"""Shared fixtures: one app and schema per run, a clean database per test, one client per identity."""

import os
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer

from config import TestConfig, engine_options, normalise_database_url
from manifest import create_app
from manifest.auth import services as auth_services
from manifest.extensions import db

HX = {"HX-Request": "true"}
PASSWORD = "correct horse battery"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")
    config.addinivalue_line("markers", "postgres: needs PostgreSQL (TEST_DATABASE_URL)")


def test_database_url(tmp_dir: Path) -> str:
    return normalise_database_url(os.environ.get("TEST_DATABASE_URL")) or f"sqlite:///{tmp_dir / 'test.db'}"


def make_config(url: str, **overrides):
    return type("Config", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url), **overrides,
    })


class ManifestClient(FlaskClient):
    """A test client that sends a valid CSRF token with unsafe requests unless told ``csrf=False``.

    The token is made the way Flask-WTF makes it, from the raw value in this client's session.
    """

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def open(self, *args, csrf: bool = True, **kwargs):
        if csrf and kwargs.get("method", "GET").upper() in UNSAFE_METHODS:
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def login(self, identifier: str, password: str = PASSWORD):
        response = self.post("/login", data={"identifier": identifier, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response


def reset_database(engine: sa.Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(make_config(test_database_url(tmp_path_factory.mktemp("db"))))
    app.test_client_class = ManifestClient
    with app.app_context():
        reset_database(db.engine)
        upgrade()
    return app


@pytest.fixture(autouse=True)
def _push_request_context():
    """Replaces pytest-flask's fixture of this name, which holds one request context for the whole
    test: Flask-Login and Flask-WTF keep per-request state in ``g``, and a shared context hides bugs."""
    yield


@pytest.fixture(autouse=True)
def clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    empty_database(request.getfixturevalue("app"))


def empty_database(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables)]
        # A browser test can end while the live server still answers one of the page's own requests
        # (the bell's first count, the service worker fetching the app shell). Such a request reads
        # a table the TRUNCATE has locked while holding one it still needs: PostgreSQL ends one of
        # the two as a deadlock. The request's answer no longer matters; the cleaning is tried again.
        for attempt in range(5):
            try:
                _empty_tables(tables)
                break
            except sa.exc.OperationalError as error:
                if getattr(error.orig, "pgcode", None) != "40P01" or attempt == 4:
                    raise
                time.sleep(0.2)


def _empty_tables(tables) -> None:
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("TRUNCATE " + ", ".join(t.name for t in tables) + " CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    """A fresh anonymous client. pytest-flask's own fixture keeps the last request's context pushed
    (``with app.test_client()``), so any other client in the same test would share its ``g`` and
    with it the logged-in user."""
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create an account directly through the service; returns its id, email and username."""

    def make(username: str = "ana", *, password: str = PASSWORD, timezone: str = "UTC", email: str | None = None):
        with app.app_context():
            user = auth_services.register(email or f"{username}@example.com", username, password, timezone)
            return {"id": user.id, "email": user.email, "username": user.username}

    return make


@pytest.fixture
def user(make_user):
    return make_user("ana")


def calm_zone() -> str:
    """A zone where midnight is hours away, so "today" cannot change while a test runs."""
    return next(z for z in ("UTC", "Asia/Tokyo") if 1 <= datetime.now(ZoneInfo(z)).hour <= 22)


@pytest.fixture
def calm_user(make_user):
    """The user "ana" in a calm zone (its name under "zone"), for tests that depend on today."""
    zone = calm_zone()
    return {**make_user("ana", timezone=zone), "zone": zone}


@pytest.fixture
def calm_today(calm_user) -> date:
    return datetime.now(ZoneInfo(calm_user["zone"])).date()


@pytest.fixture
def other_user(make_user):
    return make_user("ben")


@pytest.fixture
def auth_client(app, user):
    client = app.test_client()
    client.login(user["email"])
    return client


@pytest.fixture
def other_client(app, other_user):
    client = app.test_client()
    client.login(other_user["email"])
    return client


# Statements for the Today page, the login check included: habits (board), goals, the day's review,
# meals and workouts, two for 'on this day' and the recent weigh-ins. The same whatever the amount of history.
TODAY_QUERY_LIMIT = 12


def shows_number(text: str, number: int) -> bool:
    """Whether a page shows the number as a figure; ids and tokens that merely contain its digits
    (a random UUID holds "777" now and then) do not count."""
    return re.search(rf"(?<![\w.-]){number}(?![\w-])", text) is not None


@contextmanager
def counted_statements(app) -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the block runs."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def fire(clients, requests) -> list:
    """Send request i from client i, all released at once; returns each status or exception."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def worker(i: int) -> None:
        url, data = requests[i]
        try:
            barrier.wait(timeout=30)
            results[i] = clients[i].post(url, data=data, headers=HX).status_code
        except Exception as error:  # noqa: BLE001  (any failure is reported by the caller's assertion)
            results[i] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
