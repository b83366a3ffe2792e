"""A habit's year on its page: open at today, labelled, one Tab stop with arrow keys inside, and
days big enough for a finger."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP
from .test_habits import assert_not_reloaded, entries, make_habit, mark

PHONE_390 = {"width": 390, "height": 844}


def long_date(day) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


@pytest.fixture(params=[PHONE_390, DESKTOP], ids=["phone", "desktop"])
def habit_page(request, open_page, app, user, log_in):
    def open_(name="Meditate"):
        habit_id = make_habit(app, user["id"], name)
        page = open_page(request.param)
        log_in(page, user["username"])
        page.goto(f"/habits/{habit_id}")
        mark(page)
        return page, habit_id

    return open_


def cell(page, day):
    return page.locator(f"#c{day.isoformat()}")


def test_the_year_opens_at_today_with_months_and_weekdays_named(habit_page, today):
    page, _ = habit_page()
    scroller = page.locator(".heatmap-scroll")
    box, area = cell(page, today).bounding_box(), scroller.bounding_box()
    assert area["x"] <= box["x"] and box["x"] + box["width"] <= area["x"] + area["width"], "today is scrolled out of sight"
    for name in ("Mon", "Wed", "Sun"):
        expect(page.locator(".heatmap-days").get_by_text(name, exact=True)).to_be_visible()
    month = f"{today.replace(day=1):%b}"
    if today.day > 7:  # the month's first week is on screen too
        expect(page.locator(".heatmap-month").filter(has_text=month)).to_be_visible()
    # The weekday names stay beside the weeks while they scroll.
    first_day = page.locator(".heatmap-days .heatmap-day").first
    assert first_day.bounding_box()["x"] < box["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_the_year_is_one_tab_stop_with_arrow_keys_inside(habit_page, app, today):
    page, habit_id = habit_page()
    page.get_by_role("button", name="Archive").focus()
    for _ in range(40):  # Tab on until the year: the first of its days reached is today
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.heatmap .cell')"):
            break
    expect(cell(page, today)).to_be_focused()
    expect(page.get_by_role("button", name=f"{long_date(today)}: not done")).to_be_focused()

    page.keyboard.press("ArrowLeft")
    expect(cell(page, today - timedelta(days=7))).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(cell(page, today - timedelta(days=8))).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(cell(page, today - timedelta(days=1))).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(cell(page, today)).to_be_focused()
    page.keyboard.press("ArrowDown")  # no day after today: the focus stays
    expect(cell(page, today)).to_be_focused()
    page.keyboard.press("Home")
    first = page.locator(".heatmap button.cell").first
    expect(first).to_be_focused()
    page.keyboard.press("End")
    expect(cell(page, today)).to_be_focused()

    # One stop: Tab leaves the year, Shift+Tab comes back to the day last visited.
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Tab")
    assert page.evaluate("!document.activeElement.matches('.heatmap .cell')")
    page.keyboard.press("Shift+Tab")
    expect(cell(page, today - timedelta(days=7))).to_be_focused()

    # Enter marks the focused day, in place, and the focus stays on it.
    page.keyboard.press("Enter")
    expect(cell(page, today - timedelta(days=7))).to_have_class("cell done")
    expect(cell(page, today - timedelta(days=7))).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(cell(page, today)).to_have_class("cell done")
    expect(page.locator("#habit-stats .stat").filter(has_text="times done").locator(".stat-value")).to_have_text("2")
    assert_not_reloaded(page)
    assert entries(app, habit_id) == {today - timedelta(days=7): (True, False, None, None),
                                      today: (True, False, None, None)}
    assert page.locator(".heatmap [tabindex='0']").count() == 1


def test_days_are_big_enough_or_far_enough_apart_for_a_finger(habit_page, today):
    page, _ = habit_page()
    width = page.viewport_size["width"]
    box = cell(page, today).bounding_box()
    above = cell(page, today - timedelta(days=1)).bounding_box()
    if width < 640:
        assert box["width"] >= 24 and box["height"] >= 24, box
    # Centres 24 px apart at least: WCAG 2.2's target size, by size or by spacing.
    assert box["y"] - above["y"] >= 24 and box["width"] >= 16
