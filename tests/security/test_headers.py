"""Security headers on every kind of response: pages, fragments, redirects, errors and static files.
(The route walk in test_route_walk.py checks them on every route as well.)"""

import pytest
from sqlalchemy.exc import OperationalError

from manifest.security import CONTENT_SECURITY_POLICY
from tests.conftest import HX, PASSWORD
from tests.security.support import assert_security_headers, parse_csp, sibling_app


def test_csp_has_exactly_the_required_directives():
    csp = parse_csp(CONTENT_SECURITY_POLICY)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "script-src" not in csp and "style-src" not in csp  # both fall back to default-src 'self'


@pytest.mark.parametrize("path", ["/", "/settings"])
def test_logged_in_pages(auth_client, path):
    response = auth_client.get(path)
    assert response.status_code == 200
    assert_security_headers(response, private=True)


def test_logged_in_htmx_fragment(auth_client):
    response = auth_client.post("/settings/profile", data={"first_name": "Ana", "timezone": "UTC"}, headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    assert_security_headers(response, private=True)


def test_anonymous_pages_and_redirects(client, user):
    for response in (
        client.get("/login"),
        client.get("/signup"),
        client.get("/"),  # redirect to the login page
        client.get("/", headers=HX),  # 401 with HX-Redirect
        client.post("/login", data={"identifier": user["email"], "password": PASSWORD}),  # 303 after login
    ):
        assert response.status_code in (200, 302, 303, 401)
        assert_security_headers(response, private=False)
    # The 303 above logged the client in: the page it leads to is private.
    assert_security_headers(client.get("/"), private=True)


def test_static_files(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert_security_headers(response, private=False)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/no-such-page", 404), ("GET", "/logout", 405), ("POST", "/settings/profile", 400)],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_error_pages(auth_client, method, path, status, htmx):
    # The POST has no CSRF token: a 400 from CSRFProtect.
    response = auth_client.open(path, method=method, headers=HX if htmx else {}, csrf=False)
    assert response.status_code == status
    assert_security_headers(response, private=True)


def test_form_errors_and_throttled_logins(client, user):
    response = client.post("/login", data={"identifier": user["email"], "password": "wrong password"})
    assert response.status_code == 422
    assert_security_headers(response, private=False)
    for _ in range(10):
        client.post("/login", data={"identifier": user["email"], "password": "wrong password"})
    response = client.post("/login", data={"identifier": user["email"], "password": PASSWORD})
    assert response.status_code == 429
    assert_security_headers(response, private=False)


def test_server_errors_unavailable_database_and_oversized_requests(app):
    with sibling_app(app, PROPAGATE_EXCEPTIONS=False, MAX_CONTENT_LENGTH=1024) as other:
        def boom():
            raise RuntimeError("a bug")

        def database_down():
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))

        other.add_url_rule("/boom", view_func=boom)
        other.add_url_rule("/database-down", view_func=database_down)
        client = other.test_client()
        for response, status in (
            (client.get("/boom"), 500),
            (client.get("/boom", headers=HX), 500),
            (client.get("/database-down"), 503),
            (client.post("/login", data={"identifier": "x" * 4096, "password": "x"}), 413),
        ):
            assert response.status_code == status
            assert_security_headers(response, private=False)
