"""Settings: profile, password and account deletion, as full pages and as htmx fragments."""

import pytest

from manifest.extensions import db
from manifest.models import Habit, HabitEntry, Tag, User
from manifest.security import verify_password
from tests.conftest import HX, PASSWORD
from tests.journal.conftest import add_entry

NEW_PASSWORD = "purple otter lantern"
PROFILE = {
    "first_name": "Ana", "last_name": "Lima", "bio": "Runs before breakfast.",
    "avatar_url": "https://example.com/ana.png", "timezone": "Europe/Lisbon",
}
PROFILE_COLUMNS = ("email", "username", "first_name", "last_name", "bio", "avatar_url", "timezone", "password_hash")


def profile_of(app, user_id) -> dict | None:
    with app.app_context():
        found = db.session.get(User, user_id)
        return None if found is None else {c: getattr(found, c) for c in PROFILE_COLUMNS}


def has_password(app, user_id, password: str) -> bool:
    with app.app_context():
        return verify_password(db.session.get(User, user_id).password_hash, password)


def assert_fragment(response, form_id: str, status: int) -> str:
    """An htmx answer: only the form, swapped over itself."""
    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    assert "<html" not in body
    assert f'id="{form_id}"' in body
    assert body.count("<form") == 1
    return body


# --- GET /settings ---------------------------------------------------------------------------


def test_settings_page_shows_the_three_forms_filled_in(auth_client, app, user):
    auth_client.post("/settings/profile", data=PROFILE)
    response = auth_client.get("/settings")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in body
    for form_id in ("profile-form", "password-form", "delete-form"):
        assert f'id="{form_id}"' in body
    assert 'value="Ana"' in body and 'value="https://example.com/ana.png"' in body
    assert '<option selected value="Europe/Lisbon">' in body
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_settings_page_as_a_boosted_navigation_is_the_whole_page(auth_client):
    response = auth_client.get("/settings", headers={**HX, "HX-Boosted": "true"})
    assert response.status_code == 200
    assert "<html" in response.get_data(as_text=True)


