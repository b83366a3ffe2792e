"""Recurring goals start fresh each period and keep their history; linked goals fill themselves from
habits; parents roll up their sub-goals; all in the user's own calendar."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.goals import progress, services, sources
from manifest.goals.logic import Period
from manifest.models import Goal, User
from tests.conftest import HX

WEDNESDAY = date(2024, 5, 15)
LAST_MONDAY, MONDAY = date(2024, 5, 6), date(2024, 5, 13)


def page(kit, user_id, goal_id, today):
    with kit.user(user_id) as user:
        return progress.goal_page(user, db.session.get(Goal, goal_id), today)


# --- recurring goals -----------------------------------------------------------------------


def test_a_weekly_goal_starts_fresh_on_monday(kit, user):
    goal = kit.goal(user["id"], title="Run 3 times", goal_type="weekly", is_recurring=True, target_value=3,
                    start_date=date(2024, 4, 29), today=WEDNESDAY)
    for day in (LAST_MONDAY, LAST_MONDAY + timedelta(days=2), date(2024, 5, 12)):  # ...Sunday ends the week
        kit.entry(user["id"], goal, 1, day, today=WEDNESDAY)
    kit.entry(user["id"], goal, 1, MONDAY, today=WEDNESDAY)

    view = kit.tree(user["id"], WEDNESDAY).get(goal)
    assert (view.progress.value, view.progress.percent) == (Decimal(1), 33)
    assert view.window == Period(MONDAY, date(2024, 5, 19))
    assert view.period_name == "This week" and view.days_to_deadline == 4
    # current_value remains the sum of every entry, whatever the period.
    assert kit.get(goal).current_value == 4 and kit.get(goal).status == "active"

    # On the previous Sunday the same goal showed last week.
    sunday = kit.tree(user["id"], WEDNESDAY, on=date(2024, 5, 12)).get(goal)
    assert sunday.progress.value == 3 and sunday.progress.reached


def test_past_periods_show_achieved_or_missed_and_the_streak(kit, user):
    goal = kit.goal(user["id"], title="Run 3 times", goal_type="weekly", is_recurring=True, target_value=3,
                    start_date=date(2024, 4, 15), today=WEDNESDAY)
    weeks = {date(2024, 4, 15): 3, date(2024, 4, 22): 1, date(2024, 4, 29): 4, LAST_MONDAY: 3, MONDAY: 1}
    for monday, count in weeks.items():
        for i in range(count):
            kit.entry(user["id"], goal, 1, monday + timedelta(days=i), today=WEDNESDAY)

    data = page(kit, user["id"], goal, WEDNESDAY)
    assert [(r.period.start, r.achieved, r.current) for r in data.periods] == [
        (date(2024, 4, 15), True, False), (date(2024, 4, 22), False, False), (date(2024, 4, 29), True, False),
        (LAST_MONDAY, True, False), (MONDAY, False, True),
    ]
    assert (data.streaks.current, data.streaks.longest, data.streaks.achieved, data.streaks.missed) == (2, 2, 3, 1)
    assert [page_label for page_label in map(data.period_label, data.recent_periods[:2])] == ["This week", "Last week"]


def test_the_goal_page_shows_the_period_history(auth_client, user, kit):
    today = kit.today(user["id"])
    goal = kit.goal(user["id"], title="Drink water", goal_type="daily", is_recurring=True, target_value=8,
                    target_unit="glasses", start_date=today - timedelta(days=3))
    kit.entry(user["id"], goal, 8, today - timedelta(days=2))
    kit.entry(user["id"], goal, 8, today - timedelta(days=1))
    kit.entry(user["id"], goal, 3, today)
    html = auth_client.get(f"/goals/{goal}").get_data(as_text=True)
    assert "2</span><span class=\"stat-label\">days in a row" in html
    assert html.count("✓ Achieved") == 2 and html.count("✗ Missed") == 1 and "In progress" in html
    assert '<rect x="' in html and 'class="chart-bar achieved"' in html
    assert "3 of 8 glasses" in html


@pytest.mark.parametrize(("kind", "before", "after"), [
    ("monthly", date(2024, 1, 31), date(2024, 2, 1)),
    ("monthly", date(2024, 2, 29), date(2024, 3, 1)),  # a leap day ends February
    ("yearly", date(2023, 12, 31), date(2024, 1, 1)),
    ("daily", date(2024, 2, 28), date(2024, 2, 29)),
])
def test_recurring_goals_roll_over_at_the_calendars_boundaries(kit, user, kind, before, after):
    goal = kit.goal(user["id"], title="Goal", goal_type=kind, is_recurring=True, target_value=2,
                    start_date=before, today=after)
    kit.entry(user["id"], goal, 2, before, today=after)
    kit.entry(user["id"], goal, 1, after, today=after)
    assert kit.tree(user["id"], after).get(goal).progress.value == 1
    assert kit.tree(user["id"], after, on=before).get(goal).progress.value == 2
    periods = page(kit, user["id"], goal, after).periods
    assert [(r.achieved, r.current) for r in periods[-2:]] == [(True, False), (False, True)]


def test_a_recurring_goal_that_ended_says_so(kit, user):
    goal = kit.goal(user["id"], title="Goal", goal_type="weekly", is_recurring=True, target_value=1,
                    start_date=date(2024, 4, 1), end_date=date(2024, 4, 30), today=WEDNESDAY)
    view = kit.tree(user["id"], WEDNESDAY).get(goal)
    assert view.ended and view.pace is None and view.deadline is None
    data = page(kit, user["id"], goal, WEDNESDAY)
    assert data.periods[-1].period.start == date(2024, 4, 29) and not any(r.current for r in data.periods)


def test_progress_uses_the_users_own_date(app, make_user, kit):
    east = make_user("kim", timezone="Pacific/Kiritimati")  # UTC+14
    west = make_user("lou", timezone="Pacific/Pago_Pago")  # UTC-11: always a day or two behind
    east_client, west_client = app.test_client(), app.test_client()
    east_client.login("kim")
    west_client.login("lou")
    east_today = kit.today(east["id"])
    east_goal = kit.goal(east["id"], title="Water", goal_type="daily", is_recurring=True, target_value=1)
    west_goal = kit.goal(west["id"], title="Water", goal_type="daily", is_recurring=True, target_value=1)

    accepted = east_client.post(f"/goals/{east_goal}/progress/quick", headers=HX, data={
        "value": "1", "progress_date": east_today.isoformat(), "next": "/#today-goals"})
    assert accepted.status_code == 204
    assert 'value="100"' in east_client.get(f"/goals/today?day={east_today.isoformat()}", headers=HX).get_data(as_text=True)
    # The same date is still in the future for someone 25 hours behind.
    refused = west_client.post(f"/goals/{west_goal}/progress", headers=HX, data={
        "value": "1", "progress_date": east_today.isoformat()})
    assert refused.status_code == 422
    assert kit.entries(west_goal) == []


# --- goals linked to a habit ---------------------------------------------------------------


def test_a_weekly_goal_linked_to_a_habit_counts_this_weeks_check_ins(app, kit, user):
    habit = kit.habit(user["id"], "Meditate")
    kit.check_ins(habit, [LAST_MONDAY, date(2024, 5, 12), MONDAY, WEDNESDAY])
    kit.check_ins(kit.habit(user["id"], "Other"), [MONDAY])  # another habit does not count
    goal = kit.goal(user["id"], title="Meditate 5 times", goal_type="weekly", is_recurring=True, measure="source",
                    source=f"habit.completions:{habit}", target_value=5, start_date=LAST_MONDAY, today=WEDNESDAY)
    with app.app_context():
        db.session.execute(sa.update(db.metadata.tables["habit_entries"]).where(
            db.metadata.tables["habit_entries"].c.entry_date == WEDNESDAY).values(completed=False))
        db.session.commit()
    view = kit.tree(user["id"], WEDNESDAY).get(goal)
    assert (view.progress.value, view.unit) == (Decimal(1), "times")  # Monday only: Wednesday was not done

    kit.check_ins(habit, [date(2024, 5, 14)])
    assert kit.tree(user["id"], WEDNESDAY).get(goal).progress.value == 2  # derived when read: nothing to sync
    data = page(kit, user["id"], goal, WEDNESDAY)
    assert [(r.period.start, r.value) for r in data.periods] == [(LAST_MONDAY, 2), (MONDAY, 2)]
    assert data.source_name == "Meditate"


def test_a_goal_linked_to_a_number_habit_sums_its_values_within_the_goals_dates(kit, user):
    water = kit.habit(user["id"], "Water", habit_type="numeric", target_value=Decimal(8), unit="glasses")
    kit.check_ins(water, [date(2024, 4, 30)], value=9)  # before the goal's dates
    kit.check_ins(water, [date(2024, 5, 1), date(2024, 5, 2)], value="7.5")
    goal = kit.goal(user["id"], title="200 glasses in May", goal_type="monthly", measure="source",
                    source=f"habit.values:{water}", target_value=200, start_date=date(2024, 5, 1), today=WEDNESDAY)
    view = kit.tree(user["id"], WEDNESDAY).get(goal)
    assert (view.progress.value, view.unit, view.progress.percent) == (Decimal(15), "glasses", 7)
    assert view.window == Period(date(2024, 5, 1), date(2024, 5, 31))


def test_linked_goals_never_read_another_users_habit(app, kit, user, other_user):
    theirs = kit.habit(other_user["id"], "Ben's habit")
    kit.check_ins(theirs, [MONDAY])
    goal = kit.goal(user["id"], title="Goal", goal_type="weekly", is_recurring=True, target_value=1, today=WEDNESDAY)
    with app.app_context():  # forged past the form, straight into the row
        db.session.execute(sa.update(Goal).where(Goal.id == goal).values(
            measure="source", source_key="habit.completions", source_id=theirs))
        db.session.commit()
    view = kit.tree(user["id"], WEDNESDAY).get(goal)
    assert view.progress.value is None and view.progress.fraction is None


def test_a_linked_goal_whose_habit_was_deleted_says_so(app, auth_client, kit, user):
    habit = kit.habit(user["id"], "Meditate")
    goal = kit.goal(user["id"], title="Meditate often", goal_type="weekly", is_recurring=True, measure="source",
                    source=f"habit.completions:{habit}", target_value=3)
    auth_client.post(f"/habits/{habit}/delete")
    html = auth_client.get(f"/goals/{goal}").get_data(as_text=True)
    assert "filled from something that no longer exists" in html
    assert "source unavailable" in auth_client.get("/goals").get_data(as_text=True)


def test_sources_answer_many_goals_with_one_call_per_compute_function(app, kit, user):
    calls = []

    def compute(user_, requests):
        calls.append(len(requests))
        return {r: Decimal(4) for r in requests}

    sources.register_source("test.constant", "Always four", "points", compute, lambda user_: [])
    try:
        for i in range(5):
            kit.goal(user["id"], title=f"Goal {i}", today=WEDNESDAY)
        with app.app_context():
            db.session.execute(sa.update(Goal).values(measure="source", source_key="test.constant",
                                                      source_id=Goal.id, target_value=8))
            db.session.commit()
        tree = kit.tree(user["id"], WEDNESDAY)
        assert calls == [5]
        assert {v.progress.percent for v in tree.views.values()} == {50}
    finally:
        sources.SOURCES.pop("test.constant")


def test_source_keys_are_checked():
    with pytest.raises(ValueError):
        sources.register_source("bad:key", "Bad", "x", lambda u, r: {})


# --- sub-goals rolling up ------------------------------------------------------------------


def test_a_yearly_goal_sums_its_monthly_sub_goals_and_completes_with_them(app, auth_client, kit, user):
    today = kit.today(user["id"])
    year = kit.goal(user["id"], title="Read 4 books", goal_type="yearly", measure="children", rollup="sum",
                    target_value=4, target_unit="books")
    months = [kit.goal(user["id"], title=f"Month {i}", parent_goal_id=year, target_value=2, target_unit="books")
              for i in range(2)]
    kit.entry(user["id"], months[0], 2, today)
    assert kit.get(months[0]).status == "completed" and kit.get(year).status == "active"
    assert kit.tree(user["id"]).get(year).progress.value == 2

    response = auth_client.post(f"/goals/{months[1]}/progress", headers=HX, data={
        "value": "2", "progress_date": today.isoformat()})
    html = response.get_data(as_text=True)
    assert "“Month 1” reached its target" in html and "“Read 4 books” reached its target" in html
    assert kit.get(year).status == "completed"
    # Both completions can be undone in place: whatever region shows either goal refreshes itself.
    for goal in (months[1], year):
        assert f'action="/goals/{goal}/status/active" hx-post="/goals/{goal}/status/active" hx-swap="none"' in html

    entry = kit.entry_ids(months[1])[0]
    auth_client.post(f"/goals/{months[1]}/progress/{entry}/delete")
    assert kit.get(year).status == "active" and kit.get(months[1]).status == "active"


def test_a_parent_averages_its_sub_goals_any_depth_down(kit, user):
    today = kit.today(user["id"])
    top = kit.goal(user["id"], title="Get fit", goal_type="life", measure="children", target_value=None)
    middle = kit.goal(user["id"], title="Cardio", goal_type="yearly", measure="children", parent_goal_id=top,
                      target_value=None)
    run = kit.goal(user["id"], title="Run", parent_goal_id=middle, target_value=10)
    swim = kit.goal(user["id"], title="Swim", parent_goal_id=middle, target_value=10)
    lift = kit.goal(user["id"], title="Lift", parent_goal_id=top, target_value=4)
    kit.entry(user["id"], run, 10, today)
    kit.entry(user["id"], swim, 5, today)
    kit.entry(user["id"], lift, 1, today)
    tree = kit.tree(user["id"])
    assert tree.get(middle).progress.percent == 75
    assert tree.get(top).progress.percent == 50  # (75 % + 25 %) / 2
    assert [a.goal.title for a in tree.ancestors(tree.get(run))] == ["Cardio", "Get fit"]


def test_milestones_complete_a_goal_measured_by_them(auth_client, kit, user):
    novel = kit.goal(user["id"], title="Write a novel", goal_type="life", measure="milestones", target_value=None)
    first = kit.milestone(user["id"], novel, "Outline")
    second = kit.milestone(user["id"], novel, "Draft")
    auth_client.post(f"/goals/{novel}/milestones/{first}/done", data={"done": ["0", "1"]})
    assert kit.tree(user["id"]).get(novel).progress.percent == 50 and kit.get(novel).status == "active"
    response = auth_client.post(f"/goals/{novel}/milestones/{second}/done", headers=HX, data={"done": ["0", "1"]})
    assert "“Write a novel” reached its target" in response.get_data(as_text=True)
    assert kit.get(novel).status == "completed"
    auth_client.post(f"/goals/{novel}/milestones", data={"title": "Publish"})
    assert kit.get(novel).status == "active"  # a new step un-reaches it


def test_the_user_filter_scopes_the_tree(kit, user, other_user):
    kit.goal(user["id"], title="Mine")
    kit.goal(other_user["id"], title="Theirs")
    with kit.user(user["id"]) as ana:
        assert [v.goal.title for v in services.load_tree(ana, WEDNESDAY).views.values()] == ["Mine"]
        assert isinstance(ana, User)
