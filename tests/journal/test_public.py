"""Shared entries: readable without an account at /u/<username>/<slug>, listed on /u/<username>;
everything not both published and public is 404 there; views count once a visitor and day."""

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.journal import logic, services
from manifest.models import BlogEntry
from tests.conftest import HX
from tests.journal.conftest import add_entry, entry_row, set_user, view_rows
from tests.security.support import assert_security_headers, parse_csp

UA = {"User-Agent": "Reader/1.0"}


@pytest.fixture
def shared(app, user):
    set_user(app, user["id"], first_name="Ana", bio="Writes about running.")
    return add_entry(app, user["id"], "Hello world", content="A **public** note.", status="published", is_public=True)


def test_a_shared_entry_is_readable_without_logging_in(client, shared):
    response = client.get("/u/ana/hello-world", headers=UA)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Hello world</h1>" in page and "<strong>public</strong>" in page and "1 min read" in page
    assert 'href="/u/ana">Ana</a>' in page


def test_anonymous_visitors_see_no_private_navigation(client, shared):
    page = client.get("/u/ana/hello-world").get_data(as_text=True)
    assert "Log out" not in page and 'href="/journal/' not in page and "Settings" not in page
    assert "Log in" in page and "Sign up" in page
    page = client.get("/u/ana").get_data(as_text=True)
    assert "Log out" not in page and "Settings" not in page


def test_public_pages_are_not_kept_by_shared_caches(client, shared):
    for path in ("/u/ana", "/u/ana/hello-world"):
        response = client.get(path)
        assert response.cache_control.no_store or response.cache_control.private, path
        assert "hx-request" in {v.lower() for v in response.vary}


def test_the_public_page_lists_only_published_public_entries_newest_first(app, client, user, other_user, shared):
    now = datetime.now(UTC)
    add_entry(app, user["id"], "Older shared", status="published", is_public=True, published_at=now - timedelta(days=9))
    add_entry(app, user["id"], "Secret draft", is_public=True)
    add_entry(app, user["id"], "Private published", status="published")
    add_entry(app, user["id"], "Archived shared", status="archived", is_public=True, published_at=now)
    add_entry(app, other_user["id"], "Ben's shared", status="published", is_public=True)
    page = client.get("/u/ana").get_data(as_text=True)
    assert "Ana" in page and "Writes about running." in page
    assert page.index("Hello world") < page.index("Older shared")
    for hidden in ("Secret draft", "Private published", "Archived shared", "Ben&#39;s shared"):
        assert hidden not in page


@pytest.mark.parametrize(("title", "fields"), [
    ("Draft", {"is_public": True}),
    ("Private", {"status": "published"}),
    ("Archived", {"status": "archived", "is_public": True}),
])
def test_unshared_entries_are_404_on_the_public_pages(app, client, auth_client, user, title, fields):
    add_entry(app, user["id"], title, **fields)
    slug = logic.slugify(title)
    for who in (client, auth_client):  # not even their author sees them there
        response = who.get(f"/u/ana/{slug}")
        assert response.status_code == 404 and title not in response.get_data(as_text=True)


def test_unknown_and_inactive_users_are_404(app, client, user, shared):
    assert client.get("/u/nobody").status_code == 404
    assert client.get("/u/nobody/hello-world").status_code == 404
    assert client.get("/u/ANA/hello-world").status_code == 200
    set_user(app, user["id"], is_active=False)
    assert client.get("/u/ana").status_code == 404
    assert client.get("/u/ana/hello-world").status_code == 404


def answer_shape(response) -> tuple:
    """Status, header names and body of an answer, with the one part that differs on every request
    (the CSRF token carried by every page) blanked out."""
    body = re.sub(r"[\w-]{20,}\.[\w-]+\.[\w-]{20,}", "<token>", response.get_data(as_text=True))
    return response.status_code, sorted(response.headers.keys()), body


@pytest.mark.parametrize("path", ["/u/{name}", "/u/{name}?page=2", "/u/{name}/draft"])
def test_an_account_that_shares_nothing_answers_exactly_as_an_unknown_name(app, make_user, path):
    ana = make_user("ana")
    make_user("ben")  # an account with nothing at all
    add_entry(app, ana["id"], "Draft", is_public=True)
    add_entry(app, ana["id"], "Private", status="published")
    add_entry(app, ana["id"], "Archived", status="archived", is_public=True)

    unknown = answer_shape(app.test_client().get(path.format(name="nobody")))
    assert unknown[0] == 404
    for name in ("ana", "ben"):
        assert answer_shape(app.test_client().get(path.format(name=name))) == unknown, name

    # Once something is shared the page exists (and only then).
    add_entry(app, ana["id"], "Shared", status="published", is_public=True)
    assert app.test_client().get("/u/ana").status_code == 200
    assert app.test_client().get("/u/ana?page=2").status_code == 404  # past the last page


def test_an_entry_is_found_only_under_its_own_authors_name(app, client, other_user, shared):
    assert client.get("/u/ben/hello-world").status_code == 404
    # Both may use one slug; each address shows its own author's entry.
    add_entry(app, other_user["id"], "Hello world", content="Version of ben", status="published", is_public=True)
    assert "Version of ben" in client.get("/u/ben/hello-world").get_data(as_text=True)
    assert "Version of ben" not in client.get("/u/ana/hello-world").get_data(as_text=True)


