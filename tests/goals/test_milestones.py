"""Milestones: an ordered checklist on any goal, ticked, edited, reordered and deleted inline."""

import re
from datetime import timedelta

import pytest

from manifest.models import GoalMilestone
from tests.conftest import HX


@pytest.fixture
def novel(kit, user):
    return kit.goal(user["id"], title="Write a novel", goal_type="life", measure="milestones", target_value=None)


def test_add_milestones_inline(auth_client, kit, novel):
    response = auth_client.post(f"/goals/{novel}/milestones", headers=HX,
                                data={"title": " Outline the plot ", "target_date": "2030-01-31"})
    # The milestones and the summary refresh themselves on goal-progress.
    assert response.status_code == 204 and response.headers["HX-Trigger"] == "goal-progress"
    html = auth_client.get(f"/goals/{novel}/milestones", headers=HX).get_data(as_text=True)
    assert html.startswith('<section id="goal-milestones"')
    assert "Outline the plot" in html and "by Thu 31 Jan 2030" in html
    assert re.search(rf'<section id="goal-summary"[^>]*hx-get="/goals/{novel}/summary" hx-trigger="goal-progress from:body"',
                     auth_client.get(f"/goals/{novel}").get_data(as_text=True))
    auth_client.post(f"/goals/{novel}/milestones", data={"title": "Write the draft"})
    assert kit.milestones(novel) == [("Outline the plot", False), ("Write the draft", False)]


@pytest.mark.parametrize(("data", "message"), [
    ({"title": ""}, "Name the milestone."),
    ({"title": "x" * 256}, "Field cannot be longer than 255 characters."),
    ({"title": "a\x00b"}, "Contains a character that is not allowed."),
    ({"title": "Ok", "target_date": "2024-02-30"}, "Enter a real date, e.g. 2025-03-31."),
])
def test_a_refused_milestone_shows_why_and_saves_nothing(auth_client, kit, novel, data, message):
    response = auth_client.post(f"/goals/{novel}/milestones", headers=HX, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.startswith('<section id="goal-milestones"') and message in html
    assert kit.count(GoalMilestone) == 0
    page = auth_client.post(f"/goals/{novel}/milestones", data=data)
    assert page.status_code == 422 and "<html" in page.get_data(as_text=True) and message in page.get_data(as_text=True)


def test_tick_a_milestone_with_its_wanted_state(auth_client, kit, user, novel):
    outline = kit.milestone(user["id"], novel, "Outline")
    kit.milestone(user["id"], novel, "Draft")
    # Checkbox ticked: the hidden "0" comes first, the box's "1" last.
    response = auth_client.post(f"/goals/{novel}/milestones/{outline}/done", headers=HX, data={"done": ["0", "1"]})
    assert response.status_code == 204 and response.headers["HX-Trigger"] == "goal-progress"
    html = auth_client.get(f"/goals/{novel}/milestones", headers=HX).get_data(as_text=True)
    assert re.search(rf'id="milestone-done-{outline}" name="done" value="1" checked', html)
    assert 'value="50"' in auth_client.get(f"/goals/{novel}/summary", headers=HX).get_data(as_text=True)
    assert kit.milestones(novel) == [("Outline", True), ("Draft", False)]
    # Sending the same state again changes nothing; unticking sends only the hidden "0".
    auth_client.post(f"/goals/{novel}/milestones/{outline}/done", data={"done": ["0", "1"]})
    assert kit.milestones(novel) == [("Outline", True), ("Draft", False)]
    auth_client.post(f"/goals/{novel}/milestones/{outline}/done", data={"done": "0"})
    assert kit.milestones(novel) == [("Outline", False), ("Draft", False)]
    assert auth_client.post(f"/goals/{novel}/milestones/{outline}/done", data={"done": "maybe"}).status_code == 400


def test_reorder_edit_and_delete(auth_client, kit, user, novel):
    ids = [kit.milestone(user["id"], novel, title) for title in ("A", "B", "C")]
    auth_client.post(f"/goals/{novel}/milestones/{ids[2]}/move", data={"direction": "up"})
    assert [t for t, _ in kit.milestones(novel)] == ["A", "C", "B"]
    auth_client.post(f"/goals/{novel}/milestones/{ids[0]}/move", headers=HX, data={"direction": "down"})
    assert [t for t, _ in kit.milestones(novel)] == ["C", "A", "B"]
    auth_client.post(f"/goals/{novel}/milestones/{ids[1]}/move", data={"direction": "down"})  # already last
    assert [t for t, _ in kit.milestones(novel)] == ["C", "A", "B"]
    assert auth_client.post(f"/goals/{novel}/milestones/{ids[1]}/move", data={"direction": "sideways"}).status_code == 400

    response = auth_client.post(f"/goals/{novel}/milestones/{ids[0]}", headers=HX, data={"title": "A, renamed"})
    assert response.status_code == 204
    assert "A, renamed" in auth_client.get(f"/goals/{novel}/milestones", headers=HX).get_data(as_text=True)
    refused = auth_client.post(f"/goals/{novel}/milestones/{ids[0]}", headers=HX, data={"title": ""})
    assert refused.status_code == 422 and f'id="milestone-error-{ids[0]}"' in refused.get_data(as_text=True)

    auth_client.post(f"/goals/{novel}/milestones/{ids[1]}/delete", headers=HX)
    assert [t for t, _ in kit.milestones(novel)] == ["C", "A, renamed"]


def test_overdue_milestones_stand_out(auth_client, kit, user, novel):
    today = kit.today(user["id"])
    late = kit.milestone(user["id"], novel, "Late", today - timedelta(days=1))
    html = auth_client.get(f"/goals/{novel}").get_data(as_text=True)
    assert re.search(rf'id="milestone-{late}" class="milestone is-overdue"', html)
    assert "was due" in html


def test_any_goal_can_keep_a_checklist_without_it_counting(kit, user):
    run = kit.goal(user["id"], title="Run 100 km", target_value=100)
    first = kit.milestone(user["id"], run, "Buy shoes")
    assert first is not None
    view = kit.tree(user["id"]).get(run)
    assert (view.milestones_total, view.progress.percent) == (1, 0)
