"""Pages fit a phone-width screen: nothing scrolls sideways at 375 px, and the header stays small."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import PHONE


def assert_fits(page, width: int = PHONE["width"]) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow} px wide on a {width} px screen"


@pytest.mark.parametrize("path", ["/login", "/signup"])
def test_public_pages_fit_a_phone(phone_page, path):
    phone_page.goto(path)
    assert_fits(phone_page)


@pytest.mark.parametrize("path", ["/", "/settings"])
def test_signed_in_pages_fit_a_phone(phone_page, app, make_user, log_in, path):
    # A long unbroken name is the usual way a heading pushes a page wider than the screen.
    make_user("a_rather_long_username_of_forty_chars_x")
    log_in(phone_page, "a_rather_long_username_of_forty_chars_x")
    phone_page.goto(path)
    assert_fits(phone_page)


# A phone of today (an iPhone 12 to 15): the header once took 225 px of its 844.
TALL_PHONE = {"width": 390, "height": 844}
HEADER_MAX_PX = 64
MAIN_LINKS = ["Today", "Habits", "Goals", "Food", "Workouts", "Reviews", "Journal", "Settings"]


def header_bottom(page) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().bottom")


def test_the_phone_header_is_one_compact_bar_with_a_menu(open_page, user, log_in):
    page = open_page(TALL_PHONE)
    log_in(page, user["username"])
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= HEADER_MAX_PX
    expect(page.locator("#bell")).to_be_visible()
    expect(header.get_by_role("link", name="Goals")).to_be_hidden()

    menu = page.locator(".menu-toggle summary")
    expect(menu).to_have_text("Menu")
    menu.click()
    for name in MAIN_LINKS:
        expect(header.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search everything")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator("#bell")).to_be_visible()

    header.get_by_role("link", name="Goals").click()
    expect(page.get_by_role("heading", name="Goals", level=1)).to_be_visible()
    # The new page starts with the menu folded again.
    assert header.bounding_box()["height"] <= HEADER_MAX_PX


def test_the_phone_header_never_covers_what_gets_the_focus(open_page, user, log_in):
    page = open_page(TALL_PHONE)
    log_in(page, user["username"])
    page.goto("/food")
    # Every meal's add form open: a long page full of fields.
    page.evaluate("document.querySelectorAll('details.meal-add').forEach(d => d.open = true)")
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * TALL_PHONE["height"], "the page is too short"
    # A field far down the page; the page is scrolled so that it sits just below the screen's top
    # edge, where a sticky header would cover it (as Shift+Tab back up to it leaves it).
    page.evaluate("""() => {
        const middle = document.documentElement.scrollHeight / 2;
        const fields = [...document.querySelectorAll("main input:not([type=hidden])")];
        const y = e => e.getBoundingClientRect().top + window.scrollY;
        fields.sort((a, b) => Math.abs(y(a) - middle) - Math.abs(y(b) - middle))[0].dataset.target = "";
    }""")
    target = page.locator("[data-target]")
    page.evaluate("e => window.scrollBy(0, e.getBoundingClientRect().top - 8)", target.element_handle())
    target.focus()
    top = target.evaluate("e => e.getBoundingClientRect().top")
    assert top >= header_bottom(page), f"the focused field (top {top}) is under the header"
    # A link to a section (#main, a meal's heading) lands below the bar too.
    heading = page.locator("main h2").last
    heading.evaluate("e => e.scrollIntoView()")
    top = heading.evaluate("e => e.getBoundingClientRect().top")
    assert top >= header_bottom(page), f"the heading scrolled to (top {top}) is under the header"

def test_the_phone_menu_opens_where_the_reader_is(open_page, user, log_in):
    page = open_page(TALL_PHONE)
    log_in(page, user["username"])
    page.goto("/food")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.locator(".menu-toggle summary").click()
    header = page.locator(".site-header")
    for name in MAIN_LINKS:
        expect(header.get_by_role("link", name=name, exact=True)).to_be_in_viewport()
    expect(page.get_by_role("button", name="Log out")).to_be_in_viewport()


def test_the_phone_menu_opens_without_javascript(browser, live_server, user):
    context = browser.new_context(base_url=live_server, viewport=TALL_PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Email or username").fill(user["username"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        header = page.locator(".site-header")
        expect(header.get_by_role("link", name="Journal")).to_be_hidden()
        page.locator(".menu-toggle summary").click()
        header.get_by_role("link", name="Journal").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Journal")
    finally:
        context.close()


def test_a_wide_screen_shows_the_links_without_a_menu(signed_in):
    header = signed_in.locator(".site-header")
    expect(header.locator(".menu-toggle")).to_be_hidden()
    assert header.bounding_box()["height"] <= 72, "the header takes more than one row at 1280 px"
    for name in MAIN_LINKS:
        expect(header.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(signed_in.get_by_role("searchbox", name="Search everything")).to_be_visible()
    expect(signed_in.locator("#bell")).to_be_visible()


# Widths where the wide header shows its links and search in one row: the narrowest of them once
# wrapped onto a second row and cut the search box's placeholder.
WIDE_WIDTHS = [1024, 1100, 1230, 1280, 1920]


def header_rows(page) -> list[float]:
    """The distinct vertical centres of what the header shows: one per row."""
    return page.evaluate("""() => {
        const items = [...document.querySelectorAll(
            '.site-header .brand, .site-header .bell, .site-nav a, .site-header .search-box, .site-header .logout')];
        const centres = items.filter(e => e.getClientRects().length)
            .map(e => { const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); });
        return [...new Set(centres)].sort((a, b) => a - b);
    }""")


def placeholder_room(page) -> tuple[float, float]:
    """The search placeholder's width in the input's font, and the room the input has for text."""
    return page.evaluate("""() => {
        const input = document.querySelector('#site-search');
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return [context.measureText(input.placeholder).width, room];
    }""")


@pytest.mark.parametrize("width", WIDE_WIDTHS)
def test_the_wide_header_is_one_row_with_the_whole_placeholder(open_page, user, log_in, width):
    page = open_page({"width": width, "height": 800})
    log_in(page, user["username"])
    rows = header_rows(page)
    assert max(rows) - min(rows) <= 8, f"the header wraps at {width} px: rows at {rows}"
    assert page.locator(".site-header").bounding_box()["height"] <= 72
    assert page.locator(".brand").bounding_box()["height"] <= 32, "the name breaks onto two lines"
    text, room = placeholder_room(page)
    assert text <= room, f"the placeholder needs {text:.0f} px, the box has {room:.0f} px at {width} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [320, 390, 768, 1023])
def test_a_narrow_header_stays_one_compact_bar(open_page, user, log_in, width):
    page = open_page({"width": width, "height": 740})
    log_in(page, user["username"])
    assert page.locator(".site-header").bounding_box()["height"] <= HEADER_MAX_PX
    expect(page.locator(".menu-toggle summary")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator(".menu-toggle summary").click()
    text, room = placeholder_room(page)
    assert text <= room, f"the placeholder needs {text:.0f} px, the box has {room:.0f} px at {width} px"


def test_access_tokens_with_a_token_fit_a_phone(open_page, app, user, log_in):
    """Once a token exists its table sat inside the token section's grid, which grew to the table's
    width and pushed the form card off the screen."""
    page = open_page(TALL_PHONE)
    log_in(page, user["username"])
    page.goto("/settings/tokens")
    form = page.locator("#token-form")
    form.get_by_label("Name").fill("Home automation with a long name")
    form.get_by_label("Write: add and change data").check()
    form.get_by_label("Habits").check()
    form.get_by_role("button", name="Create token").click()
    expect(page.locator("tr", has_text="Home automation")).to_be_visible()
    page.reload()
    expect(page.locator("tr", has_text="Home automation")).to_be_visible()
    assert_fits(page, TALL_PHONE["width"])
    # The table scrolls inside its own labelled box rather than the page.
    expect(page.get_by_role("region", name="Table of your tokens")).to_be_visible()
    section = page.locator("section.token-section").bounding_box()
    assert section["x"] + section["width"] <= TALL_PHONE["width"]


def test_the_latest_measurements_fit_a_phone(open_page, app, user, today, log_in):
    from tests.progress.conftest import add_weight

    for n, kg in enumerate(["81.4", "80.9", "80.2"]):
        add_weight(app, user["id"], today - timedelta(days=30 * n + 3), kg)
    page = open_page(TALL_PHONE)
    log_in(page, user["username"])
    page.goto("/progress/measurements")
    table = page.locator(".measurement-table")
    expect(table).to_be_visible()
    assert_fits(page, TALL_PHONE["width"])
    # Each day reads on one line.
    heights = table.locator("tbody th").evaluate_all("cells => cells.map(c => c.getBoundingClientRect().height)")
    weight_heights = table.locator("tbody td:nth-child(2)").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().height)")
    assert max(heights) <= max(weight_heights) + 1, f"a day wraps: {heights} against {weight_heights}"
