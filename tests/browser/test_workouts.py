"""Workouts in a real browser: a new user logs a strength workout set by set and sees a new record
without a reload, logs a run, and a refused set shows its error in place."""

import re
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import WorkoutExercise, WorkoutSet
from tests.workouts.conftest import Kit


def mark(page) -> None:
    page.evaluate("window.__workoutsMarker = 42")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__workoutsMarker") == 42, "the page reloaded instead of swapping in place"


def new_workout(page, kind: str, name: str) -> None:
    page.goto("/workouts/new")
    page.get_by_label("Type").select_option(kind)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Duration (minutes)").fill("45")
    page.get_by_role("button", name="Save and add exercises").click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def add_exercise(page, name: str, **fields) -> None:
    form = page.locator("#exercise-form")
    form.get_by_label("Exercise").fill(name)
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="Add exercise").click()


def add_set(row, reps: str, weight: str) -> None:
    row.get_by_label("Reps", exact=True).fill(reps)
    row.get_by_label("Weight", exact=True).fill(weight)
    row.get_by_role("button", name=re.compile("^Add set")).click()


def test_log_a_strength_workout_set_by_set_and_see_a_new_record(app, signed_in):
    page = signed_in
    new_workout(page, "strength", "Leg day")
    mark(page)
    add_exercise(page, "Squat")
    row = page.locator("#exercise-list li.exercise").filter(has_text="Squat")
    expect(row).to_have_count(1)
    expect(row.get_by_label("Reps", exact=True)).to_be_focused()  # its first set comes next
    expect(page.locator("#workout-summary")).to_contain_text("1exercises")  # counters follow out of band
    expect(page.locator("#exercise-form").get_by_label("Exercise")).to_have_value("")
    # The name field suggests names from this user's history as they type.
    page.locator("#exercise-form").get_by_label("Exercise").press_sequentially("sq")
    expect(page.locator('#exercise-names option[value="Squat"]')).to_have_count(1)
    page.locator("#exercise-form").get_by_label("Exercise").fill("")

    add_set(row, "5", "100")
    expect(row.locator("tbody tr")).to_have_count(1)
    expect(row.get_by_label("Reps", exact=True)).to_be_focused()  # ready for the next set
    expect(row.locator(".pr-badge")).to_have_count(0)  # the first set sets the bar

    add_set(row, "5", "110")
    expect(row.locator("tbody tr")).to_have_count(2)
    expect(row.locator(".pr-badge")).to_contain_text("New PR: heaviest weight")
    expect(row.locator(".exercise-summary")).to_have_text("2 sets · best 110 kg × 5 reps")
    expect(page.locator("#workout-summary")).to_contain_text("2sets")
    assert_not_reloaded(page)
    with app.app_context():
        weights = db.session.scalars(sa.select(WorkoutSet.weight).order_by(WorkoutSet.position)).all()
    assert [int(w) for w in weights] == [100, 110]

    page.goto("/workouts/progress")
    expect(page.get_by_role("link", name="Squat")).to_be_visible()
    page.get_by_role("link", name="Squat").click()
    expect(page.get_by_role("heading", name="Estimated 1RM")).to_be_visible()


def test_log_a_run_and_edit_it_inline(app, signed_in):
    page = signed_in
    new_workout(page, "cardio", "Morning run")
    mark(page)
    add_exercise(page, "Run", Distance="5", Duration="25:00")
    row = page.locator("#exercise-list li.exercise").filter(has_text="Run")
    expect(row.locator(".exercise-summary")).to_have_text("5 km · 25:00 · 5:00 /km")

    row.get_by_role("link", name="Edit Run").click()
    editing = page.locator("#exercise-list li.is-editing")
    editing.get_by_label("Distance", exact=True).fill("6")
    editing.get_by_role("button", name="Save exercise").click()
    expect(page.locator("#exercise-list li.exercise").filter(has_text="Run").locator(".exercise-summary")).to_have_text(
        "6 km · 25:00 · 4:10 /km")
    assert_not_reloaded(page)
    with app.app_context():
        assert db.session.scalar(sa.select(WorkoutExercise.distance)) == 6


def test_a_refused_set_shows_its_error_in_place(app, signed_in, browser_errors):
    browser_errors.allow_status(422)
    page = signed_in
    new_workout(page, "strength", "Push")
    add_exercise(page, "Bench press")
    row = page.locator("#exercise-list li.exercise").filter(has_text="Bench press")
    expect(row).to_have_count(1)
    mark(page)
    add_set(row, "5", "-20")
    expect(row.locator(".error")).to_contain_text("Enter a weight from 0 to 9999.99.")
    assert_not_reloaded(page)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkoutSet)) == 0


def test_the_workout_page_fits_a_phone(app, open_page, user, log_in):
    from tests.browser.conftest import PHONE

    page = open_page(PHONE)
    log_in(page, user["username"])
    new_workout(page, "strength", "Phone session")
    add_exercise(page, "Deadlift")
    row = page.locator("#exercise-list li.exercise").filter(has_text="Deadlift")
    # As a person would: type once the new row is in place and its first set has the cursor.
    expect(row.get_by_label("Reps", exact=True)).to_be_focused()
    add_set(row, "3", "150")
    expect(row.locator("tbody tr")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"


def test_reorder_and_remove_exercises_inline(app, signed_in):
    page = signed_in
    new_workout(page, "strength", "Push day")
    mark(page)
    for name in ("Bench press", "Overhead press", "Dips"):
        add_exercise(page, name)
        expect(page.locator("#exercise-list li.exercise").filter(has_text=name)).to_have_count(1)
        # The next name goes into the fresh form the answer brings, as a person would type it.
        expect(page.locator("#exercise-form").get_by_label("Exercise")).to_have_value("")
        expect(page.locator("#exercise-list li.exercise").filter(has_text=name).get_by_label(
            "Reps", exact=True)).to_be_focused()
    names = page.locator("#exercise-list li.exercise h3 a")
    expect(names).to_have_text(["Bench press", "Overhead press", "Dips"])

    page.get_by_role("button", name="Move up: Dips").click()
    expect(names).to_have_text(["Bench press", "Dips", "Overhead press"])
    page.get_by_role("button", name="Remove Bench press").click()
    expect(names).to_have_text(["Dips", "Overhead press"])
    expect(page.locator("#workout-summary")).to_contain_text("2exercises")
    assert_not_reloaded(page)
    with app.app_context():
        rows = db.session.scalars(sa.select(WorkoutExercise).order_by(WorkoutExercise.order_index)).all()
        assert [r.exercise_name for r in rows] == ["Dips", "Overhead press"]


def test_the_calendar_moves_month_by_month_in_place(app, signed_in, user, today):
    last_month = today.replace(day=1) - timedelta(days=1)
    Kit(app).workout(user["id"], last_month, workout_name="Long run", duration_minutes=60)
    page = signed_in
    page.goto("/workouts/progress")
    mark(page)
    calendar = page.locator("#workout-calendar")
    expect(calendar.get_by_role("heading", level=2)).to_have_text(today.strftime("%B %Y"))
    calendar.get_by_role("link", name="Previous month").click()
    expect(calendar.get_by_role("heading", level=2)).to_have_text(last_month.strftime("%B %Y"))
    expect(calendar.locator("td.in-month.has-workout")).to_have_count(1)
    expect(calendar.locator("td.in-month.has-workout")).to_contain_text(str(last_month.day))
    assert_not_reloaded(page)
