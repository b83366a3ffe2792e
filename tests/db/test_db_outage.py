"""A database that is down answers 503 pages; one that comes back is used again without a restart."""

import http.client
import threading
import time

import psycopg2
import pytest
import sqlalchemy as sa
from flask import abort
from werkzeug.serving import make_server

from manifest import create_app
from manifest.extensions import db
from tests.conftest import HX, PASSWORD, ManifestClient, make_config
from tests.db.helpers import TEST_URL, postgres_only
from tests.journal.conftest import add_entry

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


def killer_connection():
    """A plain connection to the test database (not named 'manifest', so it never kills itself)."""
    conn = psycopg2.connect(sa.make_url(TEST_URL).set(drivername="postgresql").render_as_string(hide_password=False))
    conn.autocommit = True
    return conn


def terminate_app_backends(cursor, wait_ms: int = 5000) -> int:
    """End every connection the app holds to the test database (never another database's)."""
    # The timeout makes each call wait until the backend is really gone.
    cursor.execute(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, %s)) FROM pg_stat_activity "
        "WHERE datname = %s AND application_name = 'manifest' AND pid <> pg_backend_pid()",
        (wait_ms, sa.make_url(TEST_URL).database),
    )
    return cursor.fetchone()[0]


def terminate_own_backend() -> None:
    """End the database connection the current request is using, as a restart or a kill would."""
    pid = db.session.connection().connection.dbapi_connection.get_backend_pid()
    conn = killer_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
    finally:
        conn.close()


@pytest.fixture
def fresh_app(app):
    """An app of its own on the test database, to which a test may add hooks; disposed of afterwards."""
    made = []

    def make(**overrides):
        new = create_app(make_config(app.config["SQLALCHEMY_DATABASE_URI"], **overrides))
        new.test_client_class = ManifestClient
        made.append(new)
        return new

    yield make
    for new in made:
        with new.app_context():
            db.session.remove()
            db.engine.dispose()


@postgres_only
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_connection_lost_after_the_page_was_made_still_sends_the_page(fresh_app, signed_in_cookie, htmx):
    app = fresh_app()

    @app.after_request
    def lose_the_connection(response):
        terminate_own_backend()  # the request's transaction is still open: teardown rolls it back
        return response

    client = app.test_client()
    client.set_cookie("session", signed_in_cookie)

    response = client.get("/", headers=HX if htmx else {})

    assert response.status_code == 200
    assert "Good " in response.get_data(as_text=True)
    # The dead connection was thrown away, not handed to the next request.
    app.after_request_funcs[None].remove(lose_the_connection)
    assert client.get("/").status_code == 200


@postgres_only
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_connection_lost_after_the_503_page_was_chosen_still_sends_it(fresh_app, signed_in_cookie, htmx):
    app = fresh_app()

    @app.before_request
    def lose_the_connection_before_the_view():
        terminate_own_backend()

    @app.after_request
    def lose_the_next_connection_too(response):
        # The server is restarting: the connection checked out after the first one died dies too.
        db.session.execute(sa.text("SELECT 1"))
        terminate_own_backend()
        return response

    client = app.test_client()
    client.set_cookie("session", signed_in_cookie)

    assert_unavailable_page(client.get("/", headers=HX if htmx else {}), htmx=htmx)


def test_a_lost_connection_reported_as_any_driver_error_answers_503(fresh_app, signed_in_cookie):
    app = fresh_app()

    @app.get("/_lost")
    def lost():
        # psycopg2 reports some lost connections as DatabaseError; SQLAlchemy marks them invalidated.
        raise sa.exc.DatabaseError("SELECT 1", {}, Exception("no message from the libpq"), connection_invalidated=True)

    @app.get("/_bug")
    def bug():
        raise sa.exc.ProgrammingError("SELECT nonsense", {}, Exception("syntax error"))

    @app.get("/_gone")
    def gone():
        abort(404)

    client = app.test_client()
    assert_unavailable_page(client.get("/_lost"), htmx=False)
    assert_unavailable_page(client.get("/_lost", headers=HX), htmx=True)
    # A mistake in a statement is not an outage: it stays a server error (raised in tests).
    with pytest.raises(sa.exc.ProgrammingError):
        client.get("/_bug")


@postgres_only
def test_requests_while_the_apps_connections_are_killed_answer_200_or_503(fresh_app, signed_in_cookie, user):
    """Real HTTP on loopback: clients load pages while the app's database connections are killed
    over and over. Every answer is the page or the 503 page, never a bare 500."""
    app = fresh_app(TESTING=False)  # as in production: an exception becomes a 500, not a test error
    # A public entry: reading it anonymously writes (a view), so commits are cut short too.
    add_entry(app, user["id"], "Shared", status="published", is_public=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    statuses: list[int] = []
    kills: list[int] = []
    done = threading.Event()

    def load_pages(htmx: bool) -> None:
        signed_in = {"Cookie": f"session={signed_in_cookie}", **(HX if htmx else {})}
        for path in ["/", "/habits", "/journal/", "/u/ana/shared"] * 15:
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
            try:
                conn.request("GET", path, headers={} if path.startswith("/u/") else signed_in)
                statuses.append(conn.getresponse().status)
            finally:
                conn.close()

    def keep_killing() -> None:
        conn = killer_connection()
        try:
            with conn.cursor() as cursor:
                while not done.is_set():
                    kills.append(terminate_app_backends(cursor, wait_ms=0))
                    time.sleep(0.02)
        finally:
            conn.close()

    killer = threading.Thread(target=keep_killing)
    clients = [threading.Thread(target=load_pages, args=(i % 2 == 1,)) for i in range(4)]
    killer.start()
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(timeout=300)
    done.set()
    killer.join(timeout=30)
    server.shutdown()

    assert len(statuses) == 4 * 60
    assert sum(kills) > 0, "no connection was killed while the pages loaded"
    assert set(statuses) <= {200, 503}, sorted(set(statuses))
    assert 200 in statuses  # the app keeps recovering between kills


@postgres_only
def test_app_recovers_after_its_connections_are_killed(app, auth_client):
    assert auth_client.get("/").status_code == 200

    killer = killer_connection()
    try:
        with killer.cursor() as cursor:
            killed = terminate_app_backends(cursor)
    finally:
        killer.close()
    assert killed >= 1, "the app held no pooled connection to kill"

    # The pool still holds the dead connections; pre-ping notices and replaces them.
    response = auth_client.get("/")
    assert response.status_code == 200
    assert "Good " in response.get_data(as_text=True)
