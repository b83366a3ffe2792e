"""The goals overview as a tree: sub-goals under their parents, folded and unfolded, on a phone and a
desktop, and still folded after the list refreshes itself."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP
from .test_goals import assert_not_reloaded, make_goal, mark

PHONE_390 = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["phone", "desktop"])
def test_sub_goals_fold_under_their_parent_and_stay_folded_through_a_refresh(
        open_page, log_in, app, user, today, viewport):
    year = make_goal(app, user["id"], today, "Read 24 books", goal_type="yearly", measure="children")
    may = make_goal(app, user["id"], today, "Read 2 in May", parent_goal_id=year,
                    target_value=Decimal(2), target_unit="books")
    run = make_goal(app, user["id"], today, "Run 10 times", target_value=Decimal(10), target_unit="runs")
    page = open_page(viewport)
    log_in(page, user["username"])
    page.goto("/goals")
    mark(page)
    parent = page.locator(f"#goal-{year}")
    child = parent.locator(f"#goal-{may}")
    expect(child).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    fold = page.locator(f"#subgoals-{year} > summary")
    expect(fold).to_have_text("1 sub-goal of Read 24 books")
    fold.click()
    expect(child).to_be_hidden()
    # Progress on another goal refreshes the whole list: the fold stays as the user left it.
    page.locator(f"#goal-{run}").get_by_role("button", name="Add 1 runs to Run 10 times").click()
    expect(page.locator(f"#goal-{run}").get_by_role("progressbar")).to_have_attribute("value", "10")
    expect(child).to_be_hidden()
    fold.click()
    expect(child).to_be_visible()
    child.get_by_role("button", name="Add 1 books to Read 2 in May").click()
    expect(child.get_by_role("progressbar")).to_have_attribute("value", "50")
    # The parent takes its progress from its sub-goals and moves with them.
    expect(parent.get_by_role("progressbar").first).to_have_attribute("value", "50")
    assert_not_reloaded(page)


def test_sub_goals_fold_without_javascript(browser, live_server, app, user, today):
    from tests.conftest import PASSWORD

    year = make_goal(app, user["id"], today, "Read 24 books", goal_type="yearly", measure="children")
    may = make_goal(app, user["id"], today, "Read 2 in May", parent_goal_id=year)
    context = browser.new_context(base_url=live_server, viewport=PHONE_390, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Email or username").fill(user["username"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto("/goals")
        child = page.locator(f"#goal-{may}")
        expect(child).to_be_visible()
        page.locator(f"#subgoals-{year} > summary").click()
        expect(child).to_be_hidden()
    finally:
        context.close()
