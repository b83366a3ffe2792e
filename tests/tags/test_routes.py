"""Tagging rows, the tag list and one tag's page, through the routes."""

import re

import pytest
import sqlalchemy as sa
from flask import render_template

from manifest.extensions import db
from manifest.models import Tag, User
from manifest.tags import services
from tests.conftest import HX, counted_statements
from tests.tags.support import assert_invariants, links, make_goal, make_habit, tags_of


@pytest.fixture
def habit(app, user):
    return make_habit(app, user["id"], "Meditate")


@pytest.fixture
def goal(app, user):
    return make_goal(app, user["id"], "Run a marathon")


def add(client, kind, row_id, name, headers=None, **extra):
    return client.post(f"/tags/rows/{kind}/{row_id}", data={"name": name, **extra}, headers=headers or {})


def tag_id(app, user_id, name):
    with app.app_context():
        return db.session.scalar(sa.select(Tag.id).where(Tag.user_id == user_id, Tag.name == name))


# --- adding and removing -------------------------------------------------------------------

def test_add_with_htmx_answers_the_editor(app, auth_client, user, habit):
    response = add(auth_client, "habit", habit, "  Deep   work ", HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f'id="tags-habit-{habit}"' in body and "Deep work" in body and "<html" not in body
    assert 'href="/tags/deep-work"' in body
    assert links(app, "habit", habit) == {("Deep work", "habit", habit)}
    assert tags_of(app, user["id"]) == {"Deep work": 1}


def test_add_without_js_redirects_back(app, auth_client, user, habit):
    response = add(auth_client, "habit", habit, "focus", next=f"/habits/{habit}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/habits/{habit}"
    assert tags_of(app, user["id"]) == {"focus": 1}


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example"])
def test_add_never_redirects_off_site(auth_client, habit, target):
    response = add(auth_client, "habit", habit, "focus", next=target)
    assert response.headers["Location"] == f"/habits/{habit}"


def test_an_existing_tag_is_reused_case_insensitively(app, auth_client, user, habit, goal):
    add(auth_client, "habit", habit, "Health", HX)
    add(auth_client, "goal", goal, "health", HX)
    add(auth_client, "goal", goal, "HEALTH", HX)  # already there: nothing changes
    assert tags_of(app, user["id"]) == {"Health": 2}
    assert_invariants(app)


def test_a_picked_suggestion_wins_over_the_typed_text(app, auth_client, user, habit):
    auth_client.post(f"/tags/rows/habit/{habit}", data={"name": "he", "pick": "Health"}, headers=HX)
    assert tags_of(app, user["id"]) == {"Health": 1}


@pytest.mark.parametrize("name", ["", "   ", "x" * 51])
@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "no-js"])
def test_a_bad_name_is_an_inline_error_and_nothing_is_saved(app, auth_client, user, habit, name, headers):
    response = add(auth_client, "habit", habit, name, headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'role="alert"' in body and 'aria-invalid="true"' in body
    assert ("<html" in body) == (not headers)
    assert tags_of(app, user["id"]) == {}


def test_remove(app, auth_client, user, habit):
    add(auth_client, "habit", habit, "focus", HX)
    focus = tag_id(app, user["id"], "focus")
    response = auth_client.post(f"/tags/rows/habit/{habit}/{focus}/remove", headers=HX)
    assert response.status_code == 200 and "No tags yet." in response.get_data(as_text=True)
    assert links(app) == set()
    assert tags_of(app, user["id"]) == {"focus": 0}  # the tag itself stays, unused
    add(auth_client, "habit", habit, "focus", HX)
    response = auth_client.post(f"/tags/rows/habit/{habit}/{focus}/remove", data={"next": f"/habits/{habit}"})
    assert response.status_code == 303 and response.headers["Location"] == f"/habits/{habit}"
    assert links(app) == set()


def test_the_row_tag_page_works_without_js(auth_client, habit):
    add(auth_client, "habit", habit, "focus")
    page = auth_client.get(f"/tags/rows/habit/{habit}").get_data(as_text=True)
    assert "Tags of “Meditate”" in page and "focus" in page
    assert '<label for="tags-habit-' in page


def test_unknown_area_is_404(app, auth_client, user, habit):
    assert add(auth_client, "nope", habit, "x").status_code == 404
    assert auth_client.get(f"/tags/rows/nope/{habit}/suggest").status_code == 404
    assert tags_of(app, user["id"]) == {}


def test_another_users_row_is_404_and_nothing_changes(app, auth_client, other_client, user, other_user, habit):
    add(auth_client, "habit", habit, "mine", HX)
    mine = tag_id(app, user["id"], "mine")
    assert add(other_client, "habit", habit, "theirs", HX).status_code == 404
    assert add(other_client, "habit", habit, "theirs").status_code == 404
    assert other_client.get(f"/tags/rows/habit/{habit}").status_code == 404
    assert other_client.get(f"/tags/rows/habit/{habit}/suggest?name=m").status_code == 404
    assert other_client.post(f"/tags/rows/habit/{habit}/{mine}/remove", headers=HX).status_code == 404
    # Their own row with my tag's id: the tag is not theirs.
    theirs = make_habit(app, other_user["id"], "Read")
    assert other_client.post(f"/tags/rows/habit/{theirs}/{mine}/remove").status_code == 404
    assert links(app) == {("mine", "habit", habit)}
    assert tags_of(app, other_user["id"]) == {}


def test_tags_are_per_user(app, auth_client, other_client, user, other_user, habit):
    theirs = make_habit(app, other_user["id"], "Read")
    add(auth_client, "habit", habit, "focus", HX)
    add(other_client, "habit", theirs, "Focus", HX)
    assert tags_of(app, user["id"]) == {"focus": 1}
    assert tags_of(app, other_user["id"]) == {"Focus": 1}
    assert_invariants(app)


# --- suggestions ---------------------------------------------------------------------------

def test_suggestions_come_from_the_users_own_tags(app, auth_client, other_client, user, other_user, habit, goal):
    for name in ("Health", "Healing", "Work"):
        add(auth_client, "goal", goal, name, HX)
    add(other_client, "habit", make_habit(app, other_user["id"]), "Heal secret", HX)
    add(auth_client, "habit", habit, "Healing", HX)
    body = auth_client.get(f"/tags/rows/habit/{habit}/suggest?name=heal", headers=HX).get_data(as_text=True)
    assert 'value="Health"' in body
    assert 'value="Healing"' not in body  # already on this habit
    assert "Work" not in body and "secret" not in body
    assert "Create “heal”" in body
    exact = auth_client.get(f"/tags/rows/habit/{habit}/suggest?name=health", headers=HX).get_data(as_text=True)
    assert "Create" not in exact


def test_suggestions_escape_like_wildcards(auth_client, goal, habit):
    add(auth_client, "goal", goal, "100% effort", HX)
    add(auth_client, "goal", goal, "1000 steps", HX)
    body = auth_client.get(f"/tags/rows/habit/{habit}/suggest?name=0%", headers=HX).get_data(as_text=True)
    assert "100% effort" in body and "1000 steps" not in body


# --- the tag list --------------------------------------------------------------------------

def test_index_lists_tags_with_usage_counts(auth_client, habit, goal):
    add(auth_client, "habit", habit, "focus", HX)
    add(auth_client, "goal", goal, "focus", HX)
    add(auth_client, "goal", goal, "<b>bold</b>", HX)
    page = auth_client.get("/tags/").get_data(as_text=True)
    assert "2 uses" in page and "1 use<" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


def test_rename_slug_follows(app, auth_client, user, habit):
    add(auth_client, "habit", habit, "focus", HX)
    focus = tag_id(app, user["id"], "focus")
    response = auth_client.post(f"/tags/{focus}/rename", data={"name": "Deep focus"})
    assert response.status_code == 303
    assert auth_client.get("/tags/deep-focus").status_code == 200
    assert auth_client.get("/tags/focus").status_code == 404
    response = auth_client.post(f"/tags/{focus}/rename", data={"name": "Focus"}, headers=HX)
    assert response.status_code == 200 and "Renamed to “Focus”" in response.get_data(as_text=True)
    assert tags_of(app, user["id"]) == {"Focus": 1}


def test_a_rename_clash_offers_a_merge(app, auth_client, user, habit, goal):
    add(auth_client, "habit", habit, "focus", HX)
    add(auth_client, "goal", goal, "concentration", HX)
    source = tag_id(app, user["id"], "concentration")
    target = tag_id(app, user["id"], "focus")
    response = auth_client.post(f"/tags/{source}/rename", data={"name": "FOCUS"}, headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "You already have a tag “focus”" in body
    assert f'name="into" value="{target}"' in body and "Merge into “focus”" in body
    assert tags_of(app, user["id"]) == {"focus": 1, "concentration": 1}
    response = auth_client.post(f"/tags/{source}/merge", data={"into": str(target)})
    assert response.status_code == 303
    assert tags_of(app, user["id"]) == {"focus": 2}
    assert_invariants(app)


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "no-js"])
def test_bad_rename_or_color_is_an_inline_error(app, auth_client, user, habit, headers):
    add(auth_client, "habit", habit, "focus", HX)
    focus = tag_id(app, user["id"], "focus")
    for url, data in ((f"/tags/{focus}/rename", {"name": " "}), (f"/tags/{focus}/color", {"color": "red"}),
                      (f"/tags/{focus}/merge", {"into": "nope"}), (f"/tags/{focus}/merge", {"into": str(focus)})):
        response = auth_client.post(url, data=data, headers=headers)
        assert response.status_code == 422, url
        assert 'class="form-error" role="alert"' in response.get_data(as_text=True)
    assert tags_of(app, user["id"]) == {"focus": 1}


