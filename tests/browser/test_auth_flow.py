"""Signing up, out and in again in a real browser."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import User
from tests.conftest import PASSWORD

from .conftest import BROWSER_TIMEZONE, TODAY_URL


def greeting_for(hour: int) -> str:
    return "Good morning" if 5 <= hour < 12 else "Good afternoon" if 12 <= hour < 18 else "Good evening"


def test_sign_up_log_out_and_log_in_with_username(page, app):
    zone = ZoneInfo(BROWSER_TIMEZONE)
    before = datetime.now(zone)

    page.goto("/signup")
    page.get_by_label("Email").fill("Nora@Example.com")
    page.get_by_label("Username").fill("Nora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url(TODAY_URL)
    after = datetime.now(zone)
    heading = page.get_by_role("heading", level=1)
    # The hour or day may turn while the page loads: either side of the turn is right.
    greetings = "|".join({greeting_for(before.hour), greeting_for(after.hour)})
    expect(heading).to_have_text(re.compile(rf"^({greetings}), nora$"))
    days = {before.date().isoformat(), after.date().isoformat()}
    assert page.locator(".today-date time").get_attribute("datetime") in days
    expect(page.get_by_role("status").filter(has_text="Welcome to Let's Manifest!")).to_be_visible()

    with app.app_context():
        user = db.session.scalar(db.select(User))
        # The browser's zone reached the account through the hidden field app.js fills in.
        assert (user.email, user.username, user.timezone) == ("nora@example.com", "nora", BROWSER_TIMEZONE)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login$"))
    expect(page.get_by_text("You have been logged out.")).to_be_visible()
    assert page.goto("/").url.endswith("/login?next=/")

    page.get_by_label("Email or username").fill("nora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The ?next= the login page was reached with brings the user back where they were going.
    page.wait_for_url(TODAY_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r", nora$"))


def test_wrong_password_keeps_the_login_form_with_a_message(page, user, browser_errors):
    # The refused form is answered 422, which the browser reports on its console.
    browser_errors.allow_status(422)
    page.goto("/login")
    page.get_by_label("Email or username").fill(user["username"])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_have_text("Those details do not match an account.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert page.url.endswith("/login")
