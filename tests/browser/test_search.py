"""The header search in a real browser: results appear as the user types, without a reload, and
the address follows the query so back and reload work."""

import re

from playwright.sync_api import expect

from tests.tags.support import make_goal, make_habit


def test_search_as_you_type_in_the_header(app, signed_in, user, other_user):
    page = signed_in
    make_habit(app, user["id"], "Morning run", description="Easy pace")
    make_goal(app, user["id"], "Run a <b>marathon</b>")
    make_habit(app, other_user["id"], "Secret run")
    page.goto("/habits")
    page.evaluate("window.__searchMarker = 42")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Habits")).to_have_attribute("aria-current", "page")

    box = page.get_by_role("searchbox", name="Search everything")
    box.press_sequentially("run", delay=40)
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="Morning run")).to_be_visible()
    expect(results.get_by_role("link", name="Run a <b>marathon</b>")).to_be_visible()
    expect(results.locator("mark").first).to_have_text(re.compile("run", re.IGNORECASE))
    expect(results).not_to_contain_text("Secret")
    assert page.evaluate("window.__searchMarker") == 42, "the page reloaded"
    expect(page).to_have_url(re.compile(r"/search/\?q=run$"))
    expect(page).to_have_title("Search: run · Let's Manifest")
    expect(box).to_be_focused()
    # The results are no menu item's page: Habits is no longer marked as the one shown.
    expect(page.locator('header [aria-current="page"]')).to_have_count(0)
    # Results replace the page's content, not the message area other htmx answers report into.
    expect(page.locator("#main > #flashes")).to_have_count(1)

    box.press_sequentially(" -morning", delay=40)
    expect(results.get_by_role("link", name="Morning run")).to_have_count(0)
    expect(results.get_by_role("link", name="Run a <b>marathon</b>")).to_be_visible()
    assert page.evaluate("window.__searchMarker") == 42

    # The address is a real page: reloading it shows the same results.
    page.reload()
    expect(page.locator("#search-results").get_by_role("link", name="Run a <b>marathon</b>")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search everything")).to_have_value("run -morning")


def test_search_without_javascript(app, browser, live_server, user):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Email or username").fill(user["username"])
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Log in").click()
        make_habit(app, user["id"], "Evening read")
        page.get_by_role("searchbox", name="Search everything").fill("read")
        page.get_by_role("search").get_by_role("button", name="Search").click()
        expect(page.get_by_role("link", name="Evening read")).to_be_visible()
    finally:
        context.close()
