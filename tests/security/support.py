"""Helpers for the security suite: extra app instances, seeded rows, database snapshots,
a walk over every URL rule, and the response-header checks.

The route walk builds a real URL for every rule in ``app.url_map``. URL arguments are filled
with ids of the seeded rows of the requesting user, derived from the argument name
(``habit_id`` -> the user's row in ``habits``). An argument it cannot fill stops the suite
with a message asking for an entry in ``SAMPLE_VALUES``: a route is never silently skipped.
"""

import hashlib
import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from decimal import Decimal

import pytest
import sqlalchemy as sa
from werkzeug.routing import AnyConverter, Rule, UUIDConverter

from config import TestConfig, engine_options
from manifest import create_app
from manifest.extensions import db
from tests.conftest import PASSWORD, ManifestClient

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The JSON API: its own rules (a bearer token, never a cookie), walked by test_api_walk.py.
API_PREFIX = "/api/v1/"

# Endpoints an anonymous visitor may reach. Anything else must send them to the login page.
PUBLIC_ENDPOINTS = frozenset({
    "static", "auth.login", "auth.signup", "public.profile", "public.entry", "media.file", "media.thumbnail",
    # The unsubscribe link in emails: its signed token names the user.
    "notifications.unsubscribe",
    # The header's bell polls in the background: logged out it answers 204 (htmx) and shows nothing,
    # so an expired session does not send the page to the login form under the user's typing.
    "notifications.bell",
    # The installable app: what a browser fetches before anyone logs in; nothing private in them.
    "pwa.manifest", "pwa.service_worker", "pwa.offline",
    # A push notification's button, pressed by the service worker: its signed single-use token
    # names the user and the action, and is all it accepts.
    "notifications.push_act",
    # A year in review its author chose to publish.
    "public_progress.year",
})

# Unsafe endpoints that read no session at all, so a cross-site request has no cookie to ride on:
# each accepts only a signed token of its own (tests/notifications/test_push_actions.py checks that
# a logged-in session without the token changes nothing).
TOKEN_ONLY_ENDPOINTS = frozenset({"notifications.push_act"})

# Form data sent with every unsafe request of the walks. It would make the routes succeed, so a
# route that skipped its CSRF or ownership check would change rows and fail the snapshot too.
UNSAFE_PAYLOAD = {
    "password": PASSWORD,
    "current_password": PASSWORD,
    "new_password": "a brand new passphrase",
    "first_name": "Changed",
    "timezone": "UTC",
    "identifier": "ana",
    "email": "changed@example.com",
    "username": "changed",
    "name": "Changed",
    "title": "Changed",
    "note": "Changed",
}
# Valid form data for routes the generic payload does not satisfy, keyed by endpoint; a function
# so dates are today's.
SAMPLE_FORM: dict[str, Callable[[], dict]] = {
    "tags.recolor": lambda: {"color": "#123456"},
    "habits.heatmap_toggle": lambda: {"cell": f"{_utc_today()}:yes"},
    "habits.move": lambda: {"direction": "down"},
    "habits.add_pause": lambda: {"start_date": _utc_today(), "end_date": _utc_today()},
    "goals.create": lambda: GOAL_FORM,
    "goals.edit": lambda: GOAL_FORM,
    "goals.add_progress": lambda: {"value": "1", "progress_date": _utc_today()},
    "goals.edit_progress": lambda: {"value": "1", "progress_date": _utc_today()},
    "goals.milestone_done": lambda: {"done": "1"},
    "goals.move_milestone": lambda: {"direction": "down"},
    "workouts.create": lambda: {"workout_date": _utc_today(), "workout_type": "strength"},
    "workouts.edit": lambda: {"workout_date": _utc_today(), "workout_type": "strength"},
    "workouts.repeat": lambda: {"mode": "targets"},
    "workouts.add_exercise": lambda: WORKOUT_EXERCISE_FORM,
    "workouts.edit_exercise": lambda: WORKOUT_EXERCISE_FORM,
    "workouts.move_exercise": lambda: {"direction": "down"},
    "workouts.add_set": lambda: {"reps": "5", "weight": "100", "weight_unit": "kg", "set_type": "normal"},
    "nutrition.add": lambda: {"food_name": "Changed", "calories": "100"},
    "nutrition.edit": lambda: {"food_name": "Changed", "meal_type": "lunch", "calories": "100"},
    "nutrition.favorite": lambda: {"favorite": "1"},
    "nutrition.repeat": lambda: {"day": _utc_today(), "meal_type": "lunch"},
    "nutrition.copy_meal": lambda: {"from_day": _utc_today(), "from_meal": "breakfast"},
    "account.update_targets": lambda: {"target_calories": "2000", "target_protein_g": "100"},
    "account.update_units": lambda: {"weight_unit": "lbs", "distance_unit": "miles"},
    "reviews.save": lambda: {"mood_rating": "5", "highlights": "Changed"},
    "journal.create": lambda: JOURNAL_FORM,
    "journal.edit": lambda: JOURNAL_FORM,
    "progress.add_measurement": lambda: {"weight": "80", "measured_on": _utc_today(), "origin": "page"},
    "progress.publish_year": lambda: {"public": "y"},
}
JOURNAL_FORM = {"title": "Changed", "content": "Changed", "status": "published", "is_public": "y"}
WORKOUT_EXERCISE_FORM = {"exercise_name": "Changed", "exercise_type": "strength", "weight_unit": "kg", "distance_unit": "km"}
GOAL_FORM = {
    "title": "Changed", "goal_type": "monthly", "measure": "entries", "target_value": "5", "priority": "1",
    "status": "active", "rollup": "average",
}


