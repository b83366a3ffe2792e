"""htmx answers: a block with context of its own (Block), a piece of a page (part), a refused form
answered elsewhere than its success (retarget)."""

import pytest
from jinja2 import ChoiceLoader, DictLoader

from manifest import htmx

TEMPLATE = "test_htmx/sections.html"
SOURCE = """<html><body>
{% for section in sections %}{% block section scoped %}<section id="s-{{ section }}"{% if oob %} hx-swap-oob="true"{% endif %}>{{ section }} {{ note }}</section>{% endblock %}{% endfor %}
{% block total %}<p id="total"{% if oob %} hx-swap-oob="true"{% endif %}>{{ sections | length }}</p>{% endblock %}
</body></html>"""


@pytest.fixture
def sections(app):
    # The app's own loader, asked first by the environment's, gains one template only tests know.
    if TEMPLATE not in app.jinja_env.list_templates():
        app.jinja_loader = ChoiceLoader([DictLoader({TEMPLATE: SOURCE}), app.jinja_loader])
    return {"sections": ["a", "b", "c"], "note": "", "oob": False}


def body(response) -> str:
    return response.get_data(as_text=True)


def test_one_block_answered_twice_each_with_its_own_context(app, sections):
    with app.test_request_context(headers={"HX-Request": "true"}):
        response = htmx.blocks(TEMPLATE, htmx.Block("section", section="a", oob=True),
                               htmx.Block("section", section="c", oob=True), "total", **sections)
    assert body(response) == ('<section id="s-a" hx-swap-oob="true">a </section>'
                              '<section id="s-c" hx-swap-oob="true">c </section><p id="total">3</p>')


def test_a_blocks_own_context_never_reaches_the_whole_page(app, sections):
    swapped = htmx.Block("total", oob=True)
    with app.test_request_context():
        page = body(htmx.page(TEMPLATE, swapped, **sections))
    assert "<html>" in page and "hx-swap-oob" not in page
    with app.test_request_context(headers={"HX-Request": "true"}):
        fragment = body(htmx.page(TEMPLATE, swapped, **sections))
    assert fragment == '<p id="total" hx-swap-oob="true">3</p>'


def test_a_refused_form_with_blocks_of_their_own_context(app, sections):
    with app.test_request_context(headers={"HX-Request": "true"}):
        response = htmx.invalid(TEMPLATE, htmx.Block("section", section="b", note="wrong"), **sections)
    assert response.status_code == 422 and body(response) == '<section id="s-b">b wrong</section>'


@pytest.mark.parametrize(("headers", "swapped"), [
    ({"HX-Request": "true"}, True),
    ({}, False),
    ({"HX-Request": "true", "HX-Boosted": "true"}, False),
    ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
])
def test_a_piece_of_a_page_is_swapped_in_or_its_page_is_visited(app, sections, headers, swapped):
    with app.test_request_context(headers=headers):
        response = htmx.part("/the-page#s-b", TEMPLATE, "total", **sections)
    if swapped:
        assert response.status_code == 200 and body(response) == '<p id="total">3</p>'
    else:
        assert response.status_code == 303 and response.headers["Location"] == "/the-page#s-b"


def test_retarget_points_htmx_elsewhere(app, sections):
    with app.test_request_context(headers={"HX-Request": "true"}):
        response = htmx.retarget(htmx.invalid(TEMPLATE, "total", **sections), "#form")
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == ("#form", "outerHTML")
    assert response.status_code == 422
