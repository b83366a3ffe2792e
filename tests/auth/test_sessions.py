"""Sessions: a fresh one at login, invalidated on the server at logout, password change and account
deletion (a replayed old cookie is no longer logged in), and the cookie's flags."""

import re

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import User
from tests.conftest import HX, PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def session_cookie(client) -> str:
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def replay(app, cookie_value: str):
    """A brand-new browser presenting a captured session cookie."""
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie_value)
    return client


def logged_in(client) -> bool:
    response = client.get("/settings")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def page_csrf_token(client, path: str = "/settings") -> str:
    """The token an open page holds in <body hx-headers>, which htmx sends with every request."""
    return re.search(r'"X-CSRFToken": "([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


# --------------------------------------------------------------------------- fixation


def test_login_starts_a_new_session(app, client, user):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["csrf_token"] = "known-to-the-attacker"
    client.login("ana")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "known-to-the-attacker"
    assert logged_in(client)


def test_signup_starts_a_new_session(app, client):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = client.post("/signup", data={"email": "new@example.com", "username": "newbie", "password": PASSWORD})
    assert response.status_code == 303
    with client.session_transaction() as session:
        assert "planted" not in session
    assert logged_in(client)


# --------------------------------------------------------------------------- server-side invalidation


def test_logout_invalidates_the_session_on_the_server(app, auth_client):
    old = session_cookie(auth_client)
    assert logged_in(replay(app, old))
    assert auth_client.post("/logout").status_code == 303
    assert not logged_in(auth_client)
    stale = replay(app, old)
    assert not logged_in(stale)
    assert stale.get("/settings", headers=HX).status_code == 401


def test_logout_signs_the_user_out_on_every_device(app, user, auth_client):
    phone = app.test_client()
    phone.login("ana")
    auth_client.post("/logout")
    assert not logged_in(phone)


def test_password_change_ends_other_sessions_and_keeps_this_browser_logged_in(app, user, auth_client):
    phone = app.test_client()
    phone.login("ana")
    old = session_cookie(auth_client)
    response = auth_client.post("/settings/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 303
    assert "Password changed" in auth_client.get(response.headers["Location"]).get_data(as_text=True)
    assert logged_in(auth_client)
    assert not logged_in(replay(app, old))
    assert not logged_in(phone)


def test_password_change_by_htmx_keeps_the_open_page_working(app, user, auth_client):
    token = page_csrf_token(auth_client)
    old = session_cookie(auth_client)
    response = auth_client.post(
        "/settings/password",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers={**HX, "X-CSRFToken": token},
        csrf=False,
    )
    assert response.status_code == 200
    assert "Password changed" in response.get_data(as_text=True)
    assert not logged_in(replay(app, old))
    # The other forms on the page still carry the token of the page: they must keep working.
    response = auth_client.post(
        "/settings/profile",
        data={"first_name": "Still here", "timezone": "UTC"},
        headers={**HX, "X-CSRFToken": token},
        csrf=False,
    )
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(User, user["id"]).first_name == "Still here"


def test_a_wrong_current_password_changes_nothing(app, user, auth_client):
    phone = app.test_client()
    phone.login("ana")
    response = auth_client.post("/settings/password", data={"current_password": "not it at all", "new_password": NEW_PASSWORD})
    assert response.status_code == 422
    assert "That is not your current password." in response.get_data(as_text=True)
    assert logged_in(phone)


def test_account_deletion_invalidates_the_session(app, user, auth_client):
    old = session_cookie(auth_client)
    response = auth_client.post("/settings/delete", data={"password": PASSWORD})
    assert response.status_code == 303
    assert not logged_in(auth_client)
    assert not logged_in(replay(app, old))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_a_session_naming_the_user_without_the_current_token_is_refused(app, user):
    forged = app.test_client()
    with forged.session_transaction() as session:
        session["_user_id"] = f"{user['id']}:guess"
    assert not logged_in(forged)


# --------------------------------------------------------------------------- cookie flags


def test_session_cookie_is_httponly_and_samesite_lax(app, client, user):
    response = client.post("/login", data={"identifier": "ana", "password": PASSWORD})
    assert response.status_code == 303
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert cookie.path == "/"
