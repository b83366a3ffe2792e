from manifest.extensions import db
from manifest.models import User
from tests.conftest import HX, PASSWORD


def test_signup_logs_in_and_lands_on_today(client, app):
    response = client.post(
        "/signup",
        data={"email": "New@Example.com", "username": "NewUser", "password": PASSWORD, "timezone": "Europe/Paris"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert "newuser" in page.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert (user.email, user.username, user.timezone) == ("new@example.com", "newuser", "Europe/Paris")
        assert user.password_hash.startswith("$argon2id$")


def test_login_with_username_then_logout(client, user):
    client.login(user["username"])
    assert client.get("/").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 303
    assert client.get("/").status_code == 302


def test_anonymous_htmx_request_gets_401_with_hx_redirect(client):
    response = client.get("/", headers={**HX, "HX-Current-URL": "http://localhost/settings"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/settings"
