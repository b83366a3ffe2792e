"""The journal in a real browser: the preview follows the typing, a review becomes a draft, and a
shared entry's link opens for a visitor who is not logged in."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import BlogEntry, DailyReview


def test_the_preview_updates_while_typing(signed_in):
    page = signed_in
    page.goto("/journal/new")
    page.evaluate("window.__journalMarker = 7")
    editor = page.get_by_label("Text (Markdown)")
    preview = page.locator("#entry-preview")
    editor.press_sequentially("# Morning pages\n\nI felt **great** <script>window.__pwned = 1</script>", delay=5)
    expect(preview.get_by_role("heading", name="Morning pages")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("great")
    expect(preview).to_contain_text("<script>window.__pwned = 1</script>")
    editor.fill("Now a *list*:\n\n- one\n- two")
    expect(preview.get_by_role("listitem")).to_have_count(2)
    expect(preview.get_by_role("heading")).to_have_count(0)
    assert page.evaluate("window.__journalMarker") == 7, "the page reloaded instead of swapping the preview"
    assert page.evaluate("window.__pwned") is None


def test_a_review_becomes_a_draft_then_a_shared_entry_a_stranger_can_read(app, signed_in, user, calm_today,
                                                                           open_page):
    page = signed_in
    with app.app_context():
        db.session.add(DailyReview(user_id=user["id"], review_date=calm_today, mood_rating=8,
                                   gratitude="Coffee with Sam", highlights="Finished the draft"))
        db.session.commit()
    page.goto("/journal/")
    page.get_by_role("button", name="Write a journal entry from today's review").click()
    expect(page.get_by_role("heading", name="Edit entry")).to_be_visible()
    expect(page.locator("#entry-preview").get_by_role("heading", name="Gratitude")).to_be_visible()
    expect(page.locator("#entry-preview")).to_contain_text("Mood: 8/10")

    page.get_by_label("Title").fill("A good day")
    page.get_by_label("Address").fill("")
    page.get_by_label("Status").select_option("published")
    page.get_by_label("Anyone with the link can read it once published").check()
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", name="A good day", level=1)).to_be_visible()
    link = page.locator(".public-link a")
    expect(link).to_have_text(f"{page.url.split('/journal/')[0]}/u/{user['username']}/a-good-day")
    url = link.get_attribute("href")

    stranger = open_page()  # a fresh context: no cookies, not logged in
    stranger.goto(url)
    expect(stranger.get_by_role("heading", name="A good day", level=1)).to_be_visible()
    expect(stranger.locator(".entry-body")).to_contain_text("Coffee with Sam")
    expect(stranger.get_by_role("link", name="Log in")).to_be_visible()
    expect(stranger.get_by_role("button", name="Log out")).to_have_count(0)
    stranger.get_by_role("link", name=user["username"]).click()
    expect(stranger.get_by_role("link", name="A good day")).to_be_visible()

    with app.app_context():
        entry = db.session.scalar(sa.select(BlogEntry).where(BlogEntry.user_id == user["id"]))
        assert (entry.status, entry.is_public, entry.view_count) == ("published", True, 1)
        assert entry.published_at is not None


def test_the_editor_fits_a_phone(phone_page, user, log_in):
    log_in(phone_page, user["username"])
    phone_page.goto("/journal/new")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    expect(phone_page.get_by_label("Text (Markdown)")).to_be_visible()


def test_filters_narrow_the_list_in_place_and_update_the_address(app, signed_in, user):
    with app.app_context():
        db.session.add_all([
            BlogEntry(user_id=user["id"], title="Draft thoughts", slug="draft-thoughts", status="draft"),
            BlogEntry(user_id=user["id"], title="Shared story", slug="shared-story", status="published"),
        ])
        db.session.commit()
    page = signed_in
    page.goto("/journal/")
    page.evaluate("window.__journalMarker = 5")
    titles = page.locator("#entry-list h2 a")
    expect(titles).to_have_count(2)
    page.get_by_label("Status").select_option("draft")
    expect(titles).to_have_text(["Draft thoughts"])
    expect(page).to_have_url(re.compile(r"status=draft"))
    assert page.evaluate("window.__journalMarker") == 5, "the page reloaded"
