"""Rules checked on every route in app.url_map, so routes added later are covered without new tests.

URLs are built by tests/security/support.py:routes(), which fills URL arguments with ids of the
logged-in user's seeded rows and fails loudly for an argument it cannot fill.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from tests.conftest import HX
from tests.security.conftest import ANA_MARKER, BEN_MARKER
from tests.security.support import (
    PUBLIC_ENDPOINTS,
    TOKEN_ONLY_ENDPOINTS,
    UNSAFE_METHODS,
    age_all_rows,
    assert_security_headers,
    changed_tables,
    routes,
    snapshot,
    swap_owner,
    unsafe_payload,
)

CSRF_MESSAGE = "did not come from this site"


def _payload(route, method: str):
    return unsafe_payload(route.endpoint) if method in UNSAFE_METHODS else None


def test_public_allowlist_names_real_routes_that_answer_anonymous_visitors(app, client):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert PUBLIC_ENDPOINTS <= endpoints
    for path in ("/login", "/signup", "/static/css/app.css"):
        assert client.get(path).status_code == 200, path


def test_every_route_outside_the_allowlist_sends_anonymous_visitors_to_login(app, client, seeds):
    mine, _ = seeds
    age_all_rows(app)
    before = snapshot(app)
    checked = set()
    for route in routes(app, mine):
        if route.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in route.methods:
            # The client sends a valid CSRF token with unsafe methods, so only the login check can refuse.
            response = client.open(route.url, method=method, data=_payload(route, method))
            assert response.status_code == 302, f"anonymous {method} {route} answered {response.status_code}"
            assert urlsplit(response.headers["Location"]).path == "/login", f"{method} {route}"
            assert_security_headers(response, private=False, what=f"{method} {route}")

            response = client.open(route.url, method=method, data=_payload(route, method), headers=HX)
            assert response.status_code == 401, f"anonymous htmx {method} {route} answered {response.status_code}"
            assert urlsplit(response.headers.get("HX-Redirect", "")).path == "/login", f"htmx {method} {route}"
            assert_security_headers(response, private=False, what=f"htmx {method} {route}")
            checked.add(route.endpoint)
    assert {"today.index", "account.settings", "account.delete_account", "auth.logout"} <= checked
    assert not changed_tables(before, snapshot(app))


def test_every_unsafe_route_refuses_a_request_without_a_valid_csrf_token(app, auth_client, other_client, seeds):
    mine, _ = seeds
    age_all_rows(app)
    before = snapshot(app)
    attempts = {
        "no token": ({}, {}),
        "no token, htmx": (HX, {}),
        "another session's token": ({"X-CSRFToken": other_client.csrf_token()}, {}),
        "forged form field": ({}, {"csrf_token": "forged"}),
    }
    checked = set()
    for route in routes(app, mine, methods=UNSAFE_METHODS):
        if route.endpoint in TOKEN_ONLY_ENDPOINTS:
            continue
        for method in route.methods:
            for name, (headers, extra) in attempts.items():
                response = auth_client.open(
                    route.url, method=method, headers=headers, data={**unsafe_payload(route.endpoint), **extra}, csrf=False
                )
                what = f"{method} {route} with {name}"
                assert response.status_code == 400, f"{what} answered {response.status_code}"
                assert CSRF_MESSAGE in response.get_data(as_text=True), what
                assert_security_headers(response, private=True, what=what)
                changed = changed_tables(before, snapshot(app))
                assert not changed, f"{what} changed {changed}"
            checked.add(route.endpoint)
    # Public forms are protected too, and the account routes that can destroy data are among those walked.
    assert {"auth.login", "auth.signup", "auth.logout", "account.change_password", "account.delete_account"} <= checked
    assert auth_client.get("/").status_code == 200


def test_no_get_route_changes_a_row(app, auth_client, seeds):
    mine, _ = seeds
    age_all_rows(app)
    before = snapshot(app)
    walked = []
    for route in routes(app, mine, methods=("GET",)):
        for headers in ({}, HX):
            response = auth_client.get(route.url, headers=headers)
            what = f"GET {route}{' (htmx)' if headers else ''}"
            # A 404 or 400 would mean the view never reached its real work, and proved nothing.
            assert response.status_code < 400, (
                f"{what} answered {response.status_code}; if it needs a query string or another argument "
                "value, register one in SAMPLE_QUERY / SAMPLE_VALUES in tests/security/support.py"
            )
            changed = changed_tables(before, snapshot(app))
            assert not changed, f"{what} changed rows in {changed}"
            assert_security_headers(response, private=route.endpoint != "static", what=what)
            walked.append(route)
    assert any(route.has_row_ids for route in walked), "no GET route with a row id was walked"
    assert auth_client.get("/").status_code == 200


def test_pages_never_show_another_users_rows(app, auth_client, seeds, other_user):
    mine, _ = seeds
    shown_own_rows = False
    for route in routes(app, mine, methods=("GET",)):
        for headers in ({}, HX):
            # Downloads (an export archive) are bytes: read them as text as far as they are text.
            body = auth_client.get(route.url, headers=headers).get_data().decode("utf-8", "replace")
            assert BEN_MARKER not in body, f"GET {route} shows another user's rows"
            assert other_user["email"] not in body, f"GET {route} shows another user's email"
            shown_own_rows |= ANA_MARKER in body
    # Otherwise no page lists rows at all and the check above could not fail.
    assert shown_own_rows


def test_another_users_row_ids_answer_404_and_change_nothing(app, auth_client, seeds):
    mine, theirs = seeds
    age_all_rows(app)
    before = snapshot(app)
    for route in swap_owner(routes(app, mine), mine, theirs):
        for method in route.methods:
            response = auth_client.open(route.url, method=method, data=_payload(route, method))
            what = f"{method} {route} with another user's row"
            assert response.status_code == 404, (
                f"{what} answered {response.status_code}; if the form data was refused before the ownership "
                "check, register valid data in SAMPLE_FORM (tests/security/support.py)"
            )
            assert BEN_MARKER not in response.get_data(as_text=True), what
            changed = changed_tables(before, snapshot(app))
            assert not changed, f"{what} changed rows in {changed}"


class _CodeTheCspBlocks(HTMLParser):
    """Finds markup that the Content-Security-Policy would silently block in a browser."""

    SCRIPT_TYPES = ("", "text/javascript", "module", "application/javascript")

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and (attributes.get("type") or "") in self.SCRIPT_TYPES:
            self.problems.append("an inline <script>")
        if tag == "style":
            self.problems.append("a <style> element")
        for name, value in attributes.items():
            if name.startswith(("on", "hx-on", "data-hx-on")):
                self.problems.append(f"an inline handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"a style= attribute on <{tag}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"a javascript: URL on <{tag}>")


def test_pages_need_nothing_the_csp_blocks(app, client, auth_client, seeds):
    mine, _ = seeds
    pages = [(client, "/login"), (client, "/signup")]
    pages += [(auth_client, route.url) for route in routes(app, mine, methods=("GET",)) if route.endpoint != "static"]
    checked = 0
    for who, url in pages:
        for headers in ({}, HX):
            response = who.get(url, headers=headers, follow_redirects=True)
            if response.mimetype != "text/html":
                continue
            parser = _CodeTheCspBlocks()
            parser.feed(response.get_data(as_text=True))
            assert not parser.problems, f"GET {url} has {sorted(set(parser.problems))}"
            checked += 1
    assert checked >= 4


class _IdsAndLabels(HTMLParser):
    """Collects element ids and the ids labels point at."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.label_targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "label" and attributes.get("for"):
            self.label_targets.append(attributes["for"])


def test_every_page_has_unique_ids_and_labels_that_name_a_field(app, client, auth_client, seeds):
    """A repeated id breaks htmx targets and sends a label (and a screen reader) to the wrong element."""
    mine, _ = seeds
    pages = [(client, "/login"), (client, "/signup")]
    pages += [(auth_client, route.url) for route in routes(app, mine, methods=("GET",)) if route.endpoint != "static"]
    checked = 0
    for who, url in pages:
        response = who.get(url, follow_redirects=True)
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        parser = _IdsAndLabels()
        parser.feed(response.get_data(as_text=True))
        repeated = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
        assert not repeated, f"GET {url} repeats the ids {repeated}"
        unlabelled = sorted(set(parser.label_targets) - set(parser.ids))
        assert not unlabelled, f"GET {url} has labels for missing ids {unlabelled}"
        checked += 1
    assert checked >= 20
