"""Goals in a real browser: progress added inline moves the bar without a reload, milestones tick in
place, a reached goal completes with an undo, and the overview filters as you type."""

import re
import uuid
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.goals import progress, services
from manifest.models import Goal, GoalMilestone, Habit, User, Workout
from manifest.workouts.goal_sources import type_source_id

GOAL_DEFAULTS = {
    "description": None, "goal_type": "monthly", "is_recurring": False, "category": None, "priority": 0,
    "status": "active", "parent_goal_id": None, "measure": "entries", "target_value": None, "target_unit": None,
    "rollup": "average", "source": "", "start_date": None, "end_date": None,
}


def make_goal(app, user_id, today: date, title: str, **fields) -> uuid.UUID:
    with app.app_context():
        data = {**GOAL_DEFAULTS, "title": title, **fields}
        return services.create_goal(db.session.get(User, user_id), data, today).goal_id


def stored(app, goal_id) -> Goal:
    with app.app_context():
        goal = db.session.get(Goal, goal_id)
        db.session.expunge(goal)
        return goal


def mark(page) -> None:
    page.evaluate("window.__goalsMarker = 42")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__goalsMarker") == 42, "the page reloaded instead of swapping in place"


def test_progress_added_on_the_overview_moves_the_bar_in_place(app, signed_in, user, today):
    page = signed_in
    books = make_goal(app, user["id"], today, "Read 12 books", target_value=Decimal(12), target_unit="books")
    page.get_by_role("link", name="Goals").click()
    expect(page.get_by_role("heading", name="Goals", level=1)).to_be_visible()
    mark(page)
    card = page.locator(f"#goal-{books}")
    expect(card.get_by_role("progressbar")).to_have_attribute("value", "0")

    card.get_by_role("button", name="Add 1 books to Read 12 books").click()
    expect(card.get_by_role("progressbar")).to_have_attribute("value", "8")
    expect(card).to_contain_text("1 of 12 books")

    card.get_by_text("Other amount").click()
    card.get_by_label("Amount (books)").fill("2.5")
    card.get_by_role("button", name="Add", exact=True).click()
    expect(card.get_by_role("progressbar")).to_have_attribute("value", "29")
    expect(card).to_contain_text("3.5 of 12 books")
    assert_not_reloaded(page)
    assert stored(app, books).current_value == Decimal("3.5")


def test_a_refused_amount_shows_its_error_inline(app, signed_in, user, today, browser_errors):
    browser_errors.allow_status(422)
    page = signed_in
    run = make_goal(app, user["id"], today, "Run 5000 km", target_value=Decimal(5000), target_unit="km")
    page.goto("/goals")
    mark(page)
    card = page.locator(f"#goal-{run}")
    card.get_by_text("+ progress").click()
    card.get_by_label("Amount (km)").fill("0")
    card.get_by_role("button", name="Add", exact=True).click()
    expect(card.get_by_role("alert")).to_have_text("Enter an amount above 0 and below a million.")
    expect(card.get_by_label("Amount (km)")).to_have_value("0")
    assert_not_reloaded(page)
    assert stored(app, run).current_value == 0


def test_one_click_progress_on_today(app, signed_in, user, today):
    page = signed_in
    water = make_goal(app, user["id"], today, "Drink 8 glasses", goal_type="daily", is_recurring=True,
                      target_value=Decimal(8), target_unit="glasses")
    page.reload()
    mark(page)
    row = page.locator(f"#today-goal-{water}")
    for expected in ("12", "25"):
        row.get_by_role("button", name="Add 1 glasses to Drink 8 glasses").click()
        expect(page.locator(f"#today-goal-{water}").get_by_role("progressbar")).to_have_attribute("value", expected)
    assert_not_reloaded(page)
    assert stored(app, water).current_value == 2