def test_script_in_a_shared_entry_never_reaches_the_page(app, client, user):
    add_entry(app, user["id"], "Nasty <script>x</script>", slug="nasty", status="published", is_public=True,
              content="<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
              excerpt="<b onmouseover=alert(1)>hi</b>")
    for path in ("/u/ana/nasty", "/u/ana"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<script>x" not in page
        assert not re.search(r"<[^>]*javascript:", page) and not re.search(r"<[^>]*\sonerror=", page)
        assert "<b onmouseover" not in page


# --- images from other sites ----------------------------------------------------------------------

REMOTE_IMAGES = (
    "![a cat](https://images.example/cat.png) ![](http://tracker.example/pixel.gif) "
    "![sneaky](//cdn.example/x.png) ![own](/media/files/1) ![absolute own](http://localhost/media/files/2)"
)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes.get("src") or "")
        if tag == "a":
            self.links.append(attributes.get("href") or "")


def elements(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


def test_images_from_other_sites_are_links_on_a_public_entry(app, client, auth_client, user):
    entry_id = add_entry(app, user["id"], "Pictures", content=REMOTE_IMAGES, status="published", is_public=True)
    page = client.get("/u/ana/pictures").get_data(as_text=True)
    found = elements(page)

    assert found.images == ["/media/files/1", "http://localhost/media/files/2"]
    for src in ("https://images.example/cat.png", "http://tracker.example/pixel.gif", "//cdn.example/x.png"):
        assert src in found.links
    assert ">Image: a cat</a>" in page and ">Image at tracker.example</a>" in page
    # The author's own journal page is not a public page: it shows the pictures as written.
    own = elements(auth_client.get(f"/journal/{entry_id}").get_data(as_text=True))
    assert "https://images.example/cat.png" in own.images


def test_public_pages_allow_only_this_sites_images(app, client, auth_client, shared):
    for path in ("/u/ana", "/u/ana/hello-world", "/u/nobody", "/u/ana/no-such-entry"):
        for who in (client, auth_client):
            response = who.get(path)
            assert_security_headers(response, private=False, what=path)
            assert parse_csp(response.headers["Content-Security-Policy"])["img-src"] == ["'self'"], path
    # Elsewhere the app keeps the policy it had.
    elsewhere = parse_csp(auth_client.get("/journal/").headers["Content-Security-Policy"])
    assert elsewhere["img-src"] == ["'self'", "https:"]


# --- counting views ----------------------------------------------------------------------------------


def views(app, entry_id) -> int:
    return entry_row(app, entry_id).view_count


def test_a_visitor_counts_once_a_day(app, client, shared):
    updated = entry_row(app, shared).updated_at
    for _ in range(3):
        assert client.get("/u/ana/hello-world", headers=UA).status_code == 200
    assert views(app, shared) == 1
    [row] = view_rows(app)
    assert row.blog_entry_id == shared and row.viewed_on == datetime.now(UTC).date()
    assert re.fullmatch(r"[0-9a-f]{64}", row.visitor_key)
    assert row.visitor_key == logic.visitor_key(app.secret_key, "anon:127.0.0.1")
    # A view is not an edit.
    assert entry_row(app, shared).updated_at == updated


def test_anonymous_visitors_count_by_address_not_by_the_browser_they_claim(app, client, shared):
    client.get("/u/ana/hello-world", headers=UA)
    # A user agent is the sender's to choose: changing it must not count the same person again.
    for n in range(3):
        client.get("/u/ana/hello-world", headers={"User-Agent": f"Other/{n}.0"})
    client.get("/u/ana/hello-world", headers=UA, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert views(app, shared) == 2


@pytest.mark.parametrize("agent", ["Googlebot/2.1", "facebookexternalhit/1.1 (link preview)", "curl/8.0", ""])
def test_robots_and_link_previews_are_not_readers(app, client, shared, agent):
    assert client.get("/u/ana/hello-world", headers={"User-Agent": agent}).status_code == 200
    assert views(app, shared) == 0 and view_rows(app) == []


def test_the_author_never_counts(app, auth_client, shared):
    for _ in range(2):
        assert auth_client.get("/u/ana/hello-world").status_code == 200
    assert views(app, shared) == 0 and view_rows(app) == []


def test_a_signed_in_reader_counts_once_whatever_the_browser(app, other_client, other_user, shared):
    other_client.get("/u/ana/hello-world", headers=UA)
    other_client.get("/u/ana/hello-world", headers={"User-Agent": "Other/2.0"}, environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert views(app, shared) == 1
    [row] = view_rows(app)
    assert row.visitor_key == logic.visitor_key(app.secret_key, f"user:{other_user['id']}")


def test_the_next_day_counts_again_and_the_counter_is_atomic(app, shared):
    with app.app_context():
        entry = db.session.get(BlogEntry, shared)
        today = date(2026, 5, 1)
        assert services.record_view(entry, "k" * 64, today) is True
        assert services.record_view(entry, "k" * 64, today) is False
        assert services.record_view(entry, "k" * 64, today + timedelta(days=1)) is True
        count = db.session.scalar(sa.select(BlogEntry.view_count).where(BlogEntry.id == shared))
    assert count == 2


def test_public_pages_are_get_only_and_need_no_csrf(client, shared):
    assert client.post("/u/ana/hello-world").status_code in (400, 405)
    assert client.get("/u/ana/hello-world", headers=HX).status_code == 200


def test_an_excerpt_written_in_markdown_shows_as_plain_text_in_lists(app, client, auth_client, user):
    add_entry(app, user["id"], "One place", content="Text.", excerpt="**One place** changed _that_.",
              status="published", is_public=True)
    for page in (auth_client.get("/journal/").get_data(as_text=True), client.get("/u/ana", headers=UA).get_data(as_text=True)):
        assert '<p class="entry-excerpt">One place changed that.</p>' in page
        assert "**" not in page
