"""A goal's progress through the API is what its page shows, for every way a goal is measured:
the same figures, the same words, from the same code, and a page of goals costs the same few
statements however many there are."""

import html
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from manifest.extensions import db
from manifest.models import GoalMilestone
from tests.conftest import counted_statements
from tests.goals.conftest import GoalKit
from tests.goals.test_queries import seed


@pytest.fixture
def kit(app):
    return GoalKit(app)


def shown_on_page(client, goal_id) -> tuple[str, str]:
    """The percent and the amount a goal's page shows."""
    page = client.get(f"/goals/{goal_id}").get_data(as_text=True)
    percent = re.search(r'<span class="goal-percent">\s*(.*?)\s*</span>', page, re.DOTALL).group(1)
    amount = re.search(r'<p class="goal-amount">\s*(.*?)\s*</p>', page, re.DOTALL).group(1)
    return html.unescape(percent), html.unescape(amount)


def shown_by_api(progress: dict) -> tuple[str, str]:
    """The same two things as the page words them, from the API's figures."""
    percent = "–" if progress["percent"] is None else f"{progress['percent']}%"
    period = progress["period"]
    return percent, progress["text"] + (f" · {period['label'].lower()}" if period else "")


@pytest.fixture
def goals(app, kit, user):
    """One goal of each kind, with the figures a user would expect to see."""
    uid = user["id"]
    today = kit.today(uid)
    week_start = today - timedelta(days=today.weekday())
    meditate = kit.habit(uid, "Meditate")
    kit.check_ins(meditate, [week_start + timedelta(days=i) for i in range(today.weekday() + 1)])
    water = kit.habit(uid, "Water", habit_type="numeric", target_value=Decimal(8), unit="glasses")
    kit.check_ins(water, [today], value=6)
    made = {
        "meditate": kit.goal(uid, title="Meditate 5 times a week", goal_type="weekly", is_recurring=True,
                             measure="source", source=f"habit.completions:{meditate}", target_value=5),
        "water": kit.goal(uid, title="Drink 8 glasses a day", goal_type="daily", is_recurring=True,
                          measure="source", source=f"habit.values:{water}", target_value=8),
        "books": kit.goal(uid, title="Read 24 books", goal_type="yearly", measure="children", rollup="sum",
                          target_value=24, target_unit="books"),
        "fit": kit.goal(uid, title="Get fit", goal_type="life", measure="children", target_value=None),
        "novel": kit.goal(uid, title="Write a novel", goal_type="life", measure="milestones", target_value=None),
    }
    fiction = kit.goal(uid, title="Fiction", goal_type="yearly", parent_goal_id=made["books"], target_value=14,
                       target_unit="books")
    essays = kit.goal(uid, title="Essays", goal_type="yearly", parent_goal_id=made["books"], target_value=12,
                      target_unit="books")
    kit.entry(uid, fiction, 13, today)
    kit.entry(uid, essays, 10, today)
    made["essays"] = essays
    run = kit.goal(uid, title="Run 10 times", goal_type="yearly", parent_goal_id=made["fit"], target_value=10)
    kit.goal(uid, title="Swim 4 times", goal_type="yearly", parent_goal_id=made["fit"], target_value=4)
    kit.entry(uid, run, 5, today)
    steps = [kit.milestone(uid, made["novel"], title) for title in ("Outline", "Draft", "Edit", "Query", "Publish")]
    with app.app_context():
        for step in steps[:2]:
            db.session.get(GoalMilestone, step).done_at = datetime.now(UTC)
        db.session.commit()
    return {name: str(goal_id) for name, goal_id in made.items()} | {"days_this_week": today.weekday() + 1}


def test_every_kind_of_goal_reports_the_progress_its_page_shows(api, auth_client, goals):
    listed = {g["id"]: g for g in api.get("/api/v1/goals").get_json()["items"]}
    for name in ("meditate", "water", "books", "fit", "novel", "essays"):
        one = api.get(f"/api/v1/goals/{goals[name]}").get_json()
        assert one["progress"] == listed[goals[name]]["progress"], name
        assert shown_by_api(one["progress"]) == shown_on_page(auth_client, goals[name]), name

    def figures(name):
        p = listed[goals[name]]["progress"]
        return p["value"], p["target"], p["percent"], p["unit"], p["text"]

    done = goals["days_this_week"]
    assert figures("meditate") == (done, 5, done * 20, "times", f"{done} of 5 times")
    assert listed[goals["meditate"]]["progress"]["period"]["label"] == "This week"
    assert figures("water") == (6, 8, 75, "glasses", "6 of 8 glasses")
    assert listed[goals["water"]]["progress"]["period"]["label"] == "Today"
    assert figures("books") == (23, 24, 95, "books", "23 of 24 books")
    assert listed[goals["books"]]["progress"]["period"] is None
    assert figures("fit") == (None, None, 25, None, "average of 2 sub-goals")
    assert figures("novel") == (2, 5, 40, "milestones", "2 of 5 milestones")
    assert listed[goals["novel"]]["target_value"] is None
    assert figures("essays") == (10, 12, 83, "books", "10 of 12 books")


def test_recording_progress_answers_the_new_figures(api, kit, user, goals):
    day = kit.today(user["id"]).isoformat()
    answer = api.post(f"/api/v1/goals/{goals['essays']}/progress", json={"value": 1, "progress_date": day}).get_json()
    assert (answer["progress"]["value"], answer["progress"]["text"]) == (11, "11 of 12 books")
    assert api.get(f"/api/v1/goals/{goals['books']}").get_json()["progress"]["text"] == "24 of 24 books"


def _statements(app, api, path) -> int:
    with counted_statements(app) as statements:
        response = api.get(path)
    assert response.status_code == 200
    return len(statements)


def test_a_page_of_goals_costs_the_same_statements_for_5_goals_as_for_50(app, api, kit, user):
    today = kit.today(user["id"])
    seed(app, user["id"], today, 5)
    few = _statements(app, api, "/api/v1/goals?limit=100")
    seed(app, user["id"], today, 45)
    assert len(api.get("/api/v1/goals?limit=100").get_json()["items"]) == 50
    assert _statements(app, api, "/api/v1/goals?limit=100") == few
