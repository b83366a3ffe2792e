"""Every GET route of the app, as a logged-in user with a rich history sees it: the pages and the
htmx parts that axe-core and the Nu HTML Checker read (tests/browser/test_page_checks.py).

The account is the demo account (`flask seed-demo`: a year of habits, goals with sub-goals, meals,
workouts, reviews and journal entries) plus what the demo leaves out: tags, an attachment and a
notification. URLs come from ``app.url_map`` through the security suite's route walk, with ids of
this account's rows, so a route added later is walked without a change here; a GET route that gives
neither a page nor an htmx part must be named in ``EXCLUDED`` with the reason.
"""

import html
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from PIL import Image

from manifest.areas import get_area
from manifest.cli import DEMO_EMAIL, DEMO_PASSWORD
from manifest.extensions import db
from manifest.media import services as media_services
from manifest.models import (
    BlogEntry,
    Food,
    Goal,
    Habit,
    Media,
    Tag,
    User,
    Workout,
    WorkoutExercise,
)
from manifest.notifications import services as notification_services
from manifest.tags import services as tag_services
from manifest.timeutil import local_today
from tests.conftest import HX
from tests.security.support import Seed, routes

# GET routes that answer no HTML to check, each with the reason.
EXCLUDED = {
    "static": "stylesheets, scripts and icons, not HTML",
    "media.file": "an uploaded file's own bytes",
    "media.thumbnail": "an image",
    "auth.session_status": "an empty 204 that tells a tab whether its session is still valid",
}
# Pages and parts a logged-in user reaches that one URL per route would miss.
EXTRA_URLS = {
    "a cardio exercise's progress (distance and pace instead of weight)": "/workouts/progress/exercise?name=Run",
    "an earlier day's food, with every meal logged": "/food/?day={yesterday}",
    "the week of food": "/food/week?day={yesterday}",
    "a review already written": "/reviews/{yesterday}",
}
# What an anonymous visitor sees.
ANONYMOUS_URLS = ("/login", "/signup", "/u/demo", "/u/demo/why-i-started")

DOCUMENT_SHELL = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{title}</head><body>{body}</body></html>'
)
# The element a part is swapped into, by its first tag: list items into a list, options into a datalist.
PARENTS = {"li": ("<ul>", "</ul>"), "option": ("<datalist>", "</datalist>"), "tr": ("<table>", "</table>")}
TITLE = re.compile(r"^\s*(<title>.*?</title>)", re.DOTALL)


def as_document(url: str, part: str) -> str:
    """An htmx part in a minimal page: a leading <title> (htmx sets the page's title from it) goes in
    the head, and rows and options get the parent they are swapped into."""
    title = TITLE.match(part)
    if title:
        part = part[title.end():]
    first = re.match(r"\s*<([a-z0-9]+)", part)
    open_, close = PARENTS.get(first.group(1) if first else "", ("", ""))
    head = title.group(1) if title else f"<title>{html.escape(url)}</title>"
    return DOCUMENT_SHELL.format(title=head, body=open_ + part + close)


@dataclass
class RichAccount:
    email: str
    password: str
    seed: Seed
    today: object
    values: dict = field(default_factory=dict)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def _first(statement):
    return db.session.scalars(statement.limit(1)).first()


def seed_rich_account(app) -> RichAccount:
    """The demo account with 120 days of history, a tagged goal and habit, a photo and a notification."""
    result = app.test_cli_runner().invoke(args=["seed-demo", "--days", "120"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == DEMO_EMAIL)).one()
        today = local_today(user)
        # A goal with sub-goals, the longest-running habit, a public entry, today's food, the last strength workout.
        parent = _first(sa.select(Goal).where(Goal.user_id == user.id, Goal.id.in_(
            sa.select(Goal.parent_goal_id).where(Goal.parent_goal_id.is_not(None)))))
        habit = _first(sa.select(Habit).where(Habit.user_id == user.id).order_by(Habit.position))
        entry = _first(sa.select(BlogEntry).where(BlogEntry.user_id == user.id, BlogEntry.is_public)
                       .order_by(BlogEntry.published_at))
        food = _first(sa.select(Food).where(Food.user_id == user.id, Food.meal_date == today))
        workout = _first(sa.select(Workout).where(Workout.user_id == user.id, Workout.workout_type == "strength")
                         .order_by(Workout.workout_date.desc()))
        exercise = _first(sa.select(WorkoutExercise).where(WorkoutExercise.workout_id == workout.id)
                          .order_by(WorkoutExercise.order_index))
        for area, row in (("goal", parent), ("habit", habit), ("workout", workout)):
            tag_services.add_tag(user, area, row.id, "Health")
        tag_services.add_tag(user, "goal", parent.id, "Reading")
        media_services.add_attachments(user, get_area("goal"), parent,
                                       [media_services.Upload("shelf.png", _png())], "Books on a shelf")
        notification_services.send_test(user)
        media = _first(sa.select(Media).where(Media.user_id == user.id))
        tag = _first(sa.select(Tag).where(Tag.user_id == user.id, Tag.slug == "health"))
        ids = {
            "users": user.id, "goals": parent.id, "habits": habit.id, "blog_entries": entry.id, "foods": food.id,
            "workouts": workout.id, "workout_exercises": exercise.id, "media": media.id, "tags": tag.id,
        }
        seed = Seed(user.id, "demo", ids)
        yesterday = (today - timedelta(days=1)).isoformat()
        values = {
            "public.profile:username": lambda s: user.username,
            "public.entry:username": lambda s: user.username,
            "public.entry:slug": lambda s: entry.slug,
            "tags.show:slug": lambda s: tag.slug,
            # A day without a review yet and one with it.
            "reviews.show:day": lambda s: [today.isoformat(), yesterday],
            "day": lambda s: today.isoformat(),
        }
        return RichAccount(DEMO_EMAIL, DEMO_PASSWORD, seed, today, values)