def test_tick_a_milestone_and_the_goal_moves(app, signed_in, user, today):
    page = signed_in
    novel = make_goal(app, user["id"], today, "Write a novel", goal_type="life", measure="milestones")
    with app.app_context():
        owner = db.session.get(User, user["id"])
        for title in ("Outline the plot", "Write the first draft"):
            progress.add_milestone(owner, db.session.get(Goal, novel), title, None, today)
    page.goto(f"/goals/{novel}")
    mark(page)
    summary = page.locator("#goal-summary")
    expect(summary.get_by_role("progressbar")).to_have_attribute("value", "0")

    page.get_by_label("Outline the plot — done").check()
    expect(summary.get_by_role("progressbar")).to_have_attribute("value", "50")
    expect(page.get_by_label("Outline the plot — done")).to_be_checked()
    expect(page.locator("#goal-milestones .milestone.is-done")).to_have_count(1)
    assert_not_reloaded(page)
    with app.app_context():
        done = db.session.execute(sa.select(GoalMilestone.title).where(GoalMilestone.done_at.is_not(None))).scalars()
        assert list(done) == ["Outline the plot"]

    page.get_by_label("Outline the plot — done").uncheck()
    expect(summary.get_by_role("progressbar")).to_have_attribute("value", "0")


def test_reaching_the_target_completes_the_goal_and_undo_reopens_it(app, signed_in, user, today):
    page = signed_in
    run = make_goal(app, user["id"], today, "Run 10 km", target_value=Decimal(10), target_unit="km")
    page.goto(f"/goals/{run}")
    mark(page)
    page.get_by_label("Amount").fill("10")
    page.get_by_role("button", name="Add progress").click()

    notice = page.locator("#flashes").get_by_role("status")
    expect(notice).to_contain_text("“Run 10 km” reached its target and is marked completed.")
    expect(page.locator("#goal-summary")).to_contain_text("Completed")
    expect(page.locator("#goal-summary").get_by_role("progressbar")).to_have_attribute("value", "100")
    assert stored(app, run).status == "completed"

    page.locator("#flashes").get_by_role("button", name="Undo: reopen Run 10 km").click()
    expect(page.locator("#flashes")).to_contain_text("“Run 10 km” is active again.")
    expect(page.locator("#goal-summary .goal-done")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark completed: Run 10 km")).to_be_visible()
    assert_not_reloaded(page)
    goal = stored(app, run)
    assert goal.status == "active" and goal.completed_at is None


def test_search_and_filters_narrow_the_overview_and_update_the_address(app, signed_in, user, today):
    page = signed_in
    make_goal(app, user["id"], today, "Run along the river", category="Health")
    make_goal(app, user["id"], today, "Read 12 books", category="Mind", goal_type="yearly",
              target_value=Decimal(12))
    page.goto("/goals")
    mark(page)
    cards = page.locator(".goal-card h3")
    expect(cards).to_have_count(2)

    page.get_by_label("Search", exact=True).fill("river")
    expect(cards).to_have_text(["Run along the river"])
    expect(page).to_have_url(re.compile(r"/goals\?q=river"))

    page.get_by_label("Search", exact=True).fill("")
    expect(cards).to_have_count(2)
    page.get_by_label("Category").select_option("Mind")
    expect(cards).to_have_text(["Read 12 books"])
    expect(page).to_have_url(re.compile(r"category=Mind"))
    assert_not_reloaded(page)

    page.reload()  # the address alone shows the same list
    expect(page.locator(".goal-card h3")).to_have_text(["Read 12 books"])


# --- goals that fill themselves follow the pages that feed them, without a reload ---------------

def make_habit(app, user_id, name: str) -> uuid.UUID:
    with app.app_context():
        habit = Habit(user_id=user_id, name=name)
        db.session.add(habit)
        db.session.commit()
        return habit.id


def test_ticking_a_linked_habit_on_today_moves_the_goal_and_unticking_moves_it_back(app, signed_in, user, today):
    page = signed_in
    habit = make_habit(app, user["id"], "Meditate")
    linked = make_goal(app, user["id"], today, "Meditate 5 times a week", goal_type="weekly", is_recurring=True,
                       measure="source", source=f"habit.completions:{habit}", target_value=Decimal(5))
    page.reload()
    mark(page)
    bar = page.locator(f"#today-goal-{linked}").get_by_role("progressbar")
    expect(bar).to_have_attribute("value", "0")

    page.get_by_label("Meditate — done today").check()
    expect(bar).to_have_attribute("value", "20")
    expect(page.locator(f"#today-goal-{linked}")).to_contain_text("1 of 5 times")
    page.get_by_label("Meditate — done today").uncheck()
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_label("Meditate — done today")).not_to_be_checked()
    assert_not_reloaded(page)


