"""One user never sees or changes another user's goals, entries or milestones: every goal route
answers 404 for another user's ids, whatever the form says, and no row changes."""

import pytest

from tests.conftest import HX
from tests.security.support import age_all_rows, changed_tables, snapshot

MARKER = "ben-private-7f3"


@pytest.fixture
def rows(kit, user, other_user):
    """Ana's and Ben's goal, entry and milestone, each named with the owner."""
    made = {}
    for who, person in (("ana", user), ("ben", other_user)):
        goal = kit.goal(person["id"], title=f"{who} goal {MARKER if who == 'ben' else ''}", target_value=10)
        kit.entry(person["id"], goal, 2, kit.today(person["id"]), note=f"{who} note")
        milestone = kit.milestone(person["id"], goal, f"{who} milestone")
        made[who] = {"goal": goal, "progress": kit.entry_ids(goal)[0], "milestone": milestone}
    return made


def valid_data(today) -> dict:
    """Form data every route would accept: only ownership can stop the request."""
    return {
        "title": "Changed", "goal_type": "monthly", "measure": "entries", "target_value": "5", "priority": "1",
        "status": "active", "rollup": "average", "parent_goal_id": "", "value": "3",
        "progress_date": today.isoformat(), "note": "changed", "done": "1", "direction": "down", "next": "/goals",
    }


ROUTES = [
    ("GET", "goals.show", "/goals/{goal}"),
    ("GET", "goals.section", "/goals/{goal}/summary"),
    ("GET", "goals.section", "/goals/{goal}/progress"),
    ("GET", "goals.section", "/goals/{goal}/milestones"),
    ("GET", "goals.edit", "/goals/{goal}/edit"),
    ("POST", "goals.edit", "/goals/{goal}/edit"),
    ("GET", "goals.delete", "/goals/{goal}/delete"),
    ("POST", "goals.delete", "/goals/{goal}/delete"),
    ("POST", "goals.set_status", "/goals/{goal}/status/completed"),
    ("POST", "goals.set_status", "/goals/{goal}/status/paused"),
    ("POST", "goals.set_status", "/goals/{goal}/status/cancelled"),
    ("POST", "goals.set_status", "/goals/{goal}/status/active"),
    ("POST", "goals.add_progress", "/goals/{goal}/progress"),
    ("POST", "goals.quick_progress", "/goals/{goal}/progress/quick"),
    ("POST", "goals.edit_progress", "/goals/{goal}/progress/{progress}"),
    ("POST", "goals.delete_progress", "/goals/{goal}/progress/{progress}/delete"),
    ("POST", "goals.add_milestone", "/goals/{goal}/milestones"),
    ("POST", "goals.milestone_done", "/goals/{goal}/milestones/{milestone}/done"),
    ("POST", "goals.edit_milestone", "/goals/{goal}/milestones/{milestone}"),
    ("POST", "goals.move_milestone", "/goals/{goal}/milestones/{milestone}/move"),
    ("POST", "goals.delete_milestone", "/goals/{goal}/milestones/{milestone}/delete"),
]


def test_the_list_covers_every_goal_route_with_an_id(app):
    with_ids = {rule.endpoint for rule in app.url_map.iter_rules()
                if rule.endpoint.startswith("goals.") and "goal_id" in rule.arguments}
    assert with_ids == {endpoint for _, endpoint, _ in ROUTES}


def _mixes(rows) -> list[dict]:
    """Ben's ids everywhere, and Ana's goal with Ben's entry and milestone (and the reverse)."""
    ana, ben = rows["ana"], rows["ben"]
    return [
        ben,
        {"goal": ana["goal"], "progress": ben["progress"], "milestone": ben["milestone"]},
        {"goal": ben["goal"], "progress": ana["progress"], "milestone": ana["milestone"]},
    ]


@pytest.mark.parametrize("headers", [{}, HX], ids=["form", "htmx"])
@pytest.mark.parametrize(("method", "endpoint", "path"), ROUTES, ids=[f"{m} {p}" for m, _, p in ROUTES])
def test_another_users_ids_answer_404_and_change_nothing(app, auth_client, kit, user, rows, method, endpoint, path,
                                                         headers):
    age_all_rows(app)
    before = snapshot(app)
    for ids in _mixes(rows):
        if "{progress}" not in path and "{milestone}" not in path and ids["goal"] == rows["ana"]["goal"]:
            continue  # Ana's own goal on a route without sub-ids is hers to use
        url = path.format(**ids)
        response = auth_client.open(url, method=method, headers=headers, data=valid_data(kit.today(user["id"])))
        assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
        assert MARKER not in response.get_data(as_text=True)
        assert changed_tables(before, snapshot(app)) == [], f"{method} {url} changed rows"


def test_the_valid_data_does_work_on_the_users_own_rows(auth_client, kit, user, rows):
    # Otherwise the test above could pass because the data was refused, not because of the owner.
    mine = rows["ana"]
    data = valid_data(kit.today(user["id"]))
    assert auth_client.post(f"/goals/{mine['goal']}/progress/{mine['progress']}", data=data).status_code == 303
    assert kit.entries(mine["goal"])[0][1] == 3
    assert auth_client.post(f"/goals/{mine['goal']}/milestones/{mine['milestone']}/done", data=data).status_code == 303
    assert kit.milestones(mine["goal"]) == [("ana milestone", True)]
    assert auth_client.post(f"/goals/{mine['goal']}/edit", data=data).status_code == 303
    assert kit.get(mine["goal"]).title == "Changed"


def test_pages_list_only_the_viewers_goals(auth_client, rows):
    for path in ("/goals", "/goals?status=all", "/", "/goals/new", f"/goals/new?parent={rows['ben']['goal']}",
                 f"/goals/{rows['ana']['goal']}"):
        html = auth_client.get(path).get_data(as_text=True)
        assert MARKER not in html and "ben note" not in html and "ben milestone" not in html, path
        assert str(rows["ben"]["goal"]) not in html, path
