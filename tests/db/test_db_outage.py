"""A database that is down answers 503 pages; one that comes back is used again without a restart."""

import psycopg2
import pytest
import sqlalchemy as sa

from manifest import create_app
from manifest.extensions import db
from tests.conftest import HX, PASSWORD, ManifestClient, make_config
from tests.db.helpers import TEST_URL, postgres_only

UNAVAILABLE = "The database cannot be reached right now."
# Nothing listens on port 1, so every connection attempt is refused.
UNREACHABLE_URL = "postgresql+psycopg2://postgres@127.0.0.1:1/manifest"


@pytest.fixture
def down_app(monkeypatch):
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "1")
    app = create_app(make_config(UNREACHABLE_URL))
    app.test_client_class = ManifestClient
    return app


@pytest.fixture
def signed_in_cookie(auth_client):
    """The session cookie of a signed-in user, valid for any app sharing the secret key."""
    return auth_client.get_cookie("session").value


def assert_unavailable_page(response, *, htmx: bool):
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert UNAVAILABLE in page
    assert "Traceback" not in page and "OperationalError" not in page
    if htmx:
        assert response.headers["HX-Retarget"] == "#flashes"
        assert "<html" not in page
    else:
        assert "<html" in page and "Temporarily unavailable" in page


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_signed_in_request_gets_503_when_the_database_is_unreachable(down_app, signed_in_cookie, htmx):
    client = down_app.test_client()
    client.set_cookie("session", signed_in_cookie)

    response = client.get("/", headers=HX if htmx else {})

    assert_unavailable_page(response, htmx=htmx)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_login_gets_503_when_the_database_is_unreachable(down_app, htmx):
    client = down_app.test_client()
    # The form itself needs no database...
    assert client.get("/login").status_code == 200

    response = client.post("/login", data={"identifier": "ana", "password": PASSWORD}, headers=HX if htmx else {})

    # ...checking the password does.
    assert_unavailable_page(response, htmx=htmx)


@postgres_only
def test_app_recovers_after_its_connections_are_killed(app, auth_client):
    assert auth_client.get("/").status_code == 200
    with app.app_context():
        database = db.engine.url.database

    killer = psycopg2.connect(sa.make_url(TEST_URL).set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        killer.autocommit = True
        with killer.cursor() as cursor:
            # The timeout makes each call wait until the backend is really gone.
            cursor.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                "WHERE datname = %s AND application_name = 'manifest' AND pid <> pg_backend_pid()",
                (database,),
            )
            killed = cursor.fetchone()[0]
    finally:
        killer.close()
    assert killed >= 1, "the app held no pooled connection to kill"

    # The pool still holds the dead connections; pre-ping notices and replaces them.
    response = auth_client.get("/")
    assert response.status_code == 200
    assert "Good " in response.get_data(as_text=True)
