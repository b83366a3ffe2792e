"""?next= after login only ever leads to a page of this site."""

import pytest

from tests.conftest import HX, PASSWORD

OFFSITE = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/login",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",  # browsers drop tabs and newlines inside URLs: this is //evil.example
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.mark.parametrize("target", OFFSITE)
def test_login_never_redirects_off_site(client, user, target):
    response = client.post(
        "/login", query_string={"next": target}, data={"identifier": user["email"], "password": PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFFSITE)
def test_login_page_of_a_logged_in_user_never_redirects_off_site(auth_client, target):
    response = auth_client.get("/login", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFFSITE)
def test_login_form_never_carries_an_off_site_target(client, target):
    page = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert "evil.example" not in page
    assert "javascript:" not in page


def test_a_same_site_next_is_followed(client, user):
    response = client.post(
        "/login", query_string={"next": "/settings?tab=1"}, data={"identifier": user["email"], "password": PASSWORD}
    )
    assert response.headers["Location"] == "/settings?tab=1"


def test_expired_htmx_session_never_points_the_login_page_off_site(client):
    response = client.get("/", headers={**HX, "HX-Current-URL": "http://localhost//evil.example"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login"
