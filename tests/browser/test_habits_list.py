"""The habits list in a real browser: tapping a day's mark checks it in place, on a phone and a desktop."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import HabitEntry

from .conftest import DESKTOP
from .test_habits import assert_not_reloaded, entries, make_habit, mark, numeric, settle

PHONE_390 = {"width": 390, "height": 844}


def short(day) -> str:
    return f"{day:%a} {day.day} {day:%b}"


@pytest.fixture(params=[PHONE_390, DESKTOP], ids=["phone", "desktop"])
def list_page(request, open_page, user, log_in):
    def open_():
        page = open_page(request.param)
        log_in(page, user["username"])
        page.goto("/habits")
        mark(page)
        return page

    return open_


def test_tapping_a_day_checks_it_in_and_updates_the_card_in_place(list_page, app, user, today):
    meditate = make_habit(app, user["id"], "Meditate")
    page = list_page()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    card = page.locator(f"#habit-card-{meditate}")
    yesterday = card.get_by_role("button", name=f"Meditate, {short(today - timedelta(days=1))}")
    todays = card.get_by_role("button", name=f"Meditate, {short(today)}")
    expect(card.locator(".streak")).to_have_text("0-day streak")

    todays.click()
    expect(todays).to_have_attribute("aria-pressed", "true")
    expect(card.locator(".streak")).to_have_text("1-day streak")
    yesterday.click()
    expect(yesterday).to_have_attribute("aria-pressed", "true")
    expect(card.locator(".streak")).to_have_text("2-day streak")
    expect(card.locator(".habit-strength")).not_to_have_text("0% strength")
    # The focus stays on the mark, so a keyboard user can go on.
    expect(yesterday).to_be_focused()
    assert_not_reloaded(page)
    assert entries(app, meditate) == {today: (True, False, None, None),
                                      today - timedelta(days=1): (True, False, None, None)}

    todays.click()
    expect(todays).to_have_attribute("aria-pressed", "false")
    # Yesterday's streak still stands while today is open.
    expect(card.locator(".streak")).to_have_text("1-day streak")
    assert entries(app, meditate)[today] == (False, False, None, None)


def test_a_quick_double_tap_ends_with_the_mark_and_the_database_agreeing(list_page, app, user, today):
    meditate = make_habit(app, user["id"], "Meditate")
    page = list_page()
    todays = page.locator(f"#habit-card-{meditate}").get_by_role("button", name=f"Meditate, {short(today)}")
    todays.dblclick()
    settle(page)
    pressed = todays.get_attribute("aria-pressed") == "true"
    with app.app_context():
        stored = db.session.scalars(
            sa.select(HabitEntry.completed).where(HabitEntry.habit_id == meditate, HabitEntry.entry_date == today)
        ).all()
    assert stored == [pressed], f"the mark shows {'done' if pressed else 'not done'}, the database has {stored}"
    page.reload()
    expect(todays).to_have_attribute("aria-pressed", "true" if pressed else "false")


def test_a_number_habits_day_opens_its_value_and_shows_it(list_page, app, user, today):
    water = make_habit(app, user["id"], "Water", **numeric())
    page = list_page()
    card = page.locator(f"#habit-card-{water}")
    card.locator(f"#mark-{water}-{today.isoformat()}").click()
    field = card.get_by_label(f"Water on {short(today)} (glasses)")
    expect(field).to_be_focused()
    field.fill("9")
    field.press("Enter")
    todays = card.locator(f"#mark-{water}-{today.isoformat()}")
    expect(todays.locator(".mark-glyph")).to_have_text("9")
    expect(todays).to_be_focused()  # back on the day, ready for the next one
    expect(todays).to_have_class("mark done is-today")
    expect(card.locator(".streak")).to_have_text("1-day streak")
    assert_not_reloaded(page)
    assert entries(app, water)[today][2] == 9


def test_moving_a_habit_keeps_its_marks_working(list_page, app, user, today):
    make_habit(app, user["id"], "Run")
    read = make_habit(app, user["id"], "Read")
    page = list_page()
    page.get_by_role("button", name="Move up: Read").click()
    expect(page.locator(".habit-card").first).to_have_id(f"habit-card-{read}")
    page.locator(f"#habit-card-{read}").get_by_role("button", name=f"Read, {short(today)}").click()
    expect(page.locator(f"#mark-{read}-{today.isoformat()}")).to_have_attribute("aria-pressed", "true")
    assert entries(app, read) == {today: (True, False, None, None)}
