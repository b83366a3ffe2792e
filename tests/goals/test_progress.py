"""Progress entries: added inline from the overview, Today and the goal page; edited and deleted;
current_value always the sum of the entries; reaching the target completes the goal, undoably."""

import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Goal, GoalProgress
from tests.conftest import HX


def bar_value(html: str, element_id: str) -> int:
    """The value of the first progress bar inside the element with this id."""
    start = html.index(f'id="{element_id}"')
    match = re.search(r'<progress class="goal-bar[^"]*" max="100" value="(\d+)"', html[start:])
    assert match, f"no progress bar in #{element_id}"
    return int(match.group(1))


def oob_ids(html: str) -> list[str]:
    return re.findall(r'<[a-z]+ id="([^"]+)"[^>]*hx-swap-oob="true"', html)


def announces_goal_progress(response) -> bool:
    """Every goals region on the page refreshes itself on this event, from its own URL."""
    return "goal-progress" in response.headers.get("HX-Trigger", "").split(", ")


@pytest.fixture
def run(kit, user):
    """A 100 km goal of ana's, measured by entries."""
    return kit.goal(user["id"], title="Run 100 km", target_value=100, target_unit="km")


def test_add_progress_on_the_goal_page_updates_the_bar_in_place(app, auth_client, user, kit, run):
    today = kit.today(user["id"])
    response = auth_client.post(f"/goals/{run}/progress", headers=HX, data={
        "value": "12.5", "progress_date": today.isoformat(), "note": "Long run"})
    # Nothing to swap: the page's goal regions refresh themselves from their own URLs.
    assert response.status_code == 204 and announces_goal_progress(response)
    page = auth_client.get(f"/goals/{run}").get_data(as_text=True)
    assert f'hx-get="/goals/{run}/summary" hx-trigger="goal-progress from:body"' in page
    assert f'hx-get="/goals/{run}/progress" hx-trigger="goal-progress from:body"' in page
    html = auth_client.get(f"/goals/{run}/summary", headers=HX).get_data(as_text=True)
    assert html.startswith('<section id="goal-summary"') and "<html" not in html
    assert bar_value(html, "goal-summary") == 12 and "12.5 of 100 km" in html
    html = auth_client.get(f"/goals/{run}/progress", headers=HX).get_data(as_text=True)
    assert html.startswith('<section id="goal-progress"') and "Long run" in html and "<html" not in html
    assert kit.entries(run) == [(today, Decimal("12.50"), "Long run")]
    assert kit.get(run).current_value == Decimal("12.5")


def test_without_javascript_adding_progress_redirects_back(auth_client, user, kit, run):
    today = kit.today(user["id"])
    response = auth_client.post(f"/goals/{run}/progress", data={"value": "5", "progress_date": today.isoformat()})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/goals/{run}#goal-progress"
    page = auth_client.get(f"/goals/{run}").get_data(as_text=True)
    assert bar_value(page, "goal-summary") == 5 and "hx-swap-oob" not in page


