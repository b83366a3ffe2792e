"""Real tools over every page: axe-core finds no accessibility violation (WCAG 2.2 target size
included) at phone and desktop width in light and dark mode, and the Nu HTML Checker finds no error
in any page, htmx part or action answer.

The pages are those of tests/browser/page_walk.py: every GET route of ``app.url_map`` as a user with
a rich history sees it. The tools are the Node packages of .ci/package.json (`make page-tools`);
without them these tests skip, except under CI=true, where they fail.
"""

import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, _unavailable
from tests.browser.page_walk import EXCLUDED, action_answers, seed_rich_account, walk
from tests.conftest import empty_database

TOOLS = Path(__file__).resolve().parents[2] / ".ci" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
PHONE = {"width": 390, "height": 844}
# htmx's own attributes are not HTML's; the checker says so for each one, and nothing else is forgiven.
HTMX_ATTRIBUTE = re.compile(r"^Attribute “hx-[a-z-]+(:[a-z:-]+)?” not allowed on element “[a-z0-9-]+” at this point\.$")

# A part refers to elements of the page it is swapped into (the exercise names' datalist, say).
PAGE_REFERENCE = re.compile(r"^The “list” attribute of the “input” element must refer to a “datalist” element\.$")

RUN_AXE = """async () => {
  // Content behind a disclosure is content too. What the page loads after its first paint (lazy
  // regions, what opening a disclosure fetches) is waited for.
  for (const details of document.querySelectorAll("details")) details.open = true;
  const tick = () => new Promise(resolve => setTimeout(resolve, 50));
  await tick();
  for (let n = 0; n < 100 && document.querySelector(".htmx-request"); n++) await tick();
  // A field with autofocus scrolls the page, and what then slides under the sticky header would
  // count as obscured: check the page as it opens at its top.
  window.scrollTo(0, 0);
  const result = await axe.run(document, {
    rules: {"target-size": {enabled: true}},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, help: v.help,
    nodes: v.nodes.map(n => `${n.target.join(" ")}: ${(n.failureSummary || "").split("\\n").slice(1).join(" ").trim()}`),
  }));
}"""


def _tool(path: Path) -> Path:
    if not path.exists():
        _unavailable(f"{path} is missing (make page-tools)")
    return path


@pytest.fixture(autouse=True)
def clean_database():
    """The rich account is seeded once for this module (``account`` empties the database after it)."""
    yield


@pytest.fixture(scope="module")
def account(app):
    empty_database(app)
    yield seed_rich_account(app)
    empty_database(app)


@pytest.fixture(scope="module")
def pages(app, account):
    return walk(app, account)


def test_every_get_route_gives_a_checked_page_or_part_or_is_excluded_with_a_reason(app, pages):
    # The JSON API answers no HTML: its own walk and the OpenAPI contract test check it.
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if "GET" in (rule.methods or ()) and not rule.rule.startswith("/api/v1")}
    assert set(EXCLUDED) <= endpoints, f"EXCLUDED names routes that no longer exist: {set(EXCLUDED) - endpoints}"
    assert not pages.problems, "\n".join(pages.problems) + (
        "\nA GET route that answers no HTML page or part goes in EXCLUDED (tests/browser/page_walk.py), with "
        "the reason; one that needs an argument or a query string gets it in page_walk.py too.")
    unchecked = sorted(endpoints - set(pages.checked) - set(EXCLUDED))
    assert not unchecked, f"GET routes neither checked nor excluded: {unchecked}"
    assert len(pages.pages) >= 30 and len(pages.anonymous_pages) == 4


def _vnu_errors(directory: Path) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        _unavailable("java is not installed (the Nu HTML Checker runs on it)")
    # One JVM for every file: starting it is most of the cost.
    finished = subprocess.run(
        [java, "-Xss4m", "-jar", str(_tool(VNU)), "--format", "json", "--errors-only", "--exit-zero-always",
         str(directory)],
        capture_output=True, text=True, timeout=300, check=True,
    )
    return json.loads(finished.stderr)["messages"]


def test_every_page_htmx_part_and_action_answer_is_valid_html(app, pages, tmp_path):
    answers = action_answers(app)
    assert len(answers) >= 40
    names = {}
    for n, document in enumerate(pages.documents + answers):
        path = tmp_path / f"{n:03}.html"
        path.write_text(document.html, encoding="utf-8")
        names[path.name] = document
    # One entry per kind of error, with where it was seen first and how often.
    errors = defaultdict(list)
    for message in _vnu_errors(tmp_path):
        document = names[Path(message["url"]).name]
        text = message.get("message", "")
        if HTMX_ATTRIBUTE.match(text) or (document.fragment and PAGE_REFERENCE.match(text)):
            continue
        where = document.name
        errors[message["message"]].append(f"{where}, line {message.get('lastLine')}: {message.get('extract', '')!r}")
    assert len(names) >= 60
    report = [f"{text} ({len(seen)} times)\n  {seen[0]}" for text, seen in sorted(errors.items())]
    count = sum(map(len, errors.values()))
    assert not errors, f"{count} HTML errors of {len(errors)} kinds in {len(names)} documents:\n" + "\n".join(report)


SCHEMES = ("light", "dark")


def _violations(page, url: str) -> dict[str, list[str]]:
    """axe's findings on one page in each colour scheme (the page is loaded once: only the colours change)."""
    response = page.goto(url)
    assert response is not None and response.ok, url
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        found[scheme] = [f"  {v['id']} ({v['help']}):\n    " + "\n    ".join(v["nodes"][:6])
                         for v in page.evaluate(RUN_AXE)]
    return found


# A phone has a touch screen (pointer: coarse); a desktop has a mouse.
@pytest.mark.parametrize(("viewport", "touch"), [(PHONE, True), (DESKTOP, False)], ids=["phone", "desktop"])
def test_axe_finds_no_violation_on_any_page_in_light_or_dark_mode(open_page, log_in, account, pages, viewport, touch):
    axe = _tool(AXE)
    found = {}
    visitor = open_page(viewport, has_touch=touch)
    visitor.context.add_init_script(path=str(axe))
    for url in pages.anonymous_pages:
        found[f"{url} (not logged in)"] = _violations(visitor, url)
    page = open_page(viewport, has_touch=touch)
    page.context.add_init_script(path=str(axe))
    log_in(page, account.email, account.password)
    for url in pages.pages:
        found[url] = _violations(page, url)
    failing = [(url, scheme, v) for url, by_scheme in found.items() for scheme, v in by_scheme.items() if v]
    report = "\n".join(f"{url} ({scheme}):\n" + "\n".join(v) for url, scheme, v in failing)
    assert not failing, (
        f"axe at {viewport['width']} px: {len(failing)} violating pages (of {len(found)} pages, each light and dark):\n"
        + report)