def test_settings_needs_login(client):
    response = client.get("/settings")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/settings"
    response = client.get("/settings", headers={**HX, "HX-Current-URL": "http://localhost/settings"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/settings"


@pytest.mark.parametrize("path", ["/settings/profile", "/settings/password", "/settings/delete"])
def test_posts_need_login_and_change_nothing(client, app, user, path):
    before = profile_of(app, user["id"])
    data = {**PROFILE, "current_password": PASSWORD, "new_password": NEW_PASSWORD, "password": PASSWORD}
    assert client.post(path, data=data).status_code == 302
    response = client.post(path, data=data, headers={**HX, "HX-Current-URL": "http://localhost/settings"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")
    assert profile_of(app, user["id"]) == before


@pytest.mark.parametrize("path", ["/settings/profile", "/settings/password", "/settings/delete"])
def test_posts_without_csrf_token_are_refused(auth_client, app, user, path):
    before = profile_of(app, user["id"])
    data = {**PROFILE, "current_password": PASSWORD, "new_password": NEW_PASSWORD, "password": PASSWORD}
    response = auth_client.post(path, data=data, csrf=False)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert profile_of(app, user["id"]) == before


# --- POST /settings/profile ------------------------------------------------------------------


def test_profile_without_javascript_redirects_with_a_flash(auth_client, app, user):
    response = auth_client.post("/settings/profile", data=PROFILE)
    assert response.status_code == 303
    assert response.headers["Location"] == "/settings"
    assert "Profile saved." in auth_client.get("/settings").get_data(as_text=True)
    saved = profile_of(app, user["id"])
    assert {k: saved[k] for k in PROFILE} == PROFILE
    # The flash is shown once.
    assert "Profile saved." not in auth_client.get("/settings").get_data(as_text=True)


def test_profile_with_htmx_answers_the_form_alone(auth_client, app, user):
    response = auth_client.post("/settings/profile", data=PROFILE, headers=HX)
    body = assert_fragment(response, "profile-form", 200)
    assert "Profile saved." in body
    assert 'value="Lima"' in body
    saved = profile_of(app, user["id"])
    assert {k: saved[k] for k in PROFILE} == PROFILE


def test_profile_trims_text_and_clears_emptied_fields(auth_client, app, user):
    auth_client.post("/settings/profile", data=PROFILE)
    auth_client.post("/settings/profile", data={
        "first_name": "  Ana Maria ", "last_name": "   ", "bio": "", "avatar_url": "", "timezone": "UTC",
    })
    saved = profile_of(app, user["id"])
    assert (saved["first_name"], saved["last_name"], saved["bio"], saved["avatar_url"], saved["timezone"]) == (
        "Ana Maria", None, None, None, "UTC",
    )


def test_profile_never_takes_identity_fields_from_the_request(auth_client, app, user, other_user):
    response = auth_client.post("/settings/profile", data={
        **PROFILE, "id": str(other_user["id"]), "user_id": str(other_user["id"]),
        "email": "evil@example.com", "username": "admin", "password_hash": "x", "session_token": "x",
    })
    assert response.status_code == 303
    saved = profile_of(app, user["id"])
    assert (saved["email"], saved["username"], saved["first_name"]) == ("ana@example.com", "ana", "Ana")
    assert has_password(app, user["id"], PASSWORD)
    assert profile_of(app, other_user["id"])["first_name"] is None


INVALID_PROFILES = {
    "unknown timezone": ({"timezone": "Mars/Olympus_Mons"}, "Not a valid choice"),
    "legacy timezone alias": ({"timezone": "US/Pacific"}, "Not a valid choice"),
    "no timezone": ({"timezone": ""}, "This field is required."),
    "NUL in first name": ({"first_name": "An\x00a"}, "Contains a character that is not allowed."),
    "NUL in bio": ({"bio": "line\x00"}, "Contains a character that is not allowed."),
    "first name too long": ({"first_name": "A" * 101}, "Field cannot be longer than 100 characters."),
    "last name too long": ({"last_name": "L" * 101}, "Field cannot be longer than 100 characters."),
    "bio too long": ({"bio": "b" * 2001}, "Field cannot be longer than 2000 characters."),
    "javascript avatar": ({"avatar_url": "javascript:alert(1)"}, "Enter a full web address starting with https://"),
    "data avatar": ({"avatar_url": "data:image/png;base64,AAAA"}, "Enter a full web address starting with https://"),
    "avatar without host": ({"avatar_url": "https:///ana.png"}, "Enter a full web address starting with https://"),
    "relative avatar": ({"avatar_url": "/static/ana.png"}, "Enter a full web address starting with https://"),
    "avatar too long": ({"avatar_url": "https://example.com/" + "a" * 490}, "Field cannot be longer than 500"),
}


@pytest.mark.parametrize(("change", "message"), INVALID_PROFILES.values(), ids=INVALID_PROFILES.keys())
def test_invalid_profile_with_htmx_shows_the_message_and_changes_nothing(auth_client, app, user, change, message):
    before = profile_of(app, user["id"])
    response = auth_client.post("/settings/profile", data={**PROFILE, **change}, headers=HX)
    body = assert_fragment(response, "profile-form", 422)
    assert message in body
    assert 'aria-invalid="true"' in body
    assert "Profile saved." not in body
    assert profile_of(app, user["id"]) == before


@pytest.mark.parametrize(("change", "message"), INVALID_PROFILES.values(), ids=INVALID_PROFILES.keys())
def test_invalid_profile_without_javascript_shows_the_page_with_the_message(auth_client, app, user, change, message):
    before = profile_of(app, user["id"])
    response = auth_client.post("/settings/profile", data={**PROFILE, **change})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" in body and 'id="password-form"' in body
    assert message in body
    assert profile_of(app, user["id"]) == before


def test_invalid_profile_keeps_what_was_typed_escaped(auth_client):
    body = auth_client.post(
        "/settings/profile", data={**PROFILE, "first_name": '"><script>alert(1)</script>', "timezone": "Nowhere"},
        headers=HX,
    ).get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in body


def test_profile_text_is_escaped_on_the_settings_page(auth_client):
    name = "<script>alert(1)</script>"
    auth_client.post("/settings/profile", data={**PROFILE, "first_name": name, "bio": "</textarea><b>bold</b>"})
    body = auth_client.get("/settings").get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "</textarea><b>" not in body


# --- POST /settings/password -----------------------------------------------------------------


def test_password_change_without_javascript(auth_client, app, user):
    other_device = app.test_client()
    other_device.login(user["username"])

    response = auth_client.post(
        "/settings/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/settings"
    page = auth_client.get("/settings")
    assert page.status_code == 200
    assert "Password changed. Other devices have been signed out." in page.get_data(as_text=True)
    assert has_password(app, user["id"], NEW_PASSWORD)
    # The other device's session ended on the server.
    assert other_device.get("/").status_code == 302
    # The new password works, the old one no longer does.
    fresh = app.test_client()
    assert fresh.post("/login", data={"identifier": "ana", "password": PASSWORD}).status_code == 422
    fresh.login("ana", NEW_PASSWORD)


def test_password_change_with_htmx_answers_the_form_alone(auth_client, app, user):
    response = auth_client.post(
        "/settings/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD}, headers=HX
    )
    body = assert_fragment(response, "password-form", 200)
    assert "Password changed. Other devices have been signed out." in body
    # Passwords are never echoed back.
    assert PASSWORD not in body and NEW_PASSWORD not in body
    assert has_password(app, user["id"], NEW_PASSWORD)
    # This browser is still signed in, and the forms already on its page still post.
    assert auth_client.get("/settings").status_code == 200
    token = auth_client.csrf_token()
    response = auth_client.post("/settings/profile", data=PROFILE, headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 200


def test_wrong_current_password_changes_nothing(auth_client, app, user):
    other_device = app.test_client()
    other_device.login(user["username"])
    data = {"current_password": "not my password", "new_password": NEW_PASSWORD}

    response = auth_client.post("/settings/password", data=data, headers=HX)
    body = assert_fragment(response, "password-form", 422)
    assert "That is not your current password." in body

    response = auth_client.post("/settings/password", data=data)
    assert response.status_code == 422
    assert "<html" in response.get_data(as_text=True)
    assert "That is not your current password." in response.get_data(as_text=True)

    assert has_password(app, user["id"], PASSWORD)
    assert other_device.get("/").status_code == 200
    assert auth_client.get("/").status_code == 200


@pytest.mark.parametrize(("data", "message"), [
    ({"current_password": "", "new_password": NEW_PASSWORD}, "Enter your current password."),
    ({"current_password": PASSWORD, "new_password": "short"}, "Use 8 to 128 characters."),
    ({"current_password": PASSWORD, "new_password": "x" * 129}, "Use 8 to 128 characters."),
    ({"current_password": PASSWORD, "new_password": "password123"}, "one of the most common"),
    ({"current_password": PASSWORD, "new_password": ""}, "Choose a password."),
    ({"current_password": PASSWORD, "new_password": "long enough\x00"}, "not allowed"),
], ids=["no current", "too short", "too long", "common", "empty", "NUL"])
def test_invalid_new_password_changes_nothing(auth_client, app, user, data, message):
    response = auth_client.post("/settings/password", data=data, headers=HX)
    body = assert_fragment(response, "password-form", 422)
    assert message in body
    assert has_password(app, user["id"], PASSWORD)


# --- POST /settings/delete -------------------------------------------------------------------


def give_data(app, user_id) -> None:
    with app.app_context():
        habit = Habit(user_id=user_id, name="Meditate")
        db.session.add_all([habit, Tag(user_id=user_id, name="Health", slug="health")])
        db.session.flush()
        db.session.add(HabitEntry(habit_id=habit.id, entry_date=db.func.current_date(), completed=True))
        db.session.commit()


def count_rows(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**where))


def test_delete_account_without_javascript(auth_client, app, user, other_user):
    give_data(app, user["id"])
    give_data(app, other_user["id"])

    response = auth_client.post("/settings/delete", data={"password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/signup"
    page = auth_client.get("/signup")
    assert "Your account and all of its data have been deleted." in page.get_data(as_text=True)

    assert profile_of(app, user["id"]) is None
    assert count_rows(app, Habit, user_id=user["id"]) == 0
    assert count_rows(app, Tag, user_id=user["id"]) == 0
    assert count_rows(app, HabitEntry) == 1  # the other user's
    assert count_rows(app, Habit, user_id=other_user["id"]) == 1
    assert auth_client.get("/").status_code == 302


def test_delete_account_with_htmx_redirects_the_whole_tab(auth_client, app, user):
    response = auth_client.post("/settings/delete", data={"password": PASSWORD}, headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/signup"
    assert profile_of(app, user["id"]) is None
    assert "Your account and all of its data have been deleted." in auth_client.get("/signup").get_data(as_text=True)


@pytest.mark.parametrize("password", ["not my password", "", "x\x00"], ids=["wrong", "empty", "NUL"])
def test_delete_account_with_a_wrong_password_keeps_everything(auth_client, app, user, password):
    give_data(app, user["id"])
    before = profile_of(app, user["id"])

    response = auth_client.post("/settings/delete", data={"password": password}, headers=HX)
    body = assert_fragment(response, "delete-form", 422)
    assert "HX-Redirect" not in response.headers
    assert 'aria-invalid="true"' in body
    # The disclosure stays open on its error.
    assert "<details open" in body

    response = auth_client.post("/settings/delete", data={"password": password})
    assert response.status_code == 422
    assert "<html" in response.get_data(as_text=True)

    assert profile_of(app, user["id"]) == before
    assert count_rows(app, Habit, user_id=user["id"]) == 1
    assert auth_client.get("/").status_code == 200


def test_wrong_password_message_on_delete(auth_client):
    response = auth_client.post("/settings/delete", data={"password": "not my password"}, headers=HX)
    assert "That is not your password." in response.get_data(as_text=True)


def test_settings_lead_to_the_tags_the_attachments_and_the_public_page_once_there_is_one(auth_client, app, user):
    page = auth_client.get("/settings").get_data(as_text=True)
    assert 'href="/tags/"' in page and 'href="/media/"' in page
    # Nothing shared yet: the public page does not exist, so the settings do not link to it.
    assert f'href="/u/{user["username"]}"' not in page and "once you" in page
    assert auth_client.get(f'/u/{user["username"]}').status_code == 404
    add_entry(app, user["id"], "Hello world", status="published", is_public=True)
    page = auth_client.get("/settings").get_data(as_text=True)
    assert f'href="/u/{user["username"]}"' in page
    assert auth_client.get(f'/u/{user["username"]}').status_code == 200
