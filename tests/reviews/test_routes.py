"""The review of one day: autosave one field at a time, inline errors, the form without JavaScript."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from manifest.extensions import db
from manifest.models import DailyReview
from manifest.reviews.forms import FIELD_NAMES, RATING_NAMES
from tests.conftest import HX
from tests.reviews.conftest import insert, row, rows

FULL_FORM = {
    "mood_rating": "8", "energy_level": "6", "productivity_rating": "7", "sleep_quality": "5",
    "sleep_hours": "7.5", "water_intake_ml": "2000", "steps": "9500", "screen_time_minutes": "120",
    "accomplishments": "Shipped the release", "challenges": "Meetings", "lessons_learned": "Start early",
    "gratitude": "Friends", "tomorrow_intentions": "Run in the morning", "highlights": "Dinner outside",
}


def url(day) -> str:
    return f"/reviews/{day.isoformat()}"


def status_text(body: str, name: str) -> str:
    match = re.search(rf'<span id="{name}-status"[^>]*>(.*?)</span>\s*(?:</span>)?', body, re.DOTALL)
    assert match, f"no status for {name}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# --- the page ------------------------------------------------------------------------------

def test_today_redirects_to_the_users_local_day(auth_client, today):
    response = auth_client.get("/reviews/today")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url(today))


def test_the_page_offers_every_field_with_ratings_as_ten_tap_targets(auth_client, today):
    body = auth_client.get(url(today)).get_data(as_text=True)
    assert "Today&#39;s review" in body or "Today's review" in body
    assert "<select" not in body
    for name in RATING_NAMES:
        assert len(re.findall(rf'type="radio" class="rating-input" name="{name}" id="{name}-\d+"', body)) == 10
        assert f'hx-params="{name}"' in body
    for name in FIELD_NAMES:
        assert f'id="{name}-status"' in body
        assert f'for="{name}' in body  # a visible label
    assert 'hx-trigger="keyup changed delay:800ms, change, blur changed"' in body
    assert '<form method="post" action="/reviews/' in body
    assert "0</strong> of 14 answered" in body


def test_a_malformed_day_is_a_400(auth_client):
    assert auth_client.get("/reviews/2024-13-01").status_code == 400
    assert auth_client.post("/reviews/yesterday", data={"mood_rating": "5"}, headers=HX).status_code == 400


def test_a_future_day_cannot_be_reviewed(app, auth_client, user, today):
    tomorrow = today + timedelta(days=1)
    body = auth_client.get(url(tomorrow)).get_data(as_text=True)
    assert "has not happened yet" in body and 'name="mood_rating"' not in body
    assert auth_client.post(url(tomorrow), data={"mood_rating": "5"}, headers=HX).status_code == 400
    assert auth_client.post(url(tomorrow), data=FULL_FORM).status_code == 400
    assert rows(app, user["id"]) == []


def test_a_post_without_any_field_is_refused(app, auth_client, user, today):
    assert auth_client.post(url(today), data={"user_id": "x"}, headers=HX).status_code == 400
    assert rows(app, user["id"]) == []


# --- autosave ------------------------------------------------------------------------------

def test_autosave_creates_the_row_and_says_saved(app, auth_client, user, today):
    response = auth_client.post(url(today), data={"mood_rating": "7"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert status_text(body, "mood_rating") == "Saved"
    assert 'id="review-progress"' in body and 'hx-swap-oob="true"' in body and "<strong>1</strong> of 14" in body
    saved = row(app, user["id"], today)
    assert saved.mood_rating == 7 and saved.user_id == user["id"]


def test_saving_one_field_never_wipes_the_others(app, auth_client, user, today):
    for name, value in FULL_FORM.items():
        assert auth_client.post(url(today), data={name: value}, headers=HX).status_code == 200
    auth_client.post(url(today), data={"steps": "12000"}, headers=HX)
    auth_client.post(url(today), data={"highlights": "  A new highlight  "}, headers=HX)

    [saved] = rows(app, user["id"])
    assert saved.steps == 12000 and saved.highlights == "A new highlight"
    assert (saved.mood_rating, saved.energy_level, saved.productivity_rating, saved.sleep_quality) == (8, 6, 7, 5)
    assert saved.sleep_hours == Decimal("7.5") and saved.water_intake_ml == 2000
    assert saved.screen_time_minutes == 120 and saved.accomplishments == "Shipped the release"
    assert saved.tomorrow_intentions == "Run in the morning"
    body = auth_client.get(url(today)).get_data(as_text=True)
    assert "14</strong> of 14" in body
    assert 'id="mood_rating-8" value="8" checked' in body
    assert 'value="12000"' in body and ">A new highlight</textarea>" in body


def test_clearing_a_field_sets_it_null(app, auth_client, user, today):
    insert(app, user["id"], today, mood_rating=4, steps=100, gratitude="Sun")
    for name in ("mood_rating", "steps", "gratitude"):
        response = auth_client.post(url(today), data={name: ""}, headers=HX)
        assert response.status_code == 200 and status_text(response.get_data(as_text=True), name) == "Saved"
    saved = row(app, user["id"], today)
    assert (saved.mood_rating, saved.steps, saved.gratitude) == (None, None, None)
    body = auth_client.get(url(today)).get_data(as_text=True)
    assert 'id="mood_rating-none" value="" checked' in body


@pytest.mark.parametrize(("text", "stored"), [
    ("7:30", Decimal("7.5")), ("6,5", Decimal("6.5")), ("7.25", Decimal("7.3")), ("0", Decimal(0)), ("24", Decimal(24)),
])
def test_sleep_takes_decimals_commas_and_hours_with_minutes(app, auth_client, user, today, text, stored):
    assert auth_client.post(url(today), data={"sleep_hours": text}, headers=HX).status_code == 200
    assert row(app, user["id"], today).sleep_hours == stored


def test_steps_take_thousands_separators(app, auth_client, user, today):
    auth_client.post(url(today), data={"steps": "10,000"}, headers=HX)
    assert row(app, user["id"], today).steps == 10000


@pytest.mark.parametrize(("name", "value", "message"), [
    ("mood_rating", "11", "Choose mood from 1 to 10."),
    ("mood_rating", "0", "Choose mood from 1 to 10."),
    ("energy_level", "great", "Choose energy from 1 to 10."),
    ("sleep_hours", "25", "Enter hours of sleep from 0 to 24."),
    ("sleep_hours", "-1", "Enter hours of sleep from 0 to 24."),
    ("sleep_hours", "lots", "Enter hours of sleep as a number, e.g. 7.5."),
    ("sleep_hours", "1e30", "Enter hours of sleep from 0 to 24."),
    ("sleep_hours", "NaN", "Enter hours of sleep as a number, e.g. 7.5."),
    ("steps", "-5", "Enter steps from 0 to 200,000."),
    ("steps", "ten", "Enter a whole number, e.g. 8000."),
    ("steps", "1.5", "Enter a whole number, e.g. 8000."),
    ("steps", "9" * 40, "Enter a whole number, e.g. 8000."),
    ("water_intake_ml", "99999999999", "Enter water from 0 to 20,000 ml."),
    ("screen_time_minutes", "1441", "Enter screen time from 0 to 1440 minutes (a whole day)."),
    ("gratitude", "x" * 10_001, "Keep it under 10,000 characters."),
    ("highlights", "nul\x00byte", "Contains a character that is not allowed."),
])
def test_an_invalid_value_is_shown_next_to_its_field_and_nothing_is_saved(
    app, auth_client, user, today, name, value, message,
):
    insert(app, user["id"], today, mood_rating=5, sleep_hours=Decimal(8), steps=10, water_intake_ml=1,
           screen_time_minutes=3, gratitude="kept", highlights="kept", energy_level=2)
    before = row(app, user["id"], today)

    response = auth_client.post(url(today), data={name: value}, headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert status_text(body, name) == message
    assert "review-progress" not in body

    page = auth_client.post(url(today), data={**FULL_FORM, name: value})
    assert page.status_code == 422
    page_body = page.get_data(as_text=True)
    assert status_text(page_body, name) == message
    # The other answers typed are still in the form.
    assert "Shipped the release</textarea>" in page_body

    after = row(app, user["id"], today)
    assert {n: getattr(after, n) for n in FIELD_NAMES} == {n: getattr(before, n) for n in FIELD_NAMES}
    assert after.updated_at == before.updated_at


# --- without JavaScript --------------------------------------------------------------------

def test_the_whole_form_saves_without_javascript(app, auth_client, user, today):
    response = auth_client.post(url(today), data=FULL_FORM)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(url(today))
    [saved] = rows(app, user["id"])
    assert saved.mood_rating == 8 and saved.steps == 9500 and saved.sleep_hours == Decimal("7.5")
    assert saved.highlights == "Dinner outside"
    page = auth_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Review saved." in page and "14</strong> of 14" in page

    # Submitting again with fields emptied clears them and keeps one row.
    cleared = {**FULL_FORM, "mood_rating": "", "highlights": ""}
    assert auth_client.post(url(today), data=cleared).status_code == 303
    [saved] = rows(app, user["id"])
    assert saved.mood_rating is None and saved.highlights is None and saved.energy_level == 6


def test_a_past_day_can_be_reviewed_later(app, auth_client, user, today):
    last_week = today - timedelta(days=7)
    assert auth_client.post(url(last_week), data={"gratitude": "Late but done"}).status_code == 303
    assert row(app, user["id"], last_week).gratitude == "Late but done"
    assert row(app, user["id"], today) is None


# --- yesterday's intentions ----------------------------------------------------------------

def test_yesterdays_intentions_greet_todays_review(app, auth_client, user, today):
    auth_client.post(url(today - timedelta(days=1)), data={"tomorrow_intentions": "Call mum <b>first</b>"}, headers=HX)
    body = auth_client.get(url(today)).get_data(as_text=True)
    assert "Yesterday you meant to" in body
    assert "Call mum &lt;b&gt;first&lt;/b&gt;" in body
    # The day before sees nothing of the sort.
    assert "Yesterday you meant to" not in auth_client.get(url(today - timedelta(days=1))).get_data(as_text=True)


# --- other users ---------------------------------------------------------------------------

def test_each_user_only_ever_sees_and_changes_their_own_review(app, auth_client, other_client, user, other_user, today):
    insert(app, other_user["id"], today, mood_rating=2, highlights="BEN SECRET", tomorrow_intentions=None)
    insert(app, other_user["id"], today - timedelta(days=1), tomorrow_intentions="BEN PLAN")

    for page in ("/reviews/", url(today), url(today - timedelta(days=1)), "/reviews/?month=" + today.strftime("%Y-%m")):
        for headers in ({}, HX):
            body = auth_client.get(page, headers=headers).get_data(as_text=True)
            assert "BEN SECRET" not in body and "BEN PLAN" not in body, page

    assert auth_client.post(url(today), data={"mood_rating": "9", "user_id": str(other_user["id"])},
                            headers=HX).status_code == 200
    assert auth_client.post(url(today), data=FULL_FORM).status_code == 303
    ben = row(app, other_user["id"], today)
    assert ben.mood_rating == 2 and ben.highlights == "BEN SECRET"
    assert row(app, user["id"], today).mood_rating == 8
    assert len(rows(app, other_user["id"])) == 2 and len(rows(app, user["id"])) == 1

    ben_page = other_client.get(url(today)).get_data(as_text=True)
    assert "Shipped the release" not in ben_page and "BEN SECRET" in ben_page


def test_an_anonymous_visitor_is_sent_to_log_in(client, app, today):
    for page in ("/reviews/", "/reviews/today", url(today)):
        assert client.get(page).status_code == 302
    assert client.post(url(today), data={"mood_rating": "5"}, headers=HX).status_code == 401


def test_the_first_answer_brings_what_needs_the_review_and_later_ones_do_not(app, auth_client, user, today):
    # Before the first answer the extras are an empty region waiting for the review to exist.
    page = auth_client.get(url(today)).get_data(as_text=True)
    waiting = f'id="review-extras" hx-get="{url(today)}"\n     hx-trigger="review-changed once from:body"'
    assert waiting in page and "Write a journal entry" not in page
    first = auth_client.post(url(today), data={"mood_rating": "7"}, headers=HX)
    assert first.headers["HX-Trigger"] == "review-changed"
    # ...which it then reloads from its own URL: the journal draft, and the tag and attachment
    # sections, each loading itself from its own area.
    region = auth_client.get(url(today), headers=HX).get_data(as_text=True)
    assert region.startswith('<div id="review-extras">') and "Write a journal entry" in region
    assert 'hx-get="/tags/rows/daily_review/' in region and 'hx-get="/media/for/daily_review/' in region
    assert "review-changed" not in auth_client.get(url(today)).get_data(as_text=True)
    with app.app_context():
        review = db.session.get(DailyReview, row(app, user["id"], today).id)
        review.created_at = review.created_at - timedelta(days=1)  # made earlier than this answer
        db.session.commit()
    later = auth_client.post(url(today), data={"energy_level": "6"}, headers=HX).get_data(as_text=True)
    assert "review-extras" not in later


def test_every_saved_answer_says_the_review_changed_and_a_refused_one_does_not(auth_client, today):
    for data in ({"mood_rating": "7"}, {"energy_level": "6"}, {"highlights": "A walk", "steps": "9000"}):
        answer = auth_client.post(url(today), data=data, headers=HX)
        assert answer.status_code == 200 and answer.headers.get("HX-Trigger") == "review-changed", data
    refused = auth_client.post(url(today), data={"steps": "many"}, headers=HX)
    assert refused.status_code == 422 and "HX-Trigger" not in refused.headers
