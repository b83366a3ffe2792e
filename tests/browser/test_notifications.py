"""Reminders in a real browser: the job's reminders reach the bell without a reload, opening one
lands on the habit, marking one read brings the count down."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import Habit, JobRun, User
from manifest.models.user import new_session_token
from manifest.notifications import tasks

MARKER = 42


def _habits_due_a_minute_ago(app, user) -> dict[str, object]:
    local = datetime.now(ZoneInfo(user["zone"])) - timedelta(minutes=1)
    at = local.time().replace(second=0, microsecond=0)
    with app.app_context():
        habits = {name: Habit(user_id=user["id"], name=name, reminder_time=at) for name in ("Meditate", "Stretch")}
        db.session.add_all(habits.values())
        db.session.add(JobRun(name="reminders", last_run_at=datetime.now(UTC) - timedelta(minutes=5)))
        db.session.commit()
        return {name: habit.id for name, habit in habits.items()}


def run_the_reminder_job(app) -> None:
    with app.app_context():
        tasks.send_due_reminders.call_local()


def test_a_reminder_reaches_the_bell_opens_on_the_habit_and_reading_updates_the_count(
        app, page, user, log_in, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFICATION_POLL_SECONDS", 1)
    ids = _habits_due_a_minute_ago(app, user)
    log_in(page, user["username"])
    bell = page.locator("#bell")
    expect(bell).to_be_visible()
    expect(bell.locator(".bell-count")).to_have_count(0)
    page.evaluate(f"window.__marker = {MARKER}")

    run_the_reminder_job(app)
    expect(bell.locator(".bell-count")).to_have_text("2 unread")
    assert page.evaluate("window.__marker") == MARKER, "the page reloaded instead of updating the bell"

    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications$"))
    page.evaluate(f"window.__marker = {MARKER}")
    page.get_by_role("button", name="Mark read: Stretch").click()
    expect(page.get_by_role("button", name="Mark read: Stretch")).to_have_count(0)
    expect(page.locator("#bell .bell-count")).to_have_text("1 unread")
    assert page.evaluate("window.__marker") == MARKER

    page.get_by_role("button", name="Open: Meditate").click()
    expect(page).to_have_url(re.compile(rf"/\?day=\d{{4}}-\d{{2}}-\d{{2}}#habit-{ids['Meditate']}$"))
    expect(page.locator(f"#habit-{ids['Meditate']}")).to_be_in_viewport()
    expect(page.get_by_label("Meditate — done today")).to_be_visible()
    # Once the bell has fetched its own count (its answer no longer loads on arrival), none is unread.
    expect(page.locator("#bell")).not_to_have_attribute("hx-trigger", re.compile(r"\bload\b"))
    expect(page.locator("#bell .bell-count")).to_have_count(0)


def test_the_bell_polling_after_the_session_ended_leaves_the_page_alone(app, page, user, log_in, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFICATION_POLL_SECONDS", 1)
    log_in(page, user["username"])
    page.goto("/settings")
    with app.app_context():
        # As if the user had logged out everywhere from another device.
        db.session.get(User, user["id"]).session_token = new_session_token()
        db.session.commit()
    page.get_by_label("First name").fill("Ana")
    with page.expect_response(lambda r: "/notifications/bell" in r.url and r.status == 204):
        pass
    page.wait_for_timeout(300)  # room for a redirect, were one coming
    expect(page).to_have_url(re.compile(r"/settings$"))
    expect(page.get_by_label("First name")).to_have_value("Ana")
