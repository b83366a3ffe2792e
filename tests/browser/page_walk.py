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
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
from PIL import Image

from manifest.areas import get_area
from manifest.auth import services as auth_services
from manifest.cli import DEMO_EMAIL, DEMO_PASSWORD
from manifest.extensions import db
from manifest.media import services as media_services
from manifest.models import (
    BlogEntry,
    Food,
    Goal,
    GoalMilestone,
    Habit,
    Media,
    Tag,
    User,
    Workout,
    WorkoutExercise,
)
from manifest.notifications import services as notification_services
from manifest.progress import year as year_in_review
from manifest.tags import services as tag_services
from manifest.timeutil import local_today
from manifest.transfer import exports, imports
from tests.conftest import HX
from tests.security.support import (
    UNSAFE_METHODS,
    Seed,
    routes,
    seed_rows,
    unsafe_payload,
)

# GET routes that answer no HTML to check, each with the reason.
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "loop"
EXCLUDED = {
    "static": "stylesheets, scripts and icons, not HTML",
    "media.file": "an uploaded file's own bytes",
    "media.thumbnail": "an image",
    "auth.session_status": "an empty 204 that tells a tab whether its session is still valid",
    "pwa.manifest": "the web app manifest, JSON",
    "pwa.service_worker": "the service worker, JavaScript",
    "transfer.download_export": "an export archive, a ZIP",
    "transfer.food_csv": "a spreadsheet, CSV",
    "transfer.workouts_csv": "a spreadsheet, CSV",
    "transfer.habits_csv": "a spreadsheet, CSV",
    "transfer.measurements_csv": "a spreadsheet, CSV",
}
# Pages and parts a logged-in user reaches that one URL per route would miss; {names} are filled
# from the rich account (RichAccount.names).
EXTRA_URLS = {
    "a cardio exercise's progress (distance and pace instead of weight)": "/workouts/progress/exercise?name=Run",
    "an earlier day's food, with every meal logged": "/food/?day={yesterday}",
    "the week of food": "/food/week?day={yesterday}",
    "a review already written": "/reviews/{yesterday}",
    "a goal with milestones": "/goals/{milestone_goal}",
    "a habit with a number to reach": "/habits/{numeric_habit}",
    "a run": "/workouts/{cardio_workout}",
}
# What an anonymous visitor sees.
ANONYMOUS_URLS = ("/login", "/signup", "/u/demo", "/u/demo/why-i-started")