def test_recolor(app, auth_client, user, habit):
    add(auth_client, "habit", habit, "focus", HX)
    focus = tag_id(app, user["id"], "focus")
    assert auth_client.post(f"/tags/{focus}/color", data={"color": "#FF0000"}).status_code == 303
    with app.app_context():
        assert db.session.get(Tag, focus).color == "#ff0000"
    assert 'fill="#ff0000"' in auth_client.get("/tags/focus").get_data(as_text=True)


def test_merge_moves_links_without_duplicates(app, auth_client, user, habit, goal):
    add(auth_client, "habit", habit, "a", HX)
    add(auth_client, "habit", habit, "b", HX)
    add(auth_client, "goal", goal, "a", HX)
    a, b = tag_id(app, user["id"], "a"), tag_id(app, user["id"], "b")
    response = auth_client.post(f"/tags/{a}/merge", data={"into": str(b)}, headers=HX)
    assert response.status_code == 200 and "“a” merged into “b”" in response.get_data(as_text=True)
    assert links(app) == {("b", "habit", habit), ("b", "goal", goal)}
    assert tags_of(app, user["id"]) == {"b": 2}
    assert_invariants(app)


def test_delete(app, auth_client, user, habit):
    add(auth_client, "habit", habit, "focus", HX)
    focus = tag_id(app, user["id"], "focus")
    response = auth_client.post(f"/tags/{focus}/delete")
    assert response.status_code == 303
    assert tags_of(app, user["id"]) == {} and links(app) == set()
    assert make_habit  # the habit itself stays
    with app.app_context():
        assert db.session.scalar(sa.text("select count(*) from habits")) == 1