def test_adding_food_moves_a_goal_fed_by_meals(app, signed_in, user, today):
    page = signed_in
    protein = make_goal(app, user["id"], today, "Eat 100 g of protein a day", goal_type="daily", is_recurring=True,
                        measure="source", source=f"nutrition.protein:{user['id']}", target_value=Decimal(100))
    page.goto("/food/")
    mark(page)
    fed = page.locator("#fed-goals-food")
    expect(fed).to_contain_text("Eat 100 g of protein a day")
    bar = page.locator(f"#fed-goal-{protein}").get_by_role("progressbar")
    expect(bar).to_have_attribute("value", "0")

    lunch = page.locator("#meal-lunch")
    lunch.locator(".meal-add > summary").click()
    lunch.get_by_label("Food").fill("Chicken salad")
    lunch.get_by_label("Protein (g)").fill("35")
    lunch.get_by_role("button", name="Add to lunch").click()
    expect(bar).to_have_attribute("value", "35")
    expect(page.locator(f"#fed-goal-{protein}")).to_contain_text("35 of 100 g")
    assert_not_reloaded(page)


def test_adding_an_exercise_moves_a_goal_fed_by_workouts(app, signed_in, user, today):
    page = signed_in
    source = type_source_id(user["id"], "any")
    run = make_goal(app, user["id"], today, "Run 20 km a week", goal_type="weekly", is_recurring=True,
                    measure="source", source=f"workouts.distance:{source}", target_value=Decimal(20))
    with app.app_context():
        workout = Workout(user_id=user["id"], workout_date=today, workout_type="cardio", workout_name="Morning run")
        db.session.add(workout)
        db.session.commit()
        workout_id = workout.id
    page.goto(f"/workouts/{workout_id}")
    mark(page)
    bar = page.locator(f"#fed-goal-{run}").get_by_role("progressbar")
    expect(bar).to_have_attribute("value", "0")

    form = page.locator("#exercise-form")
    form.get_by_label("Exercise").fill("Run")
    form.get_by_label("Distance", exact=True).fill("5")
    form.get_by_role("button", name="Add exercise").click()
    expect(page.locator("#exercise-list li.exercise").filter(has_text="Run")).to_be_visible()
    expect(bar).to_have_attribute("value", "25")
    expect(page.locator(f"#fed-goal-{run}")).to_contain_text("5 of 20 km")
    assert_not_reloaded(page)


def test_any_amount_added_on_today_updates_the_row_in_place(app, signed_in, user, today, browser_errors):
    browser_errors.allow_status(422)
    page = signed_in
    pages_goal = make_goal(app, user["id"], today, "Read 300 pages", target_value=Decimal(300), target_unit="pages")
    page.reload()
    mark(page)
    row = page.locator(f"#today-goal-{pages_goal}")
    row.get_by_text("+ progress").click()
    row.get_by_label("Amount (pages)").fill("0")
    row.get_by_role("button", name="Add", exact=True).click()
    expect(row.get_by_role("alert")).to_have_text("Enter an amount above 0 and below a million.")

    row.get_by_label("Amount (pages)").fill("30")
    row.get_by_role("button", name="Add", exact=True).click()
    expect(row.get_by_role("progressbar")).to_have_attribute("value", "10")
    expect(row).to_contain_text("30 of 300 pages")
    expect(row.get_by_role("alert")).to_have_count(0)
    assert_not_reloaded(page)
    assert stored(app, pages_goal).current_value == 30
