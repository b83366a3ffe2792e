"""Real-browser fixtures: the app on a live port, one Chromium per run, a fresh context per test.

Every test in this folder is marked ``browser``. Without /usr/bin/chromium the tests skip,
except under CI=true, where a missing browser is a failure: CI must not go green untested.
"""

import contextlib
import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
except ImportError:  # the browser fixture says so
    PlaywrightError = sync_playwright = None

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
BROWSER_TIMEZONE = "Europe/Berlin"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# Playwright waits up to 30 s by default; a broken page should fail faster than that.
TIMEOUT_MS = 10_000
TODAY_URL = re.compile(r"^http://127\.0\.0\.1:\d+/$")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.path).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # The open_page fixture reads this to decide whether a screenshot is worth keeping.
    setattr(item, f"report_{report.when}", report)
    errors = item.funcargs.get("browser_errors") if report.when == "call" else None
    unexpected = errors.take_unexpected() if errors else []
    if unexpected:
        text = "The browser reported errors:\n" + "\n".join(unexpected)
        if report.passed and not hasattr(report, "wasxfail"):
            report.outcome, report.longrepr = "failed", text
        else:
            report.sections.append(("browser errors", text))
    return report


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(app):
    """The test app on a free local port, served from a daemon thread; yields its base URL.

    It shares the test database, so ``clean_database`` empties it after every test as usual.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    if sync_playwright is None:
        _unavailable("Playwright for Python is not installed (pip install -r requirements-dev.txt)")
    # The sync API runs its own event loop; it stays in the main (test) thread throughout.
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except PlaywrightError as error:
        playwright.stop()
        _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


class BrowserErrors:
    """Console errors and uncaught exceptions of every page a test opened.

    Anything recorded fails the test, CSP violations included. A test that provokes an error on
    purpose (an htmx form answered 422, say) names it with ``allow`` first.
    """

    def __init__(self):
        self.messages: list[str] = []
        self._allowed: list[re.Pattern] = []

    def allow(self, pattern: str) -> None:
        self._allowed.append(re.compile(pattern))

    def allow_status(self, status: int) -> None:
        """The browser's own report of a response with this status, and htmx's log of it."""
        self.allow(rf"^Failed to load resource: the server responded with a status of {status}\b")
        self.allow(rf"^Response Status Error Code {status}\b")

    def watch(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.messages.append(
            f"console: {message.text} ({message.location.get('url', '')})"
        ))
        page.on("pageerror", lambda error: self.messages.append(f"page error: {error}"))

    def take_unexpected(self) -> list[str]:
        """The errors not allowed and not yet reported; reporting them once is enough."""
        messages, self.messages = self.messages, []
        return [m for m in messages if not any(p.search(m.removeprefix("console: ")) for p in self._allowed)]


@pytest.fixture
def browser_errors():
    return BrowserErrors()


@pytest.fixture
def open_page(request, browser, live_server, browser_errors):
    """Open a page in a fresh context (own cookies) at the given viewport size."""
    contexts = []

    def open_(viewport: dict = DESKTOP, **options):
        """``options`` go to the new context (``has_touch=True`` for a touch screen, say)."""
        context = browser.new_context(
            base_url=live_server, viewport=viewport, timezone_id=BROWSER_TIMEZONE, locale="en-GB", **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        browser_errors.watch(page)
        return page

    yield open_

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.\[\]-]+", "_", request.node.nodeid)
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                # A screenshot is a courtesy; it must never hide the real failure.
                with contextlib.suppress(PlaywrightError):
                    page.screenshot(path=str(ARTIFACTS / f"{name}-{n}-{m}.png"), full_page=True)
    for context in contexts:
        context.close()
    # Errors that arrived after the test body ended (the call report took the others).
    late = browser_errors.take_unexpected()
    if late and report is not None and report.passed:
        pytest.fail("The browser reported errors:\n" + "\n".join(late), pytrace=False)


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def phone_page(open_page):
    return open_page(PHONE)


@pytest.fixture
def log_in():
    """Log a page in through the real login form and wait for Today."""

    def log_in_(page, identifier: str, password: str = PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("Email or username").fill(identifier)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(TODAY_URL)

    return log_in_


@pytest.fixture
def user(calm_user):
    """Ana, in a zone where midnight is hours away, so "today" holds still while a page is driven."""
    return calm_user


@pytest.fixture
def today(calm_today):
    return calm_today


@pytest.fixture
def signed_in(page, user, log_in):
    log_in(page, user["username"])
    return page