def test_tag_routes_of_another_user_are_404(app, auth_client, other_client, user, other_user, habit):
    add(auth_client, "habit", habit, "mine", HX)
    add(other_client, "habit", make_habit(app, other_user["id"]), "theirs", HX)
    mine, theirs = tag_id(app, user["id"], "mine"), tag_id(app, other_user["id"], "theirs")
    for headers in (HX, {}):
        assert other_client.post(f"/tags/{mine}/rename", data={"name": "x"}, headers=headers).status_code == 404
        assert other_client.post(f"/tags/{mine}/color", data={"color": "#000000"}, headers=headers).status_code == 404
        assert other_client.post(f"/tags/{mine}/delete", headers=headers).status_code == 404
        assert other_client.post(f"/tags/{mine}/merge", data={"into": str(theirs)}, headers=headers).status_code == 404
        assert other_client.post(f"/tags/{theirs}/merge", data={"into": str(mine)}, headers=headers).status_code == 404
    assert other_client.get("/tags/mine").status_code == 404
    assert "mine" not in other_client.get("/tags/").get_data(as_text=True)
    assert tags_of(app, user["id"]) == {"mine": 1} and tags_of(app, other_user["id"]) == {"theirs": 1}


# --- one tag's page ------------------------------------------------------------------------

def test_tag_page_lists_every_area_newest_first(app, auth_client, user):
    old = make_habit(app, user["id"], "Old habit")
    new = make_habit(app, user["id"], "New habit")
    goal = make_goal(app, user["id"], "A <script> goal")
    with app.app_context():
        db.session.execute(sa.text("update habits set created_at = :t where id = :i"),
                           {"t": "2001-01-01 00:00:00", "i": old.hex if app.config["SQLALCHEMY_DATABASE_URI"]
                            .startswith("sqlite") else old})
        db.session.commit()
    for kind, row in (("habit", old), ("habit", new), ("goal", goal)):
        add(auth_client, kind, row, "focus", HX)
    page = auth_client.get("/tags/focus").get_data(as_text=True)
    assert page.index("New habit") < page.index("Old habit")
    assert "Habits" in page and "Goals" in page
    assert "A &lt;script&gt; goal" in page and "<script> goal" not in page
    assert f'href="/habits/{new}"' in page and f'href="/goals/{goal}"' in page


def _tag_page_statements(app, client):
    with counted_statements(app) as statements:
        assert client.get("/tags/focus").status_code == 200
    return len(statements)


def test_tag_page_query_count_is_constant(app, auth_client, user):
    add(auth_client, "habit", make_habit(app, user["id"], "H0"), "focus", HX)
    add(auth_client, "goal", make_goal(app, user["id"], "G0"), "focus", HX)
    few = _tag_page_statements(app, auth_client)
    for n in range(1, 40):
        add(auth_client, "habit", make_habit(app, user["id"], f"H{n}"), "focus", HX)
        add(auth_client, "goal", make_goal(app, user["id"], f"G{n}"), "focus", HX)
    assert _tag_page_statements(app, auth_client) == few
    # user + tag + the areas present + one per area, whatever the number of rows
    assert few <= 6