DOCUMENT_SHELL = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{title}</head><body>{body}</body></html>'
)
# The element a part's top-level elements are swapped into, by tag: items into a list, options into a
# datalist, rows into a table.
PARENTS = {"li": ("<ul>", "</ul>"), "option": ("<datalist>", "</datalist>"), "tr": ("<table>", "</table>")}
TITLE = re.compile(r"^\s*(<title>.*?</title>)", re.DOTALL)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TopLevel(HTMLParser):
    """Splits a part into its top-level pieces: (tag or None for text, start offset)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.lines = [0]
        for line in text.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.depth, self.starts = 0, []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.starts.append((tag, self._offset()))
        if tag not in VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.starts.append((tag, self._offset()))

    def handle_endtag(self, tag):
        if tag not in VOID:
            self.depth = max(0, self.depth - 1)


def _in_parents(part: str) -> str:
    parser = _TopLevel(part)
    parser.feed(part)
    parser.close()
    if not parser.starts:
        return part
    ends = [start for _, start in parser.starts[1:]] + [len(part)]
    pieces = [(tag, start, end) for (tag, start), end in zip(parser.starts, ends, strict=True)]
    out, open_tag = [part[:pieces[0][1]]], None
    for tag, start, end in pieces:
        if open_tag and open_tag != tag:
            out.append(PARENTS[open_tag][1])
            open_tag = None
        if tag in PARENTS and open_tag != tag:
            out.append(PARENTS[tag][0])
            open_tag = tag
        out.append(part[start:end])
    if open_tag:
        out.append(PARENTS[open_tag][1])
    return "".join(out)


def as_document(url: str, part: str) -> str:
    """An htmx part in a minimal page: a leading <title> (htmx sets the page's title from it) goes in
    the head, and list items, options and rows get the parent they are swapped into."""
    title = TITLE.match(part)
    if title:
        part = part[title.end():]
    head = title.group(1) if title else f"<title>{html.escape(url)}</title>"
    return DOCUMENT_SHELL.format(title=head, body=_in_parents(part))


@dataclass
class RichAccount:
    email: str
    password: str
    seed: Seed
    today: object
    values: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)


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
        milestone_goal = _first(sa.select(Goal).where(Goal.user_id == user.id, Goal.id.in_(
            sa.select(GoalMilestone.goal_id))))
        numeric_habit = _first(sa.select(Habit).where(Habit.user_id == user.id, Habit.habit_type == "numeric"))
        cardio_workout = _first(sa.select(Workout).where(Workout.user_id == user.id, Workout.workout_type == "cardio"))
        for area, row in (("goal", parent), ("habit", habit), ("workout", workout)):
            tag_services.add_tag(user, area, row.id, "Health")
        tag_services.add_tag(user, "goal", parent.id, "Reading")
        media_services.add_attachments(user, get_area("goal"), parent,
                                       [media_services.Upload("shelf.png", _png())], "Books on a shelf")
        notification_services.send_test(user)
        media = _first(sa.select(Media).where(Media.user_id == user.id))
        # A finished export and an import waiting for its go-ahead, made as the worker makes them.
        export, _ = exports.start(user)
        exports.run(export.id)
        with (FIXTURES / "habitbull.csv").open("rb") as stream:
            waiting = imports.receive(user, [imports.Upload("habitbull.csv", stream)])
        imports.preview(waiting.id)
        year_in_review.set_public(user, today.year, True)
        tag = _first(sa.select(Tag).where(Tag.user_id == user.id, Tag.slug == "health"))
        ids = {
            "users": user.id, "goals": parent.id, "habits": habit.id, "blog_entries": entry.id, "foods": food.id,
            "workouts": workout.id, "workout_exercises": exercise.id, "media": media.id, "tags": tag.id,
            "data_exports": export.id, "data_imports": waiting.id,
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
        names = {"yesterday": yesterday, "milestone_goal": milestone_goal.id, "numeric_habit": numeric_habit.id,
                 "cardio_workout": cardio_workout.id}
        return RichAccount(DEMO_EMAIL, DEMO_PASSWORD, seed, today, values, names)


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
    for url in EXTRA_URLS.values():
        fetch(url.format(**account.names), None)
    visitor = app.test_client()
    for url in ANONYMOUS_URLS:
        response = visitor.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            result.problems.append(f"anonymous GET {url} answered {response.status_code}")
            continue
        result.anonymous_pages.append(url)
        result.documents.append(Document(f"{url} (not logged in)", response.get_data(as_text=True), fragment=False))
    return result


# Actions whose answer ends the session the others need; their pages are checked anyway.
SESSION_ENDING = {"auth.logout", "auth.login", "auth.signup", "account.delete_account", "account.change_password"}


def action_answers(app) -> list[Document]:
    """What htmx swaps in after each action: every unsafe route posted by another account (one row
    in every table, so the rich account stays as it is), once with valid data and once empty (the
    form sent back with its errors). Deleting actions go last, so the others find their rows."""
    with app.app_context():
        user = auth_services.register("vera@example.com", "vera", "a long enough passphrase", "UTC")
        user_id = user.id
    seed = seed_rows(app, user_id, "zq-vera")
    client = app.test_client()
    client.login("vera", "a long enough passphrase")
    with app.app_context():
        found = [r for r in routes(app, seed, methods=UNSAFE_METHODS) if r.endpoint not in SESSION_ENDING]
    found.sort(key=lambda r: any(word in r.endpoint for word in ("delete", "remove", "merge")))
    documents = []
    for route in found:
        for kind, data in (("refused", {}), ("done", unsafe_payload(route.endpoint))):
            response = client.post(route.url, data=data, headers=HX)
            text = response.get_data(as_text=True)
            if response.mimetype == "text/html" and text.strip() and response.status_code in (200, 422):
                name = f"{route.endpoint} {kind}"
                whole = _is_document(text)
                documents.append(Document(name, text if whole else as_document(name, text), fragment=not whole))
    return documents
