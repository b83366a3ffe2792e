"""The goals overview: grouped, sorted, deadlines standing out, filtered and searched inline."""

import re
from datetime import timedelta

from tests.conftest import HX


def titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/goals/[^"]+">([^<]+)</a></h3>', html)


def groups(html: str) -> list[str]:
    return re.findall(r'<h2 id="group-([a-z]+)">', html)


def test_an_empty_overview_invites_a_first_goal(auth_client):
    html = auth_client.get("/goals").get_data(as_text=True)
    assert "Set your first goal" in html and 'id="goal-filters"' not in html


def test_goals_are_grouped_by_kind_and_sorted_by_priority_then_due_date(auth_client, user, kit):
    today = kit.today(user["id"])
    kit.goal(user["id"], title="Novel", goal_type="life", measure="milestones", target_value=None)
    kit.goal(user["id"], title="Low, soon", priority=1, end_date=today + timedelta(days=2))
    kit.goal(user["id"], title="High, late", priority=5, end_date=today + timedelta(days=20))
    kit.goal(user["id"], title="High, soon", priority=5, end_date=today + timedelta(days=10))
    kit.goal(user["id"], title="Water", goal_type="daily", is_recurring=True, target_value=8)
    html = auth_client.get("/goals").get_data(as_text=True)
    assert groups(html) == ["daily", "monthly", "life"]
    assert titles(html) == ["Water", "High, soon", "High, late", "Low, soon", "Novel"]
    assert "hx-swap-oob" not in html

    by_status = auth_client.get("/goals?group=status&status=all").get_data(as_text=True)
    assert groups(by_status) == ["active"]


def test_due_soon_and_overdue_goals_stand_out(auth_client, user, kit):
    today = kit.today(user["id"])
    late = kit.goal(user["id"], title="Taxes", start_date=today - timedelta(days=30), end_date=today - timedelta(days=2))
    soon = kit.goal(user["id"], title="Report", end_date=today + timedelta(days=7))
    today_ = kit.goal(user["id"], title="Call mum", end_date=today)
    later = kit.goal(user["id"], title="Garden", end_date=today + timedelta(days=8))
    done = kit.goal(user["id"], title="Done already", target_value=1, end_date=today - timedelta(days=1),
                    start_date=today - timedelta(days=5))
    kit.entry(user["id"], done, 1, today - timedelta(days=2))
    html = auth_client.get("/goals?status=all").get_data(as_text=True)
    assert re.search(rf'<li id="goal-{late}" class="goal-card status-active is-overdue"', html)
    assert "Overdue by 2 days" in html
    assert re.search(rf'<li id="goal-{soon}" class="goal-card status-active is-due-soon"', html) and "Due in 7 days" in html
    assert re.search(rf'<li id="goal-{today_}" class="goal-card status-active is-due-soon"', html) and "Due today" in html
    assert re.search(rf'<li id="goal-{later}" class="goal-card status-active"', html)
    assert re.search(rf'<li id="goal-{done}" class="goal-card status-completed is-reached"', html)


def test_filters_narrow_the_list_and_keep_the_url_bookmarkable(auth_client, user, kit):
    kit.goal(user["id"], title="Run 100 km", category="Health", description="Along the river")
    kit.goal(user["id"], title="Swim", category="Health", goal_type="weekly")
    kit.goal(user["id"], title="Read", category="Mind", goal_type="yearly")
    cancelled = kit.goal(user["id"], title="Learn the banjo", category="Mind")
    auth_client.post(f"/goals/{cancelled}/status/cancelled")

    html = auth_client.get("/goals").get_data(as_text=True)
    assert sorted(titles(html)) == ["Read", "Run 100 km", "Swim"]  # current goals by default
    assert re.search(r'<form id="goal-filters"[^>]*hx-get="/goals"[^>]*hx-target="#goal-list"[^>]*hx-push-url="true"', html)

    cases = {
        "category=health": ["Run 100 km", "Swim"],
        "type=weekly": ["Swim"],
        "q=RIVER": ["Run 100 km"],
        "q=mind": ["Read"],
        "q=run+river": ["Run 100 km"],
        "status=cancelled": ["Learn the banjo"],
        "status=all&category=Mind": ["Read", "Learn the banjo"],
        "q=nothing-like-this": [],
    }
    for query, expected in cases.items():
        full = auth_client.get(f"/goals?{query}").get_data(as_text=True)
        fragment = auth_client.get(f"/goals?{query}", headers=HX).get_data(as_text=True)
        assert sorted(titles(full)) == sorted(expected), query
        assert sorted(titles(fragment)) == sorted(expected), query
        assert fragment.startswith('<div id="goal-list"') and "<html" not in fragment
    assert "No goals match “nothing-like-this”." in auth_client.get("/goals?q=nothing-like-this").get_data(as_text=True)


def test_the_filter_form_shows_the_chosen_filters(auth_client, user, kit):
    kit.goal(user["id"], title="Read", category="Mind")
    html = auth_client.get("/goals?q=read&status=all&type=monthly&category=Mind&group=status").get_data(as_text=True)
    assert 'name="q" value="read"' in html
    assert '<option value="all" selected>' in html and '<option value="monthly" selected>' in html
    assert '<option value="Mind" selected>' in html and 'value="status" checked' in html


def test_unknown_filter_values_fall_back_to_the_defaults(auth_client, user, kit):
    kit.goal(user["id"], title="Read")
    response = auth_client.get("/goals?status=bogus&type=hourly&group=colour&q=read")
    assert response.status_code == 200 and titles(response.get_data(as_text=True)) == ["Read"]


def test_cards_offer_one_click_progress_only_where_it_fits(auth_client, user, kit):
    books = kit.goal(user["id"], title="Read 12 books", target_value=12, target_unit="books")
    steps = kit.goal(user["id"], title="Walk 300000 steps", target_value=300000, target_unit="steps")
    novel = kit.goal(user["id"], title="Novel", goal_type="life", measure="milestones", target_value=None)
    html = auth_client.get("/goals").get_data(as_text=True)
    card = lambda goal_id: html[html.index(f'id="goal-{goal_id}"'):].split("</li>", 1)[0]
    assert 'aria-label="Add 1 books to Read 12 books"' in card(books)
    assert f'name="next" value="/goals#goal-{books}"' in card(books)
    assert "Add 1" not in card(steps) and "+ progress" in card(steps)
    assert "From its milestones" in card(novel) and "progress</summary>" not in card(novel)


def card_of(html: str, goal_id) -> str:
    """A goal's card, nested cards included (from its <li> to the one closing it)."""
    start = html.index(f'<li id="goal-{goal_id}"')
    depth, at = 0, start
    for match in re.finditer(r"<li\b|</li>", html[start:]):
        depth += 1 if match.group() == "<li" else -1
        if depth == 0:
            at = start + match.end()
            break
    return html[start:at]


def test_sub_goals_sit_under_their_parents_in_a_fold_that_works_without_javascript(auth_client, user, kit):
    parent = kit.goal(user["id"], title="Read 24 books", goal_type="yearly", measure="children")
    may = kit.goal(user["id"], title="Read 2 in May", parent_goal_id=parent)
    june = kit.goal(user["id"], title="Read 2 in June", parent_goal_id=parent, priority=5)
    chapter = kit.goal(user["id"], title="A chapter a day", goal_type="weekly", parent_goal_id=june)
    other = kit.goal(user["id"], title="Run", goal_type="monthly")
    html = auth_client.get("/goals").get_data(as_text=True)
    # The monthly group holds only goals without a shown parent; the yearly one counts its sub-goals.
    assert groups(html) == ["monthly", "yearly"]
    assert re.search(r"<h2 id=\"group-yearly\">Yearly <span class=\"count\">4</span></h2>", html)
    card = card_of(html, parent)
    assert '<details id="subgoals-' + str(parent) + '" class="goal-subgoals" open data-keep-folded>' in card
    assert "<summary>2 sub-goals<span class=\"visually-hidden\"> of Read 24 books</span></summary>" in card
    assert titles(card) == ["Read 24 books", "Read 2 in June", "A chapter a day", "Read 2 in May"]
    assert f'id="goal-{may}"' in card and f'id="goal-{chapter}"' in card_of(html, june)
    assert f'id="goal-{other}"' not in card
    assert "Part of" not in card  # each sits under its own parent
    assert html.count(f'id="goal-{may}"') == 1


def test_a_sub_goal_whose_parent_is_filtered_out_names_it(auth_client, user, kit):
    parent = kit.goal(user["id"], title="Read 24 books", goal_type="yearly", measure="children", category="Mind")
    kit.goal(user["id"], title="Read 2 in May", parent_goal_id=parent, category="Books")
    html = auth_client.get("/goals?category=Books").get_data(as_text=True)
    assert f'Part of <a href="/goals/{parent}">Read 24 books</a>' in html
    assert titles(html) == ["Read 2 in May"]


def test_the_header_search_and_the_goal_filters_are_told_apart(auth_client, user, kit):
    kit.goal(user["id"], title="Run")
    html = auth_client.get("/goals").get_data(as_text=True)
    labels = re.findall(r'<form[^>]* role="search" aria-label="([^"]+)"', html)
    assert sorted(labels) == ["Filter goals", "Search everything"]
    assert html.count('role="search"') == 2