def test_tags_index_query_count_is_constant(app, auth_client, user):
    habit = make_habit(app, user["id"])
    with counted_statements(app) as statements:
        auth_client.get("/tags/")
    few = len(statements)
    for n in range(20):
        add(auth_client, "habit", habit, f"t{n}", HX)
    with counted_statements(app) as statements:
        page = auth_client.get("/tags/").get_data(as_text=True)
    assert len(statements) == few and "t19" in page


def test_a_row_takes_at_most_twenty_tags(app, auth_client, user, habit):
    for n in range(20):
        add(auth_client, "habit", habit, f"t{n}", HX)
    response = add(auth_client, "habit", habit, "one more", HX)
    assert response.status_code == 422 and "at most 20 tags" in response.get_data(as_text=True)
    assert len(tags_of(app, user["id"])) == 20


def test_editor_partial_escapes_tag_names(auth_client, habit):
    body = add(auth_client, "habit", habit, '"><img src=x onerror=alert(1)>', HX).get_data(as_text=True)
    assert "<img" not in body and "&lt;img" in body
    assert re.search(r'href="/tags/[^"<>]+"', body)


# --- on the pages of the areas -------------------------------------------------------------

@pytest.mark.parametrize("kind", ["habit", "goal"])
def test_area_pages_load_the_tag_editor(app, auth_client, user, kind):
    row = (make_habit if kind == "habit" else make_goal)(app, user["id"])
    page = auth_client.get(f"/{kind}s/{row}").get_data(as_text=True)
    loader = f'/tags/rows/{kind}/{row}?next=/{kind}s/{row}'
    assert f'hx-get="{loader}" hx-trigger="load"' in page
    assert f'<a href="{loader}">Show and edit tags</a>' in page  # without JavaScript
    editor = auth_client.get(loader, headers=HX).get_data(as_text=True)
    assert "<html" not in editor and f'name="next" value="/{kind}s/{row}"' in editor
    assert 'for="tags-' in editor and "Add a tag" in editor


def test_the_row_page_without_js_stays_on_itself(auth_client, habit):
    page = auth_client.get(f"/tags/rows/habit/{habit}?next=/habits/{habit}").get_data(as_text=True)
    assert f'name="next" value="/tags/rows/habit/{habit}"' in page
    assert f'href="/habits/{habit}"' in page


def test_read_only_chips_link_to_tag_pages(app, auth_client, user, habit):
    add(auth_client, "habit", habit, "Deep <work>", HX)
    with app.test_request_context():
        owner = db.session.get(User, user["id"])
        tags = services.tags_for(owner, "habit", [habit])[habit]
        html = render_template("tags/_chips.html", tags=tags)
        assert 'href="/tags/deep-work"' in html and "Deep &lt;work&gt;" in html
        assert render_template("tags/_chips.html", tags=[]).strip() == ""


# --- what changed, and the editor that follows it -------------------------------------------

def test_every_tag_change_names_it_in_hx_trigger(app, auth_client, user, habit, goal):
    answers = [add(auth_client, "habit", habit, "focus", HX), add(auth_client, "goal", goal, "rest", HX)]
    focus, rest = tag_id(app, user["id"], "focus"), tag_id(app, user["id"], "rest")
    answers += [
        auth_client.post(f"/tags/rows/habit/{habit}/{focus}/remove", headers=HX),
        auth_client.post(f"/tags/{focus}/rename", data={"name": "Deep focus"}, headers=HX),
        auth_client.post(f"/tags/{focus}/color", data={"color": "#ff0000"}, headers=HX),
        auth_client.post(f"/tags/{focus}/merge", data={"into": str(rest)}, headers=HX),
        auth_client.post(f"/tags/{rest}/delete", headers=HX),
    ]
    for answer in answers:
        assert answer.status_code == 200 and answer.headers.get("HX-Trigger") == "tags-changed", answer.request.path
    refused = auth_client.post(f"/tags/rows/habit/{habit}", data={"name": " "}, headers=HX)
    assert refused.status_code == 422 and "HX-Trigger" not in refused.headers


def test_the_editor_reloads_itself_when_tags_change_elsewhere(auth_client, habit):
    editor = auth_client.get(f"/tags/rows/habit/{habit}?next=/habits/{habit}", headers=HX).get_data(as_text=True)
    assert f'hx-get="/tags/rows/habit/{habit}?next=/habits/{habit}"' in editor
    assert 'hx-trigger="tags-changed from:body" data-follows' in editor
    assert 'hx-sync="this:replace"' in editor
