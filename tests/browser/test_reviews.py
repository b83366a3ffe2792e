"""Daily reviews in a real browser: every answer saves as it is given, survives closing the tab, and a
mood tap says "saved" at once; the reviews page shows the mood in the calendar and the trend."""

import re

from playwright.sync_api import expect

from tests.reviews.conftest import row


def test_a_typed_answer_is_there_after_closing_and_reopening_the_page(app, open_page, log_in, user, today):
    page = open_page()
    log_in(page, user["username"])
    page.goto("/reviews/today")
    expect(page.get_by_role("heading", name="Today's review")).to_be_visible()
    page.get_by_label("Gratitude").fill("A long walk by the river")
    page.get_by_label("Steps").fill("9,500")
    page.get_by_label("Steps").press("Tab")  # the answer saves when the field loses focus
    expect(page.locator("#steps-status")).to_have_text("Saved")
    expect(page.locator("#gratitude-status")).to_have_text("Saved")
    # The first answer made the review; what needs it loads before the tab is closed.
    expect(page.get_by_role("heading", name="Attachments")).to_be_visible()
    context = page.context
    page.close()

    again = context.new_page()
    again.goto(f"/reviews/{today.isoformat()}")
    expect(again.get_by_label("Gratitude")).to_have_value("A long walk by the river")
    expect(again.get_by_label("Steps")).to_have_value("9500")
    stored = row(app, user["id"], today)
    assert stored.gratitude == "A long walk by the river" and stored.steps == 9500


def test_tapping_a_mood_saves_it_and_says_so(app, signed_in, user, today):
    page = signed_in
    page.goto("/reviews/today")
    page.evaluate("window.__reviewMarker = 1")
    expect(page.get_by_role("button", name=re.compile("Write a journal entry"))).to_have_count(0)
    mood = page.get_by_role("group", name="Mood")
    with page.expect_request(lambda r: r.method == "POST") as sent:
        mood.get_by_text("8", exact=True).click()
    # Only the tapped field travels: a stale copy of the other answers must never overwrite newer ones.
    assert sent.value.post_data == "mood_rating=8"
    expect(page.locator("#mood_rating-status")).to_have_text(re.compile("saved", re.IGNORECASE))
    expect(page.locator("#review-progress")).to_contain_text("1 of 14")
    expect(mood.get_by_role("radio", name="8", exact=True)).to_be_checked()
    # The first answer made the review: what needs it (the journal draft, tags, attachments) appears.
    expect(page.get_by_role("button", name=re.compile("Write a journal entry"))).to_be_visible()
    expect(page.get_by_role("heading", name="Attachments")).to_be_visible()

    page.get_by_role("group", name="Energy").get_by_text("3", exact=True).click()
    expect(page.locator("#energy_level-status")).to_have_text("Saved")
    assert page.evaluate("window.__reviewMarker") == 1, "the page reloaded instead of saving in place"
    stored = row(app, user["id"], today)
    assert (stored.mood_rating, stored.energy_level) == (8, 3)

    page.get_by_role("link", name="All reviews").click()
    expect(page.get_by_role("heading", name="Reviews", level=1)).to_be_visible()
    expect(page.locator(f'a.review-cell.mood-8[href="/reviews/{today.isoformat()}"]')).to_be_visible()
    expect(page.get_by_role("img", name="Mood over the last 30 days")).to_be_visible()


def test_a_wrong_number_is_explained_next_to_the_field_and_not_saved(app, signed_in, user, today, browser_errors):
    browser_errors.allow_status(422)
    page = signed_in
    page.goto("/reviews/today")
    page.get_by_label("Sleep").fill("25")
    page.get_by_label("Sleep").press("Tab")
    expect(page.locator("#sleep_hours-status")).to_have_text("Enter hours of sleep from 0 to 24.")
    page.get_by_label("Sleep").fill("7:30")
    page.get_by_label("Sleep").press("Tab")
    expect(page.locator("#sleep_hours-status")).to_have_text("Saved")
    assert str(row(app, user["id"], today).sleep_hours) == "7.5"


def test_the_review_works_on_a_phone(open_page, log_in, user):
    page = open_page({"width": 375, "height": 740})
    log_in(page, user["username"])
    page.goto("/reviews/today")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px screen"
    box = page.get_by_role("group", name="Mood").locator("label.rating-button").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 24


def test_the_first_answer_brings_the_tag_editor_and_attachments_of_the_new_review(app, signed_in, user, today):
    page = signed_in
    page.goto("/reviews/today")
    page.evaluate("window.__extrasMarker = 2")
    expect(page.get_by_label("Add a tag")).to_have_count(0)
    page.get_by_label("Highlights").fill("Swam in the lake")
    page.get_by_label("Highlights").press("Tab")
    expect(page.locator("#highlights-status")).to_have_text("Saved")
    review = row(app, user["id"], today)
    # Each section loads itself from its own area once the review exists, and works at once.
    tags = page.locator(f"#tags-daily_review-{review.id}")
    tags.get_by_label("Add a tag").fill("Summer")
    tags.get_by_label("Add a tag").press("Enter")
    expect(tags.get_by_role("link", name="Summer")).to_be_visible()
    expect(page.locator(f"#attachments-daily_review-{review.id}").get_by_label("Add images or files")).to_be_visible()
    assert page.evaluate("window.__extrasMarker") == 2, "the page reloaded"
