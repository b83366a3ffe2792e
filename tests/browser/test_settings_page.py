"""The settings page in a real browser: htmx forms that save in place."""

import re

import pytest
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import User
from manifest.models.user import new_session_token
from manifest.security import verify_password
from tests.conftest import PASSWORD

from .conftest import BROWSER_TIMEZONE

NEW_PASSWORD = "purple otter lantern"


def load_user(app, user_id) -> User | None:
    with app.app_context():
        found = db.session.get(User, user_id)
        if found is not None:
            db.session.expunge(found)
        return found


@pytest.fixture
def settings(page, user, log_in):
    """The settings page of a logged-in user, marked so that a full reload would be noticed."""
    log_in(page, user["username"])
    page.goto("/settings")
    page.evaluate("window.__marker = 1")
    return page


def has_password(app, user_id, password: str) -> bool:
    with app.app_context():
        return verify_password(db.session.get(User, user_id).password_hash, password)


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of swapping the form"


def test_profile_saves_in_place(settings, app, user):
    form = settings.locator("#profile-form")
    form.get_by_label("First name").fill("Ana")
    form.get_by_label("Last name").fill("Lima")
    form.get_by_label("Bio").fill("Runs before breakfast.")
    form.get_by_label("Avatar URL").fill("https://example.com/ana.png")
    form.get_by_role("button", name="Save profile").click()

    expect(settings.locator("#profile-form").get_by_role("status")).to_have_text("Profile saved.")
    assert_not_reloaded(settings)
    # The swapped-in form shows what was stored.
    expect(settings.get_by_label("First name")).to_have_value("Ana")
    saved = load_user(app, user["id"])
    assert (saved.first_name, saved.last_name, saved.bio, saved.avatar_url) == (
        "Ana", "Lima", "Runs before breakfast.", "https://example.com/ana.png",
    )

    settings.get_by_role("link", name="Today").click()
    expect(settings.get_by_role("heading", level=1)).to_have_text(re.compile(r", Ana$"))


def test_invalid_avatar_url_shows_the_error_inline(settings, app, user, browser_errors):
    browser_errors.allow_status(422)
    # The browser's own URL check accepts this; the server must refuse it.
    settings.get_by_label("Avatar URL").fill("javascript:alert(1)")
    settings.get_by_label("First name").fill("Ana")
    settings.get_by_role("button", name="Save profile").click()

    avatar = settings.locator("#profile-form").get_by_label("Avatar URL")
    expect(avatar).to_have_attribute("aria-invalid", "true")
    expect(settings.locator("#avatar_url-error")).to_have_text("Enter a full web address starting with https://")
    # What was typed stays in the form so it can be corrected.
    expect(avatar).to_have_value("javascript:alert(1)")
    expect(settings.get_by_text("Profile saved.")).to_have_count(0)
    assert_not_reloaded(settings)
    assert settings.locator("#profile-form").count() == 1
    saved = load_user(app, user["id"])
    assert (saved.first_name, saved.avatar_url) == (None, None)


def test_use_this_devices_time_zone(settings, app, user):
    timezone = settings.get_by_label("Time zone")
    expect(timezone).to_have_value("UTC")
    button = settings.get_by_role("button", name=re.compile(r"^Use this device's time zone"))
    expect(button).to_have_text("Use this device's time zone (Europe/Berlin)")

    button.click()
    expect(timezone).to_have_value(BROWSER_TIMEZONE)
    expect(button).to_be_hidden()
    settings.get_by_role("button", name="Save profile").click()

    expect(settings.locator("#profile-form").get_by_role("status")).to_have_text("Profile saved.")
    assert load_user(app, user["id"]).timezone == BROWSER_TIMEZONE
    # Device and account now agree: nothing left to offer.
    expect(settings.get_by_role("button", name=re.compile(r"^Use this device's time zone"))).to_be_hidden()
    assert_not_reloaded(settings)


