"""Creating, editing and deleting goals; every rule a form can break answers with a field error and saves nothing."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from manifest.goals import logic
from manifest.models import Goal, GoalMilestone, GoalProgress
from tests.goals.conftest import goal_form


def field_error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.DOTALL)
    assert match, f"no error shown for {field}"
    return match.group(1)


def test_the_form_page_offers_every_kind_and_measure(auth_client):
    page = auth_client.get("/goals/new").get_data(as_text=True)
    for kind in ("daily", "weekly", "monthly", "yearly", "life"):
        assert f'value="{kind}"' in page
    for measure in ("entries", "milestones", "children", "source"):
        assert f'value="{measure}"' in page
    assert 'name="is_recurring"' in page and 'name="parent_goal_id"' in page


def test_create_a_yearly_goal_without_dates_covers_this_year(app, auth_client, user, kit):
    response = auth_client.post("/goals/new", data=goal_form(category=" Mind ", priority="4", description=" Fiction too "))
    assert response.status_code == 303
    goal_id = response.headers["Location"].rsplit("/", 1)[1]
    goal = kit.get(goal_id)
    today = kit.today(user["id"])
    assert (goal.title, goal.goal_type, goal.measure, goal.target_value, goal.target_unit) == (
        "Read 12 books", "yearly", "entries", Decimal(12), "books")
    assert (goal.category, goal.priority, goal.description, goal.status) == ("Mind", 4, "Fiction too", "active")
    assert (goal.start_date, goal.end_date) == (date(today.year, 1, 1), date(today.year, 12, 31))
    assert goal.user_id == user["id"] and goal.current_value == 0 and not goal.is_recurring
    page = auth_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "“Read 12 books” added." in page and "<h1>Read 12 books</h1>" in page


def test_a_start_without_an_end_lasts_one_period(auth_client, kit):
    response = auth_client.post("/goals/new", data=goal_form(goal_type="monthly", start_date="2024-01-31"))
    goal = kit.get(response.headers["Location"].rsplit("/", 1)[1])
    assert (goal.start_date, goal.end_date) == (date(2024, 1, 31), date(2024, 2, 28))


def test_a_recurring_goal_keeps_open_dates_and_records_its_pattern(auth_client, kit):
    response = auth_client.post("/goals/new", data=goal_form(goal_type="weekly", is_recurring="y", target_value="3"))
    goal = kit.get(response.headers["Location"].rsplit("/", 1)[1])
    assert goal.is_recurring and goal.recurrence_pattern == "weekly"
    assert (goal.start_date, goal.end_date) == (None, None)


def test_a_life_goal_measured_by_milestones_needs_no_target(auth_client, kit):
    response = auth_client.post("/goals/new", data=goal_form(
        title="Write a novel", goal_type="life", measure="milestones", target_value="", target_unit=""))
    assert response.status_code == 303
    goal = kit.get(response.headers["Location"].rsplit("/", 1)[1])
    assert (goal.goal_type, goal.measure, goal.target_value, goal.start_date, goal.end_date) == (
        "life", "milestones", None, None, None)


def test_a_sub_goal_form_starts_from_its_parent(app, auth_client, user, kit):
    parent = kit.goal(user["id"], title="Read 24 books", goal_type="yearly", category="Mind")
    page = auth_client.get(f"/goals/new?parent={parent}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{parent}">Read 24 books</option>', page)
    assert 'value="Mind"' in page
    assert re.search(r'checked[^>]*value="monthly"|value="monthly"[^>]*checked', page)


def test_edit_changes_the_goal_and_keeps_its_progress(app, auth_client, user, kit):
    goal_id = kit.goal(user["id"], title="Run", target_value=100, target_unit="km")
    kit.entry(user["id"], goal_id, 10, kit.today(user["id"]))
    form = auth_client.get(f"/goals/{goal_id}/edit").get_data(as_text=True)
    assert 'value="Run"' in form and 'value="100"' in form

    response = auth_client.post(f"/goals/{goal_id}/edit", data=goal_form(
        title="Run far", goal_type="monthly", target_value="150", target_unit="km", priority="5"))
    assert response.status_code == 303
    goal = kit.get(goal_id)
    assert (goal.title, goal.target_value, goal.priority, goal.current_value) == ("Run far", 150, 5, 10)


def test_lowering_the_target_below_the_progress_completes_the_goal(app, auth_client, user, kit):
    goal_id = kit.goal(user["id"], title="Run", target_value=100)
    kit.entry(user["id"], goal_id, 60, kit.today(user["id"]))
    response = auth_client.post(f"/goals/{goal_id}/edit", data=goal_form(title="Run", target_value="50"),
                                follow_redirects=True)
    assert "“Run” reached its target and is marked completed." in response.get_data(as_text=True)
    assert kit.get(goal_id).status == "completed"


def test_a_status_chosen_in_the_form_stands(app, auth_client, user, kit):
    goal_id = kit.goal(user["id"], title="Run", target_value=100)
    kit.entry(user["id"], goal_id, 60, kit.today(user["id"]))
    auth_client.post(f"/goals/{goal_id}/edit", data=goal_form(title="Run", target_value="50", status="paused"))
    goal = kit.get(goal_id)
    assert goal.status == "paused" and goal.completed_at is None


def test_delete_asks_first_then_removes_entries_and_milestones_and_frees_sub_goals(app, auth_client, user, kit):
    parent = kit.goal(user["id"], title="Get fit", goal_type="yearly", measure="children")
    child = kit.goal(user["id"], title="Run", parent_goal_id=parent)
    kit.milestone(user["id"], parent, "Sign up for a race")

    confirm = auth_client.get(f"/goals/{parent}/delete").get_data(as_text=True)
    assert "Delete “Get fit”?" in confirm and "1 milestone" in confirm and "Its 1 sub-goal stays" in confirm
    assert kit.get(parent) is not None

    response = auth_client.post(f"/goals/{parent}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/goals"
    assert kit.get(parent) is None
    assert kit.count(GoalMilestone) == 0
    assert kit.get(child).parent_goal_id is None
    assert "“Get fit” and its progress were deleted." in auth_client.get("/goals").get_data(as_text=True)


def test_delete_over_htmx_redirects_the_whole_page(auth_client, user, kit):
    goal_id = kit.goal(user["id"], title="Run")
    response = auth_client.post(f"/goals/{goal_id}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/goals"
    assert kit.get(goal_id) is None


# --- refused forms: a message on the field, nothing saved ------------------------------------------------------

REFUSED = [
    ("priority 6", {"priority": "6"}, "priority", "Choose a priority from 0 (none) to 5 (top)."),
    ("priority -1", {"priority": "-1"}, "priority", "Choose a priority from 0 (none) to 5 (top)."),
    ("priority text", {"priority": "high"}, "priority", "Choose a priority from 0 (none) to 5 (top)."),
    ("end before start", {"start_date": "2024-05-10", "end_date": "2024-05-09"}, "end_date",
     "The due date must be on or after the start date."),
    ("no title", {"title": "   "}, "title", "Give the goal a title."),
    ("long title", {"title": "x" * 256}, "title", "Field cannot be longer than 255 characters."),
    ("NUL in the title", {"title": "Read\x00books"}, "title", "Contains a character that is not allowed."),
    ("NUL in the unit", {"target_unit": "bo\x00oks"}, "target_unit", "Contains a character that is not allowed."),
    ("NUL in the description", {"description": "a\x00b"}, "description", "Contains a character that is not allowed."),
    ("huge target", {"target_value": "100000000"}, "target_value", "Enter a target between 0.01 and 99,999,999.99."),
    ("exponent target", {"target_value": "1e400"}, "target_value", "Enter a target between 0.01 and 99,999,999.99."),
    ("zero target", {"target_value": "0"}, "target_value", "Enter a target between 0.01 and 99,999,999.99."),
    ("negative target", {"target_value": "-3"}, "target_value", "Enter a target between 0.01 and 99,999,999.99."),
    ("NaN target", {"target_value": "NaN"}, "target_value", "Enter a number, e.g. 12.5."),
    ("infinite target", {"target_value": "Infinity"}, "target_value", "Enter a number, e.g. 12.5."),
    ("text target", {"target_value": "lots"}, "target_value", "Enter a number, e.g. 12.5."),
    ("no target to measure", {"target_value": ""}, "target_value", "Set a target to measure progress against, e.g. 12."),
    ("bad date", {"start_date": "2024-02-30"}, "start_date", "Enter a real date, e.g. 2025-03-31."),
    ("garbage date", {"end_date": "tomorrow"}, "end_date", "Enter a real date, e.g. 2025-03-31."),
    ("ancient date", {"start_date": "0001-01-01"}, "start_date", "Choose a date between 1900 and 2199."),
    ("far future", {"end_date": "9999-12-31"}, "end_date", "Choose a date between 1900 and 2199."),
    ("unknown kind", {"goal_type": "hourly"}, "goal_type", None),
    ("unknown measure", {"measure": "vibes"}, "measure", None),
    ("repeating life goal", {"goal_type": "life", "is_recurring": "y"}, "is_recurring",
     "A life goal has no period, so it cannot repeat."),
    ("source without a habit", {"measure": "source", "source": ""}, "source", "Choose what this goal is filled from."),
    ("sum of sub-goals without a unit", {"measure": "children", "rollup": "sum", "target_unit": ""}, "target_value",
     "To add up sub-goals, give this goal a target and a unit."),
    ("parent that is not a goal", {"parent_goal_id": "not-a-uuid"}, "parent_goal_id",
     "Choose one of your goals as the parent."),
    ("parent nobody has", {"parent_goal_id": "0b5f3b5e-4a8e-4f0e-9d55-7c7b8a0c1d2e"}, "parent_goal_id",
     "Choose one of your goals as the parent."),
]


@pytest.mark.parametrize(("case", "overrides", "field", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_refused_new_goal_shows_the_error_and_saves_nothing(app, auth_client, kit, case, overrides, field, message):
    response = auth_client.post("/goals/new", data=goal_form(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    if field in ("goal_type", "measure"):
        assert re.search(r'<p class="error">[^<]+</p>', page)
    else:
        shown = field_error(page, field)
        assert shown == message or message in shown
        assert 'aria-invalid="true"' in page
    assert kit.count(Goal) == 0


def test_a_refused_edit_changes_nothing(app, auth_client, user, kit):
    goal_id = kit.goal(user["id"], title="Run", target_value=100)
    before = kit.get(goal_id)
    response = auth_client.post(f"/goals/{goal_id}/edit", data=goal_form(title="Changed", priority="6"))
    assert response.status_code == 422
    after = kit.get(goal_id)
    assert (after.title, after.priority, after.updated_at) == (before.title, before.priority, before.updated_at)


def test_a_goal_cannot_become_a_sub_goal_of_its_own_sub_goal(app, auth_client, user, kit):
    top = kit.goal(user["id"], title="Top")
    middle = kit.goal(user["id"], title="Middle", parent_goal_id=top)
    bottom = kit.goal(user["id"], title="Bottom", parent_goal_id=middle)

    form = auth_client.get(f"/goals/{top}/edit").get_data(as_text=True)
    # The form only offers parents that cannot make a loop...
    assert f'value="{middle}"' not in form and f'value="{bottom}"' not in form and f'value="{top}"' not in form
    # ...and a forged choice is refused.
    for parent in (bottom, middle, top):
        response = auth_client.post(f"/goals/{top}/edit", data=goal_form(title="Top", parent_goal_id=str(parent)))
        assert response.status_code == 422
        assert "Choose one of your goals as the parent." in field_error(response.get_data(as_text=True), "parent_goal_id")
    assert kit.get(top).parent_goal_id is None


def test_the_service_itself_refuses_a_loop(app, user, kit):
    from manifest.extensions import db
    from manifest.forms import FieldError
    from manifest.goals import services
    from manifest.models import Goal

    top = kit.goal(user["id"], title="Top")
    child = kit.goal(user["id"], title="Child", parent_goal_id=top)
    with kit.user(user["id"]) as ana:
        data = {**{k: getattr(kit.get(top), k) for k in ("title", "goal_type", "measure", "target_value")},
                "parent_goal_id": child, "priority": 0, "status": "active"}
        with pytest.raises(FieldError) as refused:
            services.update_goal(ana, db.session.get(Goal, top), data, date(2024, 5, 1))
    assert refused.value.field == "parent_goal_id"
    assert kit.get(top).parent_goal_id is None


def test_another_users_goal_cannot_be_chosen_as_parent(app, auth_client, user, other_user, kit):
    theirs = kit.goal(other_user["id"], title="Ben's goal")
    page = auth_client.get("/goals/new").get_data(as_text=True)
    assert str(theirs) not in page and "Ben&#39;s goal" not in page
    response = auth_client.post("/goals/new", data=goal_form(parent_goal_id=str(theirs)))
    assert response.status_code == 422
    assert kit.count(Goal) == 1


def test_a_goal_linked_to_another_users_habit_is_refused(app, auth_client, other_user, kit):
    theirs = kit.habit(other_user["id"], "Ben's habit")
    response = auth_client.post("/goals/new", data=goal_form(measure="source", source=f"habit.completions:{theirs}"))
    assert response.status_code == 422
    assert "Choose what this goal is filled from." in field_error(response.get_data(as_text=True), "source")
    assert kit.count(Goal) == 0


def test_a_goal_linked_to_a_habit_takes_the_sources_unit(app, auth_client, user, kit):
    habit = kit.habit(user["id"], "Meditate")
    response = auth_client.post("/goals/new", data=goal_form(
        goal_type="weekly", is_recurring="y", measure="source", source=f"habit.completions:{habit}",
        target_value="5", target_unit=""))
    assert response.status_code == 303
    goal = kit.get(response.headers["Location"].rsplit("/", 1)[1])
    assert (goal.source_key, goal.source_id, goal.target_unit) == ("habit.completions", habit, "times")


def test_only_number_habits_can_be_summed(app, auth_client, user, kit):
    yes_no = kit.habit(user["id"], "Meditate")
    numeric = kit.habit(user["id"], "Water", habit_type="numeric", target_value=Decimal(8), unit="glasses")
    page = auth_client.get("/goals/new").get_data(as_text=True)
    assert f'value="habit.values:{numeric}"' in page and f'value="habit.values:{yes_no}"' not in page
    response = auth_client.post("/goals/new", data=goal_form(measure="source", source=f"habit.values:{yes_no}"))
    assert response.status_code == 422


def test_the_period_arithmetic_agrees_with_the_defaults(auth_client, user, kit):
    # A weekly goal made today covers this Monday to Sunday in the user's own calendar.
    response = auth_client.post("/goals/new", data=goal_form(goal_type="weekly"))
    goal = kit.get(response.headers["Location"].rsplit("/", 1)[1])
    today = kit.today(user["id"])
    assert logic.Period(goal.start_date, goal.end_date) in (
        logic.period_of("weekly", today), logic.period_of("weekly", today - timedelta(days=1)))
    assert goal.start_date.weekday() == 0


def test_goal_text_is_escaped(auth_client, kit, user):
    kit.goal(user["id"], title="<script>alert(1)</script>", category="<b>x</b>")
    for path in ("/goals", "/"):
        page = auth_client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<b>x</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_progress_rows_and_milestones_survive_only_with_their_goal(app, auth_client, user, kit):
    goal_id = kit.goal(user["id"], title="Run")
    kit.entry(user["id"], goal_id, 3, kit.today(user["id"]))
    kit.milestone(user["id"], goal_id, "First 5k")
    auth_client.post(f"/goals/{goal_id}/delete")
    assert kit.count(GoalProgress) == 0 and kit.count(GoalMilestone) == 0
