"""Progress in a real browser: a weight added from Today redraws Today's body chart and the goal it
feeds without a reload; the period switcher swaps the progress page in place."""

import re
from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import Goal
from manifest.progress import goal_sources
from tests.progress.conftest import add_weight, load_user


def _weight_goal(app, user_id, today):
    with app.app_context():
        owner = load_user(user_id)
        db.session.add(Goal(user_id=user_id, title="Lose 4 kg", goal_type="yearly", measure="source",
                            source_key=goal_sources.LOST, source_id=goal_sources.source_id(owner.id, goal_sources.LOST),
                            target_value=Decimal(4), target_unit="kg", start_date=today - timedelta(days=30),
                            end_date=today + timedelta(days=200)))
        db.session.commit()


def dots(count: int) -> re.Pattern:
    """The d of Today's compact chart path with ``count`` dots (each "Mx yh0")."""
    return re.compile(rf"^(M[\d.]+ [\d.]+h0){{{count}}}$")


def test_a_weight_added_from_today_redraws_the_body_chart_and_the_goal_it_feeds(app, signed_in, user, today,
                                                                             browser_errors):
    add_weight(app, user["id"], today - timedelta(days=30), "90")
    add_weight(app, user["id"], today - timedelta(days=3), "89")
    _weight_goal(app, user["id"], today)
    page = signed_in
    page.goto("/")
    body = page.locator("#today-body")
    goals = page.locator("#today-goals")
    expect(body.locator("path.chart-raw")).to_have_attribute("d", dots(2))
    expect(goals).to_contain_text("Lose 4 kg")
    expect(goals).to_contain_text("25%")
    page.evaluate("window.__todayMarker = 1")

    body.get_by_label("Weight (kg)").fill("87,5")
    body.get_by_role("button", name="Add weight").click()

    expect(body.locator("path.chart-raw")).to_have_attribute("d", dots(3))
    expect(body).to_contain_text("87.5 kg")
    expect(body.get_by_role("img", name=re.compile("3 readings"))).to_be_visible()
    expect(goals).to_contain_text("62%")  # 2.5 of 4 kg: the goal region followed measurement-changed
    expect(body.get_by_label("Weight (kg)")).to_have_value("")
    assert page.evaluate("window.__todayMarker") == 1, "the page reloaded instead of updating in place"

    browser_errors.allow_status(422)  # the refused weight below
    body.get_by_label("Weight (kg)").fill("heavy")
    body.get_by_role("button", name="Add weight").click()
    expect(body.locator(".error")).to_contain_text("Enter a number")
    expect(body.locator("path.chart-raw")).to_have_attribute("d", dots(3))


def test_the_period_switcher_swaps_the_page_in_place(app, signed_in, user, today):
    add_weight(app, user["id"], today - timedelta(days=40), "80")
    page = signed_in
    page.get_by_role("link", name="Progress").first.click()
    expect(page.get_by_role("heading", name="This week")).to_be_visible()
    page.evaluate("window.__progressMarker = 1")
    switch = page.get_by_role("navigation", name="Period")

    switch.get_by_role("link", name="Months").click()
    expect(page.get_by_role("heading", name="This month")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/progress/\?period=monthly$"))
    expect(switch.get_by_role("link", name="Months")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("img", name=re.compile("Weight at the end per month"))).to_be_visible()

    switch.get_by_role("link", name="Years").click()
    expect(page.get_by_role("heading", name="This year")).to_be_visible()
    assert page.evaluate("window.__progressMarker") == 1, "the switcher reloaded the page"
    page.go_back()
    expect(page.get_by_role("heading", name="This month")).to_be_visible()