def test_password_changes_in_place(settings, app, user):
    form = settings.locator("#password-form")
    form.get_by_label("Current password").fill(PASSWORD)
    form.get_by_label("New password").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Change password").click()

    expect(settings.locator("#password-form").get_by_role("status")).to_have_text(
        "Password changed. Other devices have been signed out."
    )
    assert_not_reloaded(settings)
    expect(settings.locator("#password-form").get_by_label("Current password")).to_have_value("")
    assert has_password(app, user["id"], NEW_PASSWORD)
    # This browser carries on, on its new session.
    settings.goto("/settings")
    expect(settings.get_by_role("heading", level=1)).to_have_text("Settings")


def test_wrong_current_password_is_refused_inline(settings, app, user, browser_errors):
    browser_errors.allow_status(422)
    form = settings.locator("#password-form")
    form.get_by_label("Current password").fill("not my password")
    form.get_by_label("New password").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Change password").click()

    expect(settings.locator("#current_password-error")).to_have_text("That is not your current password.")
    assert_not_reloaded(settings)
    assert has_password(app, user["id"], PASSWORD)


def test_other_forms_keep_working_after_a_password_change(settings, app, user):
    # The forms already on the page hold the CSRF token of the session the password change renewed.
    settings.locator("#password-form").get_by_label("Current password").fill(PASSWORD)
    settings.locator("#password-form").get_by_label("New password").fill(NEW_PASSWORD)
    settings.get_by_role("button", name="Change password").click()
    expect(settings.locator("#password-form").get_by_role("status")).to_be_visible()

    settings.get_by_label("First name").fill("Ana")
    settings.get_by_role("button", name="Save profile").click()
    expect(settings.locator("#profile-form").get_by_role("status")).to_have_text("Profile saved.")
    assert load_user(app, user["id"]).first_name == "Ana"


def test_delete_account_lands_on_sign_up(settings, app, user, other_user):
    form = settings.locator("#delete-form")
    form.get_by_text("Delete my account and everything in it…").click()
    form.get_by_label("Your password").fill(PASSWORD)
    form.get_by_role("button", name="Delete my account").click()

    settings.wait_for_url(re.compile(r"/signup$"))
    expect(settings.get_by_role("status")).to_have_text("Your account and all of its data have been deleted.")
    expect(settings.get_by_role("heading", level=1)).to_have_text("Create your account")
    assert load_user(app, user["id"]) is None
    assert load_user(app, other_user["id"]) is not None


def test_delete_account_with_wrong_password_keeps_it(settings, app, user, browser_errors):
    browser_errors.allow_status(422)
    form = settings.locator("#delete-form")
    form.get_by_text("Delete my account and everything in it…").click()
    form.get_by_label("Your password").fill("not my password")
    form.get_by_role("button", name="Delete my account").click()

    # The re-rendered form stays open on its error.
    expect(settings.locator("#password-error")).to_have_text("That is not your password.")
    expect(settings.locator("#delete-form").get_by_label("Your password")).to_be_visible()
    assert_not_reloaded(settings)
    assert load_user(app, user["id"]) is not None


def test_expired_session_on_htmx_submit_goes_to_the_login_page(settings, app, user, browser_errors):
    browser_errors.allow_status(401)
    with app.app_context():
        # As if the user had logged out everywhere from another device.
        db.session.get(User, user["id"]).session_token = new_session_token()
        db.session.commit()

    settings.get_by_label("First name").fill("Ana")
    settings.get_by_role("button", name="Save profile").click()

    settings.wait_for_url(re.compile(r"/login\?next=/settings$"))
    expect(settings.get_by_role("heading", level=1)).to_have_text("Log in")
    # A whole new page, not a login form swapped into the settings page.
    assert settings.evaluate("window.__marker") is None
    expect(settings.locator("#profile-form")).to_have_count(0)
    assert load_user(app, user["id"]).first_name is None

    # Logging in again leads back to the settings.
    settings.get_by_label("Email or username").fill(user["username"])
    settings.get_by_label("Password").fill(PASSWORD)
    settings.get_by_role("button", name="Log in").click()
    settings.wait_for_url(re.compile(r"/settings$"))
    expect(settings.get_by_role("heading", level=1)).to_have_text("Settings")