def test_add_progress_from_the_overview_swaps_the_card_and_its_parents(app, auth_client, user, kit):
    year = kit.goal(user["id"], title="Read 24 books", goal_type="yearly", measure="children", rollup="sum",
                    target_value=24, target_unit="books")
    month = kit.goal(user["id"], title="Read 2 books", parent_goal_id=year, target_value=2, target_unit="books")
    today = kit.today(user["id"])
    response = auth_client.post(f"/goals/{month}/progress/quick", headers=HX, data={
        "value": "1", "progress_date": today.isoformat(), "next": "/goals"})
    assert response.status_code == 204 and announces_goal_progress(response)
    assert 'id="goal-list" class="goal-list" hx-get="/goals" hx-trigger="goal-progress from:body"' in (
        auth_client.get("/goals").get_data(as_text=True))
    # The list refreshes: the card and its parent moved.
    html = auth_client.get("/goals", headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith('<div id="goal-list"')
    assert bar_value(html, f"goal-{month}") == 50
    assert bar_value(html, f"goal-{year}") == 4  # 1 of 24 books


def test_parents_hidden_by_the_filters_are_not_sent(auth_client, user, kit):
    year = kit.goal(user["id"], title="Read 24 books", goal_type="yearly", measure="children")
    month = kit.goal(user["id"], title="Read 2 books", parent_goal_id=year, target_value=2)
    # Only monthly goals are on screen: the list refreshes with its own filters.
    response = auth_client.post(f"/goals/{month}/progress/quick", headers=HX, data={
        "value": "1", "progress_date": kit.today(user["id"]).isoformat(), "next": "/goals?type=monthly"})
    assert oob_ids(response.get_data(as_text=True)) == []
    page = auth_client.get("/goals?type=monthly").get_data(as_text=True)
    assert 'hx-get="/goals?type=monthly"' in page
    html = auth_client.get("/goals?type=monthly", headers=HX).get_data(as_text=True)
    assert f'id="goal-{month}"' in html and f'id="goal-{year}"' not in html


def test_add_progress_from_today_swaps_todays_goals(auth_client, user, kit, run):
    today = kit.today(user["id"])
    response = auth_client.post(f"/goals/{run}/progress/quick", headers=HX, data={
        "value": "1", "progress_date": today.isoformat(), "next": "/#today-goals"})
    assert response.status_code == 204 and announces_goal_progress(response)
    html = auth_client.get(f"/goals/today?day={today.isoformat()}", headers=HX).get_data(as_text=True)
    assert html.startswith('<section id="today-goals"')
    assert bar_value(html, f"today-goal-{run}") == 1
    no_js = auth_client.post(f"/goals/{run}/progress/quick", data={
        "value": "1", "progress_date": today.isoformat(), "next": "/#today-goals"})
    assert no_js.status_code == 303 and no_js.headers["Location"] == "/#today-goals"
    assert kit.get(run).current_value == 2


def test_edit_and_delete_entries_keep_current_value_equal_to_their_sum(app, auth_client, user, kit, run):
    today = kit.today(user["id"])
    for value in (10, 20, 30):
        kit.entry(user["id"], run, value, today - timedelta(days=value))
    third, second, first = kit.entry_ids(run)  # by day: 30, 20, then 10
    assert kit.get(run).current_value == 60

    response = auth_client.post(f"/goals/{run}/progress/{second}", headers=HX, data={
        "value": "25.75", "progress_date": (today - timedelta(days=1)).isoformat(), "note": "Corrected"})
    assert response.status_code == 204 and announces_goal_progress(response)
    assert bar_value(auth_client.get(f"/goals/{run}/summary", headers=HX).get_data(as_text=True), "goal-summary") == 65
    assert kit.get(run).current_value == Decimal("65.75") == kit.entries_sum(run)
    assert (today - timedelta(days=1), Decimal("25.75"), "Corrected") in kit.entries(run)

    response = auth_client.post(f"/goals/{run}/progress/{first}/delete", headers=HX)
    assert response.status_code == 204 and announces_goal_progress(response)
    assert bar_value(auth_client.get(f"/goals/{run}/summary", headers=HX).get_data(as_text=True), "goal-summary") == 55
    assert kit.get(run).current_value == Decimal("55.75") == kit.entries_sum(run)

    assert auth_client.post(f"/goals/{run}/progress/{third}/delete").status_code == 303
    assert kit.get(run).current_value == Decimal("25.75") == kit.entries_sum(run)


def test_reaching_the_target_completes_the_goal_with_an_undo(app, auth_client, user, kit, run):
    today = kit.today(user["id"])
    kit.entry(user["id"], run, 90, today)
    response = auth_client.post(f"/goals/{run}/progress", headers=HX, data={
        "value": "10", "progress_date": today.isoformat()})
    html = response.get_data(as_text=True)
    goal = kit.get(run)
    assert goal.status == "completed" and goal.completed_at is not None
    assert "“Run 100 km” reached its target and is marked completed." in html
    # Only the notice, out of band; the regions refresh themselves.
    assert oob_ids(html) == ["flashes"] and announces_goal_progress(response)
    assert response.headers["HX-Reswap"] == "none"
    undo = re.search(r'<form method="post" action="(/goals/[^"]+/status/active)" hx-post="\1"', html)
    assert undo, "the notice has no inline Undo"

    response = auth_client.post(undo.group(1), headers=HX)
    assert response.status_code == 200 and announces_goal_progress(response)
    html = response.get_data(as_text=True)
    assert oob_ids(html) == ["flashes"] and "“Run 100 km” is active again." in html
    assert "Mark completed" in auth_client.get(f"/goals/{run}/summary", headers=HX).get_data(as_text=True)
    goal = kit.get(run)
    assert goal.status == "active" and goal.completed_at is None

    # Still at its target after the undo: more progress does not complete it again behind the user's back.
    kit.entry(user["id"], run, 5, today)
    assert kit.get(run).status == "active"


def test_deleting_the_entry_that_reached_the_target_reopens_the_goal(app, auth_client, user, kit, run):
    today = kit.today(user["id"])
    kit.entry(user["id"], run, 60, today)
    kit.entry(user["id"], run, 40, today)
    assert kit.get(run).status == "completed"
    forty = kit.entry_ids(run)[0]  # same day: the smaller first
    response = auth_client.post(f"/goals/{run}/progress/{forty}/delete", headers=HX)
    assert "is below its target again, so it is open again." in response.get_data(as_text=True)
    goal = kit.get(run)
    assert goal.status == "active" and goal.completed_at is None and goal.current_value == 60


def test_editing_an_entry_below_the_target_reopens_the_goal(auth_client, user, kit, run):
    today = kit.today(user["id"])
    kit.entry(user["id"], run, 100, today)
    entry = kit.entry_ids(run)[0]
    auth_client.post(f"/goals/{run}/progress/{entry}", data={"value": "99", "progress_date": today.isoformat()})
    assert kit.get(run).status == "active"


def test_a_manually_completed_goal_is_reopened_only_when_progress_drops_below_the_target(auth_client, user, kit, run):
    today = kit.today(user["id"])
    kit.entry(user["id"], run, 10, today)
    auth_client.post(f"/goals/{run}/status/completed")
    kit.entry(user["id"], run, 5, today)  # still below: the user's choice stands
    assert kit.get(run).status == "completed"


def test_paused_goals_record_progress_but_do_not_complete(auth_client, user, kit, run):
    auth_client.post(f"/goals/{run}/status/paused")
    kit.entry(user["id"], run, 100, kit.today(user["id"]))
    assert kit.get(run).status == "paused"


def test_status_changes_from_the_overview_swap_the_card(auth_client, user, kit, run):
    response = auth_client.post(f"/goals/{run}/status/completed", headers=HX, data={"next": "/goals"})
    assert "“Run 100 km” is marked completed." in response.get_data(as_text=True)
    assert announces_goal_progress(response)
    html = auth_client.get("/goals?status=all", headers=HX).get_data(as_text=True)
    card = html[html.index(f'<li id="goal-{run}"'):].split("</li>", 1)[0]
    assert card.startswith(f'<li id="goal-{run}" class="goal-card status-completed') and "Reopen" in card
    assert kit.get(run).status == "completed"


REFUSED_ENTRIES = [
    ("zero", {"value": "0"}, "Enter an amount above 0 and below a million."),
    ("negative", {"value": "-5"}, "Enter an amount above 0 and below a million."),
    ("a million", {"value": "1000000"}, "Enter an amount above 0 and below a million."),
    ("huge", {"value": "1e30"}, "Enter an amount above 0 and below a million."),
    ("NaN", {"value": "NaN"}, "Enter a number, e.g. 12.5."),
    ("text", {"value": "five"}, "Enter a number, e.g. 12.5."),
    ("empty", {"value": ""}, "Enter an amount."),
    ("NUL in the note", {"note": "a\x00b"}, "Contains a character that is not allowed."),
    ("long note", {"note": "x" * 1001}, "Field cannot be longer than 1000 characters."),
    ("bad date", {"progress_date": "2024-13-01"}, "Enter a real date, e.g. 2025-03-31."),
    ("ancient date", {"progress_date": "1800-01-01"}, "Choose a date between 1900 and 2199."),
    ("tomorrow", {"progress_date": "TOMORROW"}, "Progress cannot be recorded for a day that has not come yet."),
]


@pytest.mark.parametrize(("case", "overrides", "message"), REFUSED_ENTRIES, ids=[c[0] for c in REFUSED_ENTRIES])
@pytest.mark.parametrize("view", ["page", "list", "today"])
def test_a_refused_entry_shows_its_error_where_it_was_typed_and_saves_nothing(
    auth_client, user, kit, run, case, overrides, message, view,
):
    today = kit.today(user["id"])
    data = {"value": "5", "progress_date": today.isoformat(), "note": ""}
    data.update(overrides)
    if data["progress_date"] == "TOMORROW":
        data["progress_date"] = (today + timedelta(days=2)).isoformat()
    # The goal page has its own form; the overview's cards and Today's rows share the small one.
    path = f"/goals/{run}/progress" if view == "page" else f"/goals/{run}/progress/quick"
    if view != "page":
        data["next"] = {"list": f"/goals#goal-{run}", "today": "/#today-goals"}[view]
    response = auth_client.post(path, headers=HX, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'aria-invalid="true"' in html
    expected_start = '<section id="goal-progress"' if view == "page" else f'<div class="goal-quick" id="goal-quick-{run}"'
    assert html.lstrip().startswith(expected_start)
    assert kit.entries(run) == [] and kit.get(run).current_value == 0


def test_a_refused_entry_without_javascript(auth_client, user, kit, run):
    page = auth_client.post(f"/goals/{run}/progress", data={"value": "0", "progress_date": "2024-01-01"})
    assert page.status_code == 422 and "<html" in page.get_data(as_text=True)
    assert 'id="value-error"' in page.get_data(as_text=True)
    listed = auth_client.post(f"/goals/{run}/progress/quick",
                              data={"value": "0", "progress_date": "2024-01-01", "next": f"/goals#goal-{run}"})
    assert listed.status_code == 303 and listed.headers["Location"] == f"/goals#goal-{run}"
    assert "Enter an amount above 0" in auth_client.get("/goals").get_data(as_text=True)
    assert kit.entries(run) == []


def test_a_refused_edit_keeps_the_entry(auth_client, user, kit, run):
    today = kit.today(user["id"])
    kit.entry(user["id"], run, 10, today)
    entry = kit.entry_ids(run)[0]
    response = auth_client.post(f"/goals/{run}/progress/{entry}", headers=HX,
                                data={"value": "abc", "progress_date": today.isoformat()})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="entry-error-{entry}"' in html and 'value="abc"' in html
    assert kit.entries(run) == [(today, Decimal("10.00"), None)]


def test_the_total_cannot_outgrow_what_the_column_holds(app, auth_client, user, kit, run):
    today = kit.today(user["id"])
    with app.app_context():
        db.session.add_all(GoalProgress(goal_id=run, progress_date=today, value=Decimal("999999.99")) for _ in range(100))
        db.session.execute(sa.update(Goal).where(Goal.id == run).values(current_value=Decimal("99999999.00")))
        db.session.commit()
    response = auth_client.post(f"/goals/{run}/progress", headers=HX,
                                data={"value": "999999", "progress_date": today.isoformat()})
    assert response.status_code == 422
    assert "past 99,999,999.99" in response.get_data(as_text=True)
    assert len(kit.entries(run)) == 100 and kit.get(run).current_value == Decimal("99999999.00")


def test_goals_that_fill_themselves_take_no_entries(auth_client, user, kit):
    novel = kit.goal(user["id"], title="Write a novel", goal_type="life", measure="milestones", target_value=None)
    response = auth_client.post(f"/goals/{novel}/progress", headers=HX,
                                data={"value": "1", "progress_date": kit.today(user["id"]).isoformat()})
    assert response.status_code == 422
    assert "This goal fills itself" in response.get_data(as_text=True)
    assert kit.entries(novel) == []


def test_cancelled_goals_take_no_entries(auth_client, user, kit, run):
    auth_client.post(f"/goals/{run}/status/cancelled")
    response = auth_client.post(f"/goals/{run}/progress", headers=HX,
                                data={"value": "1", "progress_date": kit.today(user["id"]).isoformat()})
    assert response.status_code == 422 and kit.entries(run) == []


def test_an_unknown_status_is_not_a_route(auth_client, kit, run):
    assert auth_client.post(f"/goals/{run}/status/deleted").status_code == 404
    assert kit.get(run).status == "active"


def test_a_missing_entry_answers_404(auth_client, run):
    assert auth_client.post(f"/goals/{run}/progress/{uuid.uuid4()}/delete").status_code == 404