def _utc_today() -> str:
    return datetime.now(UTC).date().isoformat()


def unsafe_payload(endpoint: str) -> dict:
    return {**UNSAFE_PAYLOAD, **SAMPLE_FORM.get(endpoint, dict)()}


OLD = datetime(2001, 1, 1, tzinfo=UTC)


# --------------------------------------------------------------------------- extra app instances


def config_class(app, base=TestConfig, **overrides):
    """A config on ``app``'s database: a second instance stands in for another worker process."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return type("Config", (base,), {
        "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url), **overrides,
    })


@contextmanager
def sibling_app(app, base=TestConfig, **overrides):
    """Another app instance (create_app again) on the same database, disposed of afterwards."""
    other = create_app(config_class(app, base, **overrides))
    other.test_client_class = ManifestClient
    try:
        yield other
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


# --------------------------------------------------------------------------- seeded rows

# Values a generic row cannot guess. Each entry: table -> function(ids of the owner's rows by table,
# plus "marker") -> values.
ROW_OVERRIDES: dict[str, Callable[[dict], dict]] = {
    "taggables": lambda ids: {"taggable_type": "goal", "taggable_id": ids["goals"]},
    "tags": lambda ids: {"slug": f"tag-{ids['marker']}"},
    # Published and public, so the walk reaches the public pages' real work.
    "blog_entries": lambda ids: {"slug": f"entry-{ids['marker']}", "status": "published", "is_public": True},
    "media": lambda ids: _seed_media_files(ids),
    # A finished export with its archive where the test app keeps them, so its download does real work.
    "data_exports": lambda ids: _seed_export_file(ids),
    "data_imports": lambda ids: {"status": "ready", "source": "habitbull", "label": f"{ids['marker']}.csv",
                                 "preview": {"added": {"habits": 1}, "present": {}, "problems": [],
                                             "problem_count": 0}},
    # A reminder leads to a page of the app (opening it lands there).
    "notifications": lambda ids: {"link": f"/habits/{ids['habits']}", "status": "sent"},
    "body_measurements": lambda ids: {"weight": Decimal(80), "weight_unit": "kg"},
    # Published, so the walk reaches the public year in review's real work.
    "year_reviews": lambda ids: {"year": datetime.now(UTC).year, "is_public": True},
}


def _seed_media_files(ids: dict) -> dict:
    """A seeded attachment has real files where the test app keeps them, so the routes serving it do
    their real work. Its bytes are text: the walk reads every page as text."""
    from manifest.media.storage import LocalStorage, new_key

    storage = LocalStorage(TestConfig.MEDIA_ROOT)
    key = new_key(ids["users"], "txt")
    thumb = new_key(ids["users"], "png", thumb_of=key)
    data = f"{ids['marker']} attachment".encode()
    storage.save(key, data, "text/plain")
    storage.save(thumb, data, "image/png")
    return {"file_path": key, "thumbnail_path": thumb, "file_type": "text/plain", "file_size": len(data),
            "related_to_type": "goal", "related_to_id": ids["goals"]}
def _seed_export_file(ids: dict) -> dict:
    import zipfile
    from datetime import timedelta
    from pathlib import Path

    root = Path(TestConfig.EXPORT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.zip"
    with zipfile.ZipFile(root / name, "w") as archive:
        archive.writestr("manifest.json", f'{{"marker": "{ids["marker"]}"}}')
    return {"status": "done", "file_name": name, "file_size": (root / name).stat().st_size,
            "expires_at": datetime.now(UTC) + timedelta(days=1)}


# Tables no user owns.
UNOWNED_TABLES = {"users", "login_failures"}


def _allowed_values(table: sa.Table, column: sa.Column) -> list[str]:
    """The values a one_of() CHECK constraint allows, in order."""
    pattern = re.compile(rf"^{column.name} IN \((.*)\)$")
    for constraint in table.constraints:
        if isinstance(constraint, sa.CheckConstraint):
            match = pattern.match(str(constraint.sqltext).strip())
            if match:
                return re.findall(r"'([^']*)'", match.group(1))
    return []


def _sample(table: sa.Table, column: sa.Column, marker: str):
    allowed = _allowed_values(table, column)
    if allowed:
        return allowed[0]
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.Numeric):
        return Decimal(1)
    if isinstance(kind, sa.DateTime):
        return datetime.now(UTC)
    if isinstance(kind, sa.Date):
        return datetime.now(UTC).date()
    if isinstance(kind, sa.Time):
        return time(8, 0)
    if isinstance(kind, sa.Uuid):
        return uuid.uuid4()
    if isinstance(kind, sa.String):
        return f"{marker} {column.name}"[: kind.length or 200]
    raise AssertionError(
        f"Cannot make a sample value for {table.name}.{column.name} ({kind!r}): "
        f"add an entry for {table.name!r} to ROW_OVERRIDES in tests/security/support.py."
    )


@dataclass
class Seed:
    """The rows made for one user: table name -> id, and the marker in every text column."""

    user_id: uuid.UUID
    marker: str
    ids: dict[str, uuid.UUID] = field(default_factory=dict)


def seed_rows(app, user_id: uuid.UUID, marker: str) -> Seed:
    """One row in every table the user owns, directly or through a parent, filling only what is required.

    Every text column carries ``marker`` so a page showing this user's data can be spotted.
    """
    seed = Seed(user_id, marker)
    ids = {"users": user_id, "marker": marker}
    with app.app_context(), db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in UNOWNED_TABLES:
                continue
            values = {"id": uuid.uuid4()}
            owned = False
            for column in table.columns:
                if column.name in values:
                    continue
                parents = {fk.column.table.name for fk in column.foreign_keys}
                if parents:
                    parent = parents.pop()
                    if parent in ids and parent != table.name:
                        values[column.name] = ids[parent]
                        owned = True
                    continue
                if column.nullable or column.default is not None or column.server_default is not None:
                    continue
                values[column.name] = _sample(table, column, marker)
            if not owned:
                continue
            values.update(ROW_OVERRIDES.get(table.name, lambda _ids: {})(ids))
            conn.execute(table.insert().values(**values))
            ids[table.name] = seed.ids[table.name] = values["id"]
    return seed


def age_all_rows(app) -> None:
    """Move every updated_at into the past, so any later write moves max(updated_at) (SQLite's
    CURRENT_TIMESTAMP has whole seconds, so a write in the same second would otherwise go unseen)."""
    with app.app_context(), db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            if "updated_at" in table.c:
                conn.execute(table.update().values(updated_at=OLD))


def snapshot(app) -> dict[str, tuple]:
    """Per table: row count, max(updated_at) and a digest of every row."""
    result = {}
    with app.app_context(), db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            count = conn.scalar(sa.select(sa.func.count()).select_from(table))
            newest = conn.scalar(sa.select(sa.func.max(table.c.updated_at))) if "updated_at" in table.c else None
            rows = sorted(repr(tuple(row)) for row in conn.execute(sa.select(table)))
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            result[table.name] = (count, newest, digest)
    return result


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


# --------------------------------------------------------------------------- the route walk




# Values for URL arguments the walk cannot derive from a row. Keys: "endpoint:argument" (one
# route) or "argument" (every route). Values: a function of the Seed returning one value or a list.
SAMPLE_VALUES: dict[str, Callable[[Seed], object]] = {
    # The seeded users live in UTC.
    "day": lambda seed: _utc_today(),
    "date": lambda seed: _utc_today(),
    "static:filename": lambda seed: "css/app.css",
    # The author reading their own public pages (their views are not counted, so nothing changes).
    "public.profile:username": lambda seed: _username(seed),
    "public.entry:username": lambda seed: _username(seed),
    "public.entry:slug": lambda seed: f"entry-{seed.marker}",
    # A row's attachments: the seeded goal (goals take attachments).
    "media.row:area_key": lambda seed: "goal",
    "media.row:row_id": lambda seed: seed.ids["goals"],
    "media.upload:area_key": lambda seed: "goal",
    "media.upload:row_id": lambda seed: seed.ids["goals"],
    # Tagging a row: the seeded goal, which the seeded taggable links to the seeded tag.
    **{f"tags.{endpoint}:{argument}": value for endpoint in ("row", "add", "remove", "suggest")
       for argument, value in (("area_key", lambda seed: "goal"), ("row_id", lambda seed: seed.ids["goals"]))},
    "tags.show:slug": lambda seed: f"tag-{seed.marker}",
    # The API: a journal entry by id, and tagging the seeded goal.
    "entry_id": lambda seed: seed.ids["blog_entries"],
    **{f"api_tags.{endpoint}:{argument}": value for endpoint in ("row_tags", "tag_row", "untag_row")
       for argument, value in (("area_key", lambda seed: "goal"), ("row_id", lambda seed: seed.ids["goals"]))},
    "notifications.unsubscribe:token": lambda seed: _unsubscribe_token(seed),
    "year_number": lambda seed: datetime.now(UTC).year,
    # An insight's days: the workouts-and-mood question, asked of every user.
    "progress.insight_days:key": lambda seed: "workout-mood",
    "public_progress.year:username": lambda seed: _username(seed),
}

# Query strings a GET route needs to do its real work, keyed by endpoint.
SAMPLE_QUERY: dict[str, dict] = {
    "nutrition.suggest": {"food_name": "zq"},
    "search.index": {"q": "zq"},
}


def _unsubscribe_token(seed: Seed) -> str:
    from manifest.models import User
    from manifest.notifications.services import unsubscribe_token

    return unsubscribe_token(db.session.get(User, seed.user_id))


def _username(seed: Seed) -> str:
    from manifest.models import User

    return db.session.scalar(sa.select(User.username).where(User.id == seed.user_id))


class Unfillable(Exception):
    pass


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _model_table_for(name: str) -> str | None:
    """The table behind a URL argument name such as ``habit`` or ``pause`` (HabitPause)."""
    mappers = list(db.Model.registry.mappers)
    for candidates in (
        [m for m in mappers if name in (_snake(m.class_.__name__), m.local_table.name, m.local_table.name[:-1])],
        [m for m in mappers if _snake(m.class_.__name__).endswith("_" + name)],
    ):
        if len(candidates) == 1:
            return candidates[0].local_table.name
        if len(candidates) > 1:
            return None
    return None


def _values_for(rule: Rule, argument: str, seed: Seed, values: dict) -> list:
    for key in (f"{rule.endpoint}:{argument}", argument):
        if key in values:
            value = values[key](seed)
            return value if isinstance(value, list) else [value]
    converter = rule._converters[argument]
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)
    if isinstance(converter, UUIDConverter):
        name = argument[:-3] if argument.endswith("_id") else None
        if argument == "id":
            name = rule.endpoint.split(".")[0]
        table = _model_table_for(name) if name else None
        if table and table in seed.ids:
            return [seed.ids[table]]
    raise Unfillable(f"{rule.endpoint} ({rule.rule}): <{type(converter).__name__} {argument}>")


@dataclass
class Route:
    rule: Rule
    url: str
    methods: tuple[str, ...]
    # True when a URL argument names one of the user's rows.
    has_row_ids: bool

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    def __str__(self) -> str:
        return f"{self.rule.endpoint} {self.url}"


def routes(
    app, seed: Seed, methods: tuple[str, ...] | None = None, *, api: bool = False, values: dict | None = None,
    queries: dict | None = None,
) -> list[Route]:
    """A concrete URL (or several, for ``any()`` converters) for every rule in the URL map: the
    pages', or with ``api`` the JSON API's (/api/v1, bearer tokens only; tests/security/test_api_walk.py).

    ``values`` and ``queries`` add to (and win over) SAMPLE_VALUES and SAMPLE_QUERY, for a walk over
    other data than the generic seed. Fails the test, naming each one, when an argument cannot be filled.
    """
    values = {**SAMPLE_VALUES, **(values or {})}
    queries = {**SAMPLE_QUERY, **(queries or {})}
    found, unfillable = [], []
    with app.app_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
            if rule.rule.startswith(API_PREFIX) != api:
                continue
            rule_methods = tuple(sorted(set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
            if methods is not None:
                rule_methods = tuple(m for m in rule_methods if m in methods)
            if not rule_methods:
                continue
            arguments = sorted(rule.arguments - set(rule.defaults or {}))
            choices, missing = [], []
            for argument in arguments:
                try:
                    choices.append(_values_for(rule, argument, seed, values))
                except Unfillable as error:
                    missing.append(str(error))
            if missing:
                unfillable += missing
                continue
            has_row_ids = any(isinstance(rule._converters[a], UUIDConverter) for a in arguments)
            for combination in itertools.product(*choices):
                _, path = rule.build(dict(zip(arguments, combination, strict=True)), append_unknown=False)
                query = queries.get(rule.endpoint)
                if query:
                    path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
                found.append(Route(rule, path, rule_methods, has_row_ids))
    if unfillable:
        pytest.fail(
            "The security route walk cannot build a URL for these rules:\n  "
            + "\n  ".join(unfillable)
            + "\nRegister a sample value in SAMPLE_VALUES (tests/security/support.py), keyed "
            "'endpoint:argument' or 'argument', so the login, CSRF and no-write checks cover them.",
            pytrace=False,
        )
    return found


def swap_owner(routes_: list[Route], own: Seed, other: Seed) -> Iterator[Route]:
    """Each route with row ids, once for every non-empty set of its ids replaced by ``other``'s rows."""
    swaps = {str(own.ids[t]): str(other.ids[t]) for t in own.ids if t in other.ids}
    for route in routes_:
        present = [mine for mine in swaps if mine in route.url]
        for size in range(1, len(present) + 1):
            for chosen in itertools.combinations(present, size):
                url = route.url
                for mine in chosen:
                    url = url.replace(mine, swaps[mine])
                yield Route(route.rule, url, route.methods, True)


# --------------------------------------------------------------------------- headers

REQUIRED_CSP = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
}
CSP_LOOPHOLES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "blob:")


def parse_csp(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


def assert_security_headers(response, *, private: bool, what: str = "") -> None:
    """The headers every response carries; ``private``: a logged-in, non-static response."""
    where = f" on {what}" if what else ""
    headers = response.headers
    assert "Content-Security-Policy" in headers, f"no CSP{where}"
    csp = parse_csp(headers["Content-Security-Policy"])
    for directive, sources in REQUIRED_CSP.items():
        assert csp.get(directive) == sources, f"CSP {directive} is {csp.get(directive)}{where}"
    for directive in ("default-src", "script-src", "style-src", "object-src"):
        loose = [s for s in csp.get(directive, []) if s in CSP_LOOPHOLES]
        assert not loose, f"CSP {directive} allows {loose}{where}"
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert "hx-request" in {v.lower() for v in response.vary}, f"Vary lacks HX-Request{where}"
    if private:
        assert response.cache_control.no_store, f"Cache-Control lacks no-store{where}"