QUERIES = {
    "nutrition.suggest": {"food_name": "oat"},
    "search.index": {"q": "squat"},
    "workouts.exercise_progress": {"name": "Squat"},
}


@dataclass
class Document:
    """One HTML answer to check: a whole page, or an htmx part put in a minimal page."""

    url: str
    html: str
    fragment: bool

    @property
    def name(self) -> str:
        kind = "part" if self.fragment else "page"
        return f"{kind}: {self.url}"


@dataclass
class Walk:
    pages: list[str] = field(default_factory=list)  # URLs of whole pages, for the browser
    anonymous_pages: list[str] = field(default_factory=list)  # the same, for a visitor who is not logged in
    documents: list[Document] = field(default_factory=list)  # every HTML answer, for the validator
    checked: dict[str, str] = field(default_factory=dict)  # endpoint -> how it was checked
    problems: list[str] = field(default_factory=list)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _is_document(html: str) -> bool:
    return html.lstrip()[:15].lower().startswith("<!doctype html")


def walk(app, account: RichAccount) -> Walk:
    """Fetch every GET route as the account, whole and as htmx asks for it."""
    client = app.test_client()
    client.login(account.email, account.password)
    result = Walk()
    seen_pages: set[str] = set()

    def add_page(url: str, html: str) -> None:
        if url not in seen_pages:
            seen_pages.add(url)
            result.pages.append(url)
            result.documents.append(Document(url, html, fragment=False))

    def fetch(url: str, endpoint: str | None) -> None:
        whole = client.get(url, follow_redirects=True)
        if whole.status_code != 200 or whole.mimetype != "text/html":
            result.problems.append(f"GET {url} answered {whole.status_code} {whole.mimetype}")
            return
        final = _path(whole.request.url)
        html = whole.get_data(as_text=True)
        if not _is_document(html):  # a part that answers the same with or without htmx
            result.documents.append(Document(url, as_document(url, html), fragment=True))
            if endpoint:
                result.checked.setdefault(endpoint, "its part")
            return
        add_page(final, html)
        part = client.get(url, headers=HX)
        how = f"page {final}"
        if part.status_code == 200 and part.mimetype == "text/html":
            html = part.get_data(as_text=True)
            if not _is_document(html):
                result.documents.append(Document(url, as_document(url, html), fragment=True))
                how += " and its htmx part"
        elif part.status_code not in (204, 286) and not 300 <= part.status_code < 400:
            result.problems.append(f"htmx GET {url} answered {part.status_code}")
        if endpoint:
            result.checked.setdefault(endpoint, how)

    with app.app_context():
        found = routes(app, account.seed, methods=("GET",), values=account.values, queries=QUERIES)
    for route in found:
        if route.endpoint not in EXCLUDED:
            fetch(route.url, route.endpoint)
    yesterday = (account.today - timedelta(days=1)).isoformat()
    for url in EXTRA_URLS.values():
        fetch(url.format(yesterday=yesterday), None)
    visitor = app.test_client()
    for url in ANONYMOUS_URLS:
        response = visitor.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            result.problems.append(f"anonymous GET {url} answered {response.status_code}")
            continue
        result.anonymous_pages.append(url)
        result.documents.append(Document(f"{url} (not logged in)", response.get_data(as_text=True), fragment=False))
    return result
