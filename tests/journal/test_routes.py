"""The signed-in journal: writing, the live preview, editing, deleting, the list and its filters,
a draft from a daily review, and another user's entries staying out of reach."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from manifest.models import BlogEntry
from tests.conftest import HX
from tests.journal.conftest import add_entry, add_review, entries_of, entry_row

# --- writing ---------------------------------------------------------------------------------------


def test_the_new_entry_page_has_a_labelled_editor_with_a_live_preview(auth_client):
    page = auth_client.get("/journal/new").get_data(as_text=True)
    for label in ("Title", "Text (Markdown)", "Address", "Excerpt", "Status", "Featured"):
        assert f">{label}</label>" in page
    assert 'hx-post="/journal/preview"' in page and 'id="entry-preview"' in page
    assert 'hx-trigger="input changed delay:300ms"' in page


def test_writing_an_entry_saves_a_draft_with_a_slug_and_an_excerpt(app, auth_client, user, entry_form):
    response = auth_client.post("/journal/new", data=entry_form(content="# Hi\n\nHello **world**."))
    [entry] = entries_of(app, user["id"])
    assert response.status_code == 303
    assert response.headers["Location"] == f"/journal/{entry.id}"
    assert (entry.title, entry.slug, entry.status, entry.excerpt) == ("My first entry", "my-first-entry", "draft",
                                                                      "Hi Hello world.")
    assert entry.published_at is None and not entry.is_public and not entry.is_featured
    page = auth_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Hi</h1>" in page and "<strong>world</strong>" in page and "1 min read" in page
    assert "Only you can read this entry" in page


def test_an_htmx_save_answers_with_a_redirect_header(app, auth_client, user, entry_form):
    response = auth_client.post("/journal/new", data=entry_form(), headers=HX)
    [entry] = entries_of(app, user["id"])
    assert response.status_code == 200 and response.headers["HX-Redirect"] == f"/journal/{entry.id}"


def test_publishing_sets_published_at_once(app, auth_client, user, entry_form):
    auth_client.post("/journal/new", data=entry_form(status="published", is_public="y", is_featured="y"))
    [entry] = entries_of(app, user["id"])
    assert entry.status == "published" and entry.is_public and entry.is_featured
    first = entry.published_at
    assert first is not None
    auth_client.post(f"/journal/{entry.id}/edit", data=entry_form(status="archived", slug=entry.slug))
    assert entry_row(app, entry.id).published_at == first
    auth_client.post(f"/journal/{entry.id}/edit", data=entry_form(status="published", slug=entry.slug))
    again = entry_row(app, entry.id)
    assert again.status == "published" and again.published_at == first


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": ""}, "Give the entry a title."),
    ({"title": "x" * 201}, "Keep the title under 200 characters."),
    ({"slug": "Not A Slug!"}, "Use lowercase letters, digits and single hyphens"),
    ({"slug": "a--b"}, "Use lowercase letters, digits and single hyphens"),
    ({"excerpt": "x" * 501}, "Keep the excerpt under 500 characters."),
    ({"status": "secret"}, "Not a valid choice"),
    ({"title": "nul \x00 byte"}, "Contains a character that is not allowed."),
])
def test_bad_input_is_shown_inline_and_nothing_is_saved(app, auth_client, user, entry_form, fields, message):
    for headers in ({}, HX):
        response = auth_client.post("/journal/new", data=entry_form(**fields), headers=headers)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and 'aria-invalid="true"' in page
    assert entries_of(app, user["id"]) == []


def test_slugs_are_unique_per_user_and_two_users_may_share_one(app, auth_client, other_client, user, other_user,
                                                               entry_form):
    for _ in range(3):
        auth_client.post("/journal/new", data=entry_form(title="Same title"))
    other_client.post("/journal/new", data=entry_form(title="Same title"))
    assert sorted(e.slug for e in entries_of(app, user["id"])) == ["same-title", "same-title-2", "same-title-3"]
    assert [e.slug for e in entries_of(app, other_user["id"])] == ["same-title"]


def test_a_typed_slug_that_is_taken_is_refused_inline(app, auth_client, user, other_user, entry_form):
    add_entry(app, user["id"], "Taken", slug="taken")
    add_entry(app, other_user["id"], "Theirs", slug="theirs")
    response = auth_client.post("/journal/new", data=entry_form(slug="taken"))
    assert response.status_code == 422
    assert "You already have an entry at this address" in response.get_data(as_text=True)
    assert len(entries_of(app, user["id"])) == 1
    # Another user's slug is no clash.
    assert auth_client.post("/journal/new", data=entry_form(slug="theirs")).status_code == 303


def test_the_preview_renders_sanitised_markdown(auth_client):
    response = auth_client.post("/journal/preview", data={"content": "**hi** <script>alert(1)</script> [x](javascript:alert(1))"},
                                headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.startswith('<div id="entry-preview"') and "<strong>hi</strong>" in body
    assert "<script" not in body and 'href="javascript' not in body
    assert "<html" not in body


def test_the_preview_needs_a_login_and_a_csrf_token(client, auth_client):
    assert client.post("/journal/preview", data={"content": "x"}).status_code == 302
    assert auth_client.post("/journal/preview", data={"content": "x"}, csrf=False).status_code == 400


# --- editing and deleting --------------------------------------------------------------------------


def test_editing_shows_the_entry_and_saves_changes(app, auth_client, user, entry_form):
    entry_id = add_entry(app, user["id"], "Old title", content="Old text", excerpt="Old text")
    page = auth_client.get(f"/journal/{entry_id}/edit").get_data(as_text=True)
    assert 'value="Old title"' in page and "Old text</textarea>" in page and 'value="old-title"' in page
    # A generated excerpt is not shown as typed, so it follows the text.
    assert re.search(r'<textarea[^>]*name="excerpt"[^>]*>\s*</textarea>', page)
    response = auth_client.post(f"/journal/{entry_id}/edit", data=entry_form(
        title="New title", content="New text", slug="old-title", excerpt="My own summary", is_featured="y"))
    assert response.status_code == 303
    entry = entry_row(app, entry_id)
    assert (entry.title, entry.content, entry.slug, entry.excerpt, entry.is_featured) == (
        "New title", "New text", "old-title", "My own summary", True)


def test_clearing_the_slug_makes_a_new_one_from_the_title(app, auth_client, user, entry_form):
    entry_id = add_entry(app, user["id"], "Old title")
    add_entry(app, user["id"], "New title")
    auth_client.post(f"/journal/{entry_id}/edit", data=entry_form(title="New title", slug=""))
    assert entry_row(app, entry_id).slug == "new-title-2"


def test_a_refused_edit_changes_nothing(app, auth_client, user, entry_form):
    entry_id = add_entry(app, user["id"], "Mine", content="Keep me")
    add_entry(app, user["id"], "Other", slug="other")
    response = auth_client.post(f"/journal/{entry_id}/edit", data=entry_form(title="Changed", slug="other"))
    assert response.status_code == 422 and "already have an entry at this address" in response.get_data(as_text=True)
    entry = entry_row(app, entry_id)
    assert (entry.title, entry.content, entry.slug) == ("Mine", "Keep me", "mine")


def test_deleting_asks_first_then_deletes(app, auth_client, user):
    entry_id = add_entry(app, user["id"], "Doomed")
    page = auth_client.get(f"/journal/{entry_id}/delete").get_data(as_text=True)
    assert "Delete “Doomed”?" in page and "Delete for good" in page
    assert entry_row(app, entry_id) is not None
    response = auth_client.post(f"/journal/{entry_id}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/journal/"
    assert entry_row(app, entry_id) is None


def test_an_htmx_delete_redirects_the_page(app, auth_client, user):
    entry_id = add_entry(app, user["id"], "Doomed")
    response = auth_client.post(f"/journal/{entry_id}/delete", headers=HX)
    assert response.headers["HX-Redirect"] == "/journal/" and entry_row(app, entry_id) is None


def test_another_users_entry_is_404_everywhere_and_unchanged(app, auth_client, other_user, entry_form):
    entry_id = add_entry(app, other_user["id"], "Ben's secret", content="Private thoughts")
    for method, path in (("GET", ""), ("GET", "/edit"), ("POST", "/edit"), ("GET", "/delete"), ("POST", "/delete")):
        for headers in ({}, HX):
            response = auth_client.open(f"/journal/{entry_id}{path}", method=method, headers=headers,
                                        data=entry_form(title="Hijacked") if method == "POST" else None)
            assert response.status_code == 404, (method, path)
            assert "Ben&#39;s secret" not in response.get_data(as_text=True)
    entry = entry_row(app, entry_id)
    assert (entry.title, entry.content) == ("Ben's secret", "Private thoughts")


def test_the_show_page_links_to_the_public_page_only_when_shared(app, auth_client, user):
    shared = add_entry(app, user["id"], "Shared", status="published", is_public=True)
    private = add_entry(app, user["id"], "Private", status="published")
    page = auth_client.get(f"/journal/{shared}").get_data(as_text=True)
    assert "http://localhost/u/ana/shared" in page
    page = auth_client.get(f"/journal/{private}").get_data(as_text=True)
    assert "/u/ana/private" not in page and "Published, but private" in page


def test_reading_time_on_the_entry_page(app, auth_client, user):
    entry_id = add_entry(app, user["id"], "Long", content="word " * 1000)
    assert "5 min read" in auth_client.get(f"/journal/{entry_id}").get_data(as_text=True)


# --- the list --------------------------------------------------------------------------------------


def test_an_empty_journal_invites_a_first_entry(auth_client):
    page = auth_client.get("/journal/").get_data(as_text=True)
    assert "Nothing written yet" in page and "Write your first entry" in page


def test_the_list_shows_own_entries_newest_first(app, auth_client, user, other_user):
    now = datetime.now(UTC)
    add_entry(app, user["id"], "Older", status="published", published_at=now - timedelta(days=3))
    add_entry(app, user["id"], "Newer", status="published", published_at=now - timedelta(days=1), is_public=True)
    add_entry(app, other_user["id"], "Not mine")
    page = auth_client.get("/journal/").get_data(as_text=True)
    assert page.index("Newer") < page.index("Older")
    assert "Not mine" not in page and "2 entries" in page and "Public" in page


def test_filters_by_status_featured_and_month(app, auth_client, user):
    add_entry(app, user["id"], "Draft one")
    add_entry(app, user["id"], "Archived one", status="archived")
    add_entry(app, user["id"], "Featured one", status="published", is_featured=True)
    add_entry(app, user["id"], "Old one", status="published", published_at=datetime(2021, 3, 15, 12, tzinfo=UTC))
    add_entry(app, user["id"], "Older one", status="published", published_at=datetime(2021, 4, 15, 12, tzinfo=UTC))

    def titles(query: str, headers=None) -> set[str]:
        response = auth_client.get(f"/journal/{query}", headers=headers or {})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        return {t for t in ("Draft one", "Archived one", "Featured one", "Old one", "Older one") if f">{t}<" in body}

    assert titles("?status=draft") == {"Draft one"}
    assert titles("?status=archived") == {"Archived one"}
    assert titles("?featured=1") == {"Featured one"}
    assert titles("?year=2021") == {"Old one", "Older one"}
    assert titles("?year=2021&month=3") == {"Old one"}
    assert titles("?year=2021&month=3", HX) == {"Old one"}
    assert titles("?status=bogus&year=abc&month=13") == {"Draft one", "Archived one", "Featured one", "Old one",
                                                         "Older one"}
    assert "No entries match" in auth_client.get("/journal/?status=draft&featured=1").get_data(as_text=True)


def test_an_htmx_filter_returns_only_the_list(app, auth_client, user):
    add_entry(app, user["id"], "One")
    body = auth_client.get("/journal/?status=draft", headers=HX).get_data(as_text=True)
    assert body.startswith('<div id="entry-list"') and "<html" not in body and "entry-filters" not in body


def test_the_list_pages_twenty_at_a_time(app, auth_client, user):
    now = datetime.now(UTC)
    for n in range(25):
        add_entry(app, user["id"], f"Entry {n:02d}", status="published", published_at=now - timedelta(hours=n))
    first = auth_client.get("/journal/").get_data(as_text=True)
    assert ">Entry 00<" in first and ">Entry 19<" in first and ">Entry 20<" not in first
    assert "Page 1 of 2" in first and 'href="/journal/?page=2"' in first
    second = auth_client.get("/journal/?page=2").get_data(as_text=True)
    assert ">Entry 20<" in second and ">Entry 24<" in second and ">Entry 19<" not in second
    # A page past the end shows the last one.
    assert ">Entry 24<" in auth_client.get("/journal/?page=99").get_data(as_text=True)


# --- a draft from a review -------------------------------------------------------------------------


def test_a_review_becomes_a_draft_opened_for_editing(app, auth_client, user):
    day = date(2026, 3, 2)
    add_review(app, user["id"], day, mood_rating=8, energy_level=6, sleep_hours=Decimal("7.5"),
               accomplishments="Ran 5 km", gratitude="Good friends", challenges="")
    response = auth_client.post(f"/journal/from-review/{day.isoformat()}")
    [entry] = entries_of(app, user["id"])
    assert response.status_code == 303 and response.headers["Location"] == f"/journal/{entry.id}/edit"
    assert entry.status == "draft" and entry.title == "Monday, 2 March 2026" and entry.slug == "monday-2-march-2026"
    assert entry.content == ("## How I felt\n\n- Mood: 8/10\n- Energy: 6/10\n- Sleep: 7.5 h\n\n"
                             "## Accomplishments\n\nRan 5 km\n\n## Gratitude\n\nGood friends\n")
    page = auth_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A draft was made from your review" in page and "<h2>How I felt</h2>" in page
    assert "Challenges" not in page


def test_a_second_click_opens_the_untouched_draft_instead_of_making_another(app, auth_client, user):
    day = date(2026, 3, 2)
    add_review(app, user["id"], day, mood_rating=8, accomplishments="Ran 5 km")
    first = auth_client.post(f"/journal/from-review/{day.isoformat()}")
    again = auth_client.post(f"/journal/from-review/{day.isoformat()}")
    [entry] = entries_of(app, user["id"])
    assert first.headers["Location"] == again.headers["Location"] == f"/journal/{entry.id}/edit"
    # Once the draft is edited, the review can start a fresh one.
    auth_client.post(f"/journal/{entry.id}/edit", data={"title": entry.title, "content": "My own words",
                                                        "status": "draft", "slug": entry.slug})
    auth_client.post(f"/journal/from-review/{day.isoformat()}")
    assert len(entries_of(app, user["id"])) == 2


def test_from_review_with_htmx_redirects_the_page(app, auth_client, user):
    add_review(app, user["id"], date(2026, 3, 2), mood_rating=5)
    response = auth_client.post("/journal/from-review/2026-03-02", headers=HX)
    [entry] = entries_of(app, user["id"])
    assert response.headers["HX-Redirect"] == f"/journal/{entry.id}/edit"


def test_from_review_without_a_review_is_404_and_saves_nothing(app, auth_client, user, other_user):
    add_review(app, other_user["id"], date(2026, 3, 2), mood_rating=5, highlights="Ben's day")
    response = auth_client.post("/journal/from-review/2026-03-02")
    assert response.status_code == 404 and "Ben&#39;s day" not in response.get_data(as_text=True)
    assert entries_of(app, user["id"]) == [] and entries_of(app, other_user["id"]) == []
    assert auth_client.post("/journal/from-review/2026-02-30").status_code == 400
    assert auth_client.get("/journal/from-review/2026-03-02").status_code == 405


def test_pages_need_a_login(client, app, user):
    entry_id = add_entry(app, user["id"], "Mine")
    for path in ("/journal/", "/journal/new", f"/journal/{entry_id}", f"/journal/{entry_id}/edit"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), path
    assert client.get("/journal/", headers=HX).status_code == 401


def test_entry_rows_are_never_read_from_request_user_ids(app, auth_client, user, other_user, entry_form):
    auth_client.post("/journal/new", data={**entry_form(), "user_id": str(other_user["id"])})
    assert len(entries_of(app, user["id"])) == 1 and entries_of(app, other_user["id"]) == []
    assert isinstance(entries_of(app, user["id"])[0], BlogEntry)


def test_the_journal_offers_todays_review_once_there_is_one(app, auth_client, user):
    assert "from today&#39;s review" not in auth_client.get("/journal/").get_data(as_text=True)
    today = datetime.now(UTC).date()
    add_review(app, user["id"], today, highlights="A good day")
    page = auth_client.get("/journal/").get_data(as_text=True)
    assert f'action="/journal/from-review/{today.isoformat()}"' in page and "from today&#39;s review" in page


def test_every_journal_write_names_journal_changed(app, auth_client, user, entry_form):
    written = auth_client.post("/journal/new", data=entry_form(), headers=HX)
    [entry] = entries_of(app, user["id"])
    published = auth_client.post(f"/journal/{entry.id}/edit", data=entry_form(status="published"), headers=HX)
    add_review(app, user["id"], date(2026, 3, 2), highlights="A walk")
    drafted = auth_client.post("/journal/from-review/2026-03-02", headers=HX)
    deleted = auth_client.post(f"/journal/{entry.id}/delete", headers=HX)
    for answer in (written, published, drafted, deleted):
        assert answer.status_code == 200 and answer.headers.get("HX-Trigger") == "journal-changed", answer.request.path
        assert answer.headers.get("HX-Redirect")
    refused = auth_client.post("/journal/new", data=entry_form(title=""), headers=HX)
    assert refused.status_code == 422 and "HX-Trigger" not in refused.headers
