"""Habits in a real browser: check-ins on Today that update in place, the habit page and the form."""

import re
import uuid
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.habits import services
from manifest.models import Habit, HabitEntry, User

from .conftest import PHONE, TODAY_URL

MARKER = 42
DONE = re.compile(r"\bis-done\b")


# --- the user, their clock and the rows ---------------------------------------------------

def make_habit(app, user_id, name: str, **data) -> uuid.UUID:
    """A habit created through the service, as the New habit form would."""
    with app.app_context():
        fields = {"name": name, "frequency": "daily", "habit_type": "yes_no", **data}
        return services.create_habit(db.session.get(User, user_id), fields).id


def numeric(target: str = "8", unit: str = "glasses", **data) -> dict:
    return {"habit_type": "numeric", "target_value": Decimal(target), "target_direction": "at_least", "unit": unit,
            **data}


def entries(app, habit_id) -> dict[date, tuple]:
    """(completed, skipped, value, notes) per day."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped, HabitEntry.value, HabitEntry.notes)
            .where(HabitEntry.habit_id == habit_id)
        ).all()
        return {r.entry_date: (r.completed, r.skipped, r.value, r.notes) for r in rows}


def long_date(day: date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


# --- the page -----------------------------------------------------------------------------

@pytest.fixture
def today_page(page, user, log_in):
    """Opens Today for the logged-in user once the test's habits exist, marked to notice a reload."""

    def open_():
        log_in(page, user["username"])
        mark(page)
        return page

    return open_


def mark(page) -> None:
    page.evaluate(f"window.__marker = {MARKER}")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__marker") == MARKER, "the page reloaded instead of swapping in place"


def settle(page) -> None:
    """Wait until htmx has no request in flight (it marks the requesting element meanwhile)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


@contextmanager
def replaced(locator):
    """Waits, after the block, until the server's copy has replaced ``locator``'s element.

    Needed where what the user typed already looks like the answer, so the page alone cannot tell."""
    locator.evaluate("element => element.setAttribute('data-stale', '')")
    yield
    expect(locator).to_be_attached()
    expect(locator).not_to_have_attribute("data-stale", "")


def counter(page):
    return page.locator("#day-counter span")


def row(page, habit_id):
    return page.locator(f"#habit-{habit_id}")


def checkbox(page, name: str, when: str = "today"):
    return page.get_by_role("checkbox", name=f"{name} — done {when}", exact=True)


# --- yes/no check-ins -----------------------------------------------------------------------

def test_checking_a_habit_updates_its_row_and_the_counter_in_place(today_page, app, user, today):
    meditate = make_habit(app, user["id"], "Meditate")
    make_habit(app, user["id"], "Read")
    page = today_page()
    box, streak = checkbox(page, "Meditate"), row(page, meditate).locator(".streak")
    expect(box).not_to_be_checked()
    expect(streak).to_have_text("")
    expect(counter(page)).to_have_text("0 of 2 done")

    box.click()

    expect(row(page, meditate)).to_have_class(DONE)
    expect(box).to_be_checked()
    expect(streak).to_have_text("1-day streak")
    expect(counter(page)).to_have_text("1 of 2 done")
    expect(page.locator("#day-counter progress")).to_have_attribute("value", "1")
    assert_not_reloaded(page)
    assert entries(app, meditate) == {today: (True, False, None, None)}

    page.reload()
    expect(box).to_be_checked()
    expect(row(page, meditate)).to_have_class(DONE)
    expect(streak).to_have_text("1-day streak")
    expect(counter(page)).to_have_text("1 of 2 done")

    mark(page)
    box.click()

    expect(row(page, meditate)).not_to_have_class(DONE)
    expect(box).not_to_be_checked()
    expect(streak).to_have_text("")
    expect(counter(page)).to_have_text("0 of 2 done")
    assert_not_reloaded(page)
    assert entries(app, meditate) == {today: (False, False, None, None)}

    page.reload()
    expect(box).not_to_be_checked()
    expect(counter(page)).to_have_text("0 of 2 done")


def test_space_on_the_focused_checkbox_checks_in_like_a_click(today_page, app, user, today):
    meditate = make_habit(app, user["id"], "Meditate")
    make_habit(app, user["id"], "Read")
    page = today_page()
    box = checkbox(page, "Meditate")

    box.focus()
    page.keyboard.press("Space")

    expect(row(page, meditate)).to_have_class(DONE)
    expect(box).to_be_checked()
    expect(row(page, meditate).locator(".streak")).to_have_text("1-day streak")
    expect(counter(page)).to_have_text("1 of 2 done")
    assert_not_reloaded(page)
    assert entries(app, meditate) == {today: (True, False, None, None)}

    # The row was swapped, yet focus stays on its box: a second Space undoes the check-in.
    expect(box).to_be_focused()
    page.keyboard.press("Space")
    expect(row(page, meditate)).not_to_have_class(DONE)
    expect(counter(page)).to_have_text("0 of 2 done")
    assert entries(app, meditate) == {today: (False, False, None, None)}


def test_a_fast_double_click_ends_with_the_box_and_the_database_agreeing(today_page, app, user, today):
    meditate = make_habit(app, user["id"], "Meditate")
    make_habit(app, user["id"], "Read")
    page = today_page()
    box = checkbox(page, "Meditate")

    box.dblclick()
    settle(page)

    # Either end state is right, as long as the page and the database tell the same story.

    checked = box.is_checked()
    with app.app_context():
        stored = db.session.execute(
            sa.select(HabitEntry.completed).where(HabitEntry.habit_id == meditate, HabitEntry.entry_date == today)
        ).scalars().all()
    assert stored == [checked], f"the box shows {'done' if checked else 'not done'}, the database has {stored}"
    if checked:
        expect(row(page, meditate)).to_have_class(DONE)
    else:
        expect(row(page, meditate)).not_to_have_class(DONE)
    expect(counter(page)).to_have_text(f"{int(checked)} of 2 done")
    assert_not_reloaded(page)

    page.reload()
    expect(box).to_be_checked(checked=checked)


def test_a_tick_that_cannot_reach_the_server_is_undone_and_says_so(today_page, app, user, today, browser_errors):
    browser_errors.allow(r"ERR_INTERNET_DISCONNECTED|Failed to load resource|^htmx:(sendError|afterRequest)")
    meditate = make_habit(app, user["id"], "Meditate")
    water = make_habit(app, user["id"], "Water", **numeric())
    page = today_page()
    page.context.set_offline(True)
    box = checkbox(page, "Meditate")
    box.click()
    expect(page.locator("#flashes")).to_contain_text("Not saved: the server could not be reached.")
    expect(box).not_to_be_checked()
    expect(row(page, meditate)).not_to_have_class(DONE)
    page.get_by_role("button", name="Water: one more", exact=True).click()
    expect(page.get_by_label("Water — glasses today", exact=True)).to_have_value("")
    assert entries(app, meditate) == {} and entries(app, water) == {}

    page.context.set_offline(False)
    box.click()
    expect(row(page, meditate)).to_have_class(DONE)
    expect(counter(page)).to_have_text("1 of 2 done")
    assert_not_reloaded(page)


def test_rows_clicked_while_the_first_is_saving_are_all_saved(today_page, app, user, today):
    names = ("Meditate", "Read", "Stretch")
    ids = [make_habit(app, user["id"], name) for name in names]
    page = today_page()
    held = []

    def hold_the_first(route):
        # The first check-in is held back, so the others are clicked while it is still on its way.
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/habits/*/days/*", hold_the_first)
    for name in names:
        checkbox(page, name).click()
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()

    for habit_id in ids:
        expect(row(page, habit_id)).to_have_class(DONE)
    expect(counter(page)).to_have_text("3 of 3 done")
    settle(page)
    for habit_id in ids:
        assert entries(app, habit_id) == {today: (True, False, None, None)}
    assert_not_reloaded(page)


# --- numeric check-ins ----------------------------------------------------------------------

def test_numeric_steppers_and_typed_values_save_in_place(today_page, app, user, today):
    water = make_habit(app, user["id"], "Water", **numeric())
    make_habit(app, user["id"], "Read")
    page = today_page()
    value = page.get_by_label("Water — glasses today", exact=True)
    more = page.get_by_role("button", name="Water: one more", exact=True)
    less = page.get_by_role("button", name="Water: one less", exact=True)
    expect(value).to_have_value("")
    expect(row(page, water).locator(".target")).to_have_text("≥ 8 glasses")

    # The field shows the new number at once; the row is then redrawn from what was saved.
    with replaced(row(page, water)):
        more.click()
        expect(value).to_have_value("1")
    assert entries(app, water) == {today: (False, False, Decimal("1.00"), None)}

    with replaced(row(page, water)):
        value.fill("7")
        value.press("Enter")
    expect(value).to_have_value("7")
    expect(counter(page)).to_have_text("0 of 2 done")
    assert entries(app, water)[today][2] == Decimal("7.00")

    # Reaching the target counts the habit as done.
    with replaced(row(page, water)):
        more.click()
    expect(value).to_have_value("8")
    expect(row(page, water)).to_have_class(DONE)
    expect(counter(page)).to_have_text("1 of 2 done")
    assert entries(app, water) == {today: (True, False, Decimal("8.00"), None)}

    with replaced(row(page, water)):
        less.click()
    expect(value).to_have_value("7")
    expect(row(page, water)).not_to_have_class(DONE)
    expect(counter(page)).to_have_text("0 of 2 done")
    assert entries(app, water) == {today: (False, False, Decimal("7.00"), None)}

    # Enter saves what was typed: the stepper's "−" (which would make it 6) is not the default button.
    with replaced(row(page, water)):
        value.fill("5")
        value.press("Enter")
    expect(value).to_have_value("5")
    expect(row(page, water).get_by_role("alert")).to_have_count(0)
    assert entries(app, water)[today][2] == Decimal("5.00")

    # Leaving the field saves it too.
    with replaced(row(page, water)):
        value.fill("9")
        value.press("Tab")
    expect(row(page, water)).to_have_class(DONE)
    expect(value).to_have_value("9")
    expect(counter(page)).to_have_text("1 of 2 done")
    assert entries(app, water) == {today: (True, False, Decimal("9.00"), None)}
    assert_not_reloaded(page)

    # A decimal comma is read as a decimal point.
    with replaced(row(page, water)):
        value.fill("2,5")
        value.press("Enter")
    expect(value).to_have_value("2.5")
    expect(counter(page)).to_have_text("0 of 2 done")
    assert entries(app, water)[today][2] == Decimal("2.50")

    page.reload()
    expect(value).to_have_value("2.5")
    expect(counter(page)).to_have_text("0 of 2 done")


def tap(page, label: str, times: int = 1) -> None:
    """Taps in one go on the button as the page has it now (a locator's handle can be a row the
    answer just replaced, which no user can tap)."""
    page.evaluate("""([label, times]) => {
        for (let i = 0; i < times; i++) document.querySelector(`button[aria-label="${label}"]`).click();
    }""", [label, times])


def test_each_tap_on_a_stepper_counts_however_fast(today_page, app, user, today):
    """Taps before the first answer arrives each count: each tap states the number the user saw it
    make, and taps during a save are sent after its answer, so the last one wins."""
    water = make_habit(app, user["id"], "Water", **numeric())
    page = today_page()
    value = page.get_by_label("Water — glasses today", exact=True)
    tap(page, "Water: one more", 2)
    expect(value).to_have_value("2")
    settle(page)
    expect(value).to_have_value("2")
    assert entries(app, water) == {today: (False, False, Decimal("2.00"), None)}

    tap(page, "Water: one more", 3)
    tap(page, "Water: one less")
    settle(page)
    expect(value).to_have_value("4")
    assert entries(app, water)[today][2] == Decimal("4.00")
    assert_not_reloaded(page)
    page.reload()
    expect(value).to_have_value("4")


@pytest.mark.parametrize(("typed", "message"), [
    ("-2", "Enter zero or more."),
    ("lots", "Enter a number."),
])
def test_a_bad_number_is_answered_in_the_row_and_changes_nothing(
    today_page, app, user, today, browser_errors, typed, message,
):
    browser_errors.allow_status(422)
    water = make_habit(app, user["id"], "Water", **numeric())
    with app.app_context():
        services.check_in(db.session.get(User, user["id"]), water, today, today, value="3")
    before = entries(app, water)
    page = today_page()
    value = page.get_by_label("Water — glasses today", exact=True)

    value.fill(typed)
    value.press("Enter")

    expect(row(page, water).get_by_role("alert")).to_have_text(message)
    # The row still shows what is stored.
    expect(value).to_have_value("3")
    assert_not_reloaded(page)
    assert entries(app, water) == before


# --- other days -----------------------------------------------------------------------------

def test_back_filling_past_days_extends_todays_streak(today_page, app, user, today):
    meditate = make_habit(app, user["id"], "Meditate")
    page = today_page()
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)
    day_nav = page.get_by_role("navigation", name="Choose a day")

    page.get_by_label("Go to day").fill(before.isoformat())
    day_nav.get_by_role("button", name="Go").click()
    page.wait_for_url(re.compile(rf"/\?day={before.isoformat()}$"))
    expect(page.locator(".today-date time")).to_have_attribute("datetime", before.isoformat())
    checkbox(page, "Meditate", f"on {long_date(before)}").click()
    expect(row(page, meditate)).to_have_class(DONE)

    day_nav.get_by_role("link", name=re.compile(r"→$")).click()
    page.wait_for_url(re.compile(rf"/\?day={yesterday.isoformat()}$"))
    box = checkbox(page, "Meditate", f"on {long_date(yesterday)}")
    expect(box).not_to_be_checked()
    box.click()
    expect(row(page, meditate)).to_have_class(DONE)
    expect(counter(page)).to_have_text("1 of 1 done")
    # Moving between days swaps the page body; it does not reload it.
    assert_not_reloaded(page)

    day_nav.get_by_role("link", name="Today", exact=True).click()
    page.wait_for_url(TODAY_URL)
    expect(checkbox(page, "Meditate")).not_to_be_checked()
    # Today is still open: the run of the two days before it is not broken yet.
    expect(row(page, meditate).locator(".streak")).to_have_text("2-day streak")
    expect(counter(page)).to_have_text("0 of 1 done")
    assert entries(app, meditate) == {
        before: (True, False, None, None), yesterday: (True, False, None, None),
    }

    day_nav.get_by_role("link", name=re.compile(r"^← ")).click()
    page.wait_for_url(re.compile(rf"/\?day={yesterday.isoformat()}$"))
    expect(checkbox(page, "Meditate", f"on {long_date(yesterday)}")).to_be_checked()


# --- skip and notes -------------------------------------------------------------------------

def test_skip_takes_the_habit_out_of_the_day_and_unskip_brings_it_back(today_page, app, user, today):
    meditate = make_habit(app, user["id"], "Meditate")
    make_habit(app, user["id"], "Read")
    page = today_page()
    expect(counter(page)).to_have_text("0 of 2 done")

    page.get_by_role("button", name="Skip Meditate today", exact=True).click()

    expect(row(page, meditate).locator(".badge")).to_have_text("Skipped")
    expect(checkbox(page, "Meditate")).to_be_disabled()
    expect(counter(page)).to_have_text("0 of 1 done")
    assert entries(app, meditate) == {today: (False, True, None, None)}

    page.get_by_role("button", name="Unskip Meditate today", exact=True).click()

    expect(row(page, meditate).locator(".badge")).to_have_count(0)
    expect(checkbox(page, "Meditate")).to_be_enabled()
    expect(counter(page)).to_have_text("0 of 2 done")
    expect(page.get_by_role("button", name="Skip Meditate today", exact=True)).to_be_visible()
    assert_not_reloaded(page)
    assert entries(app, meditate) == {today: (False, False, None, None)}


def test_a_note_shows_in_the_row_and_on_the_habit_page(today_page, app, user, today):
    meditate = make_habit(app, user["id"], "Meditate")
    page = today_page()
    note = row(page, meditate).locator("details.note")

    note.get_by_text("Add note").click()
    page.get_by_label("Note for Meditate today").fill("Ten quiet minutes by the window.")
    note.get_by_role("button", name="Save note").click()

    expect(row(page, meditate).locator("summary")).to_have_text("Note: Ten quiet minutes by the window.")
    assert_not_reloaded(page)
    assert entries(app, meditate) == {today: (False, False, None, "Ten quiet minutes by the window.")}

    page.get_by_role("link", name="Meditate: history").click()
    page.wait_for_url(re.compile(rf"/habits/{meditate}$"))
    notes = page.locator("section.card").filter(has=page.get_by_role("heading", name="Notes"))
    expect(notes.locator(".note-entry")).to_have_text(re.compile(r"Ten quiet minutes by the window\.$"))
    expect(notes.locator(".note-entry time")).to_have_attribute("datetime", today.isoformat())


# --- the habit page -------------------------------------------------------------------------

def test_clicking_todays_heatmap_cell_updates_it_and_the_streak_in_place(page, app, user, today, log_in):
    meditate = make_habit(app, user["id"], "Meditate")
    log_in(page, user["username"])
    page.goto(f"/habits/{meditate}")
    mark(page)
    cell = page.locator(f"#c{today.isoformat()}")
    stat = page.locator("#habit-stats .stat")
    current = stat.filter(has_text="current streak").locator(".stat-value")
    done = stat.filter(has_text="times done").locator(".stat-value")
    expect(cell).to_have_class("cell none")
    expect(current).to_have_text("0")

    cell.click()

    expect(cell).to_have_class("cell done")
    expect(cell).to_have_attribute("title", re.compile(r": done$"))
    expect(current).to_have_text("1")
    expect(done).to_have_text("1")
    assert_not_reloaded(page)
    assert entries(app, meditate) == {today: (True, False, None, None)}

    cell.click()
    expect(cell).to_have_class("cell none")
    expect(current).to_have_text("0")
    assert_not_reloaded(page)
    assert entries(app, meditate) == {today: (False, False, None, None)}


# --- creating a habit -----------------------------------------------------------------------

def test_a_new_three_times_a_week_number_habit_appears_on_today(today_page, app, user):
    page = today_page()
    page.get_by_role("link", name="Add a habit").click()
    page.wait_for_url(re.compile(r"/habits/new$"))

    page.get_by_label("Name").fill("Run")
    page.get_by_label("A number of times per week, any days").check()
    page.get_by_label("Times per week", exact=True).fill("3")
    page.get_by_label("A number (how much?)").check()
    page.get_by_label("Target", exact=True).fill("5")
    page.get_by_label("Unit").fill("km")
    page.get_by_label("At least the target").check()
    page.get_by_role("button", name="Add habit").click()

    page.wait_for_url(TODAY_URL)
    expect(page.get_by_role("status")).to_have_text("“Run” added.")
    with app.app_context():
        habit = db.session.scalars(sa.select(Habit).where(Habit.user_id == user["id"])).one()
        stored = (habit.name, habit.frequency, habit.target_days, habit.habit_type, habit.target_value, habit.unit,
                  habit.target_direction)
        habit_id = habit.id
    assert stored == ("Run", "weekly", 3, "numeric", Decimal("5.00"), "km", "at_least")
    run = row(page, habit_id)
    expect(run.locator(".habit-name")).to_have_text("Run")
    expect(run.locator(".week-progress")).to_have_text("0/3 this week")
    expect(run.locator(".target")).to_have_text("≥ 5 km")
    expect(page.get_by_label("Run — km today", exact=True)).to_have_value("")
    expect(counter(page)).to_have_text("0 of 1 done")


# --- names and small screens ----------------------------------------------------------------

def test_controls_are_named_for_what_they_do(today_page, app, user, today):
    meditate = make_habit(app, user["id"], "Meditate", icon="🧘")
    make_habit(app, user["id"], "Meditate longer")
    water = make_habit(app, user["id"], "Water", **numeric())
    page = today_page()

    box = page.get_by_role("checkbox", name=re.compile("Meditate — done today"))
    expect(box).to_have_count(1)
    expect(box).to_have_attribute("id", f"check-{meditate}")
    expect(page.get_by_role("textbox", name="Water — glasses today", exact=True)).to_have_attribute("id", f"value-{water}")
    for name in ("Water: one more", "Water: one less", "Skip Meditate today", "Skip Water today"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(1)

    box.click()
    expect(row(page, meditate)).to_have_class(DONE)
    assert entries(app, meditate)[today][0] is True


def assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


# A long unbroken word (a URL, a compound) is what usually pushes a row wider than the screen.
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis"


def test_today_with_long_names_and_steppers_fits_a_phone(phone_page, app, user, log_in):
    make_habit(app, user["id"], "Stretch the hamstrings, the calves and the lower back before breakfast",
               category="Mobility and flexibility for everyday life")
    make_habit(app, user["id"], LONG_WORD, icon="🫁")
    make_habit(app, user["id"], "Drink water slowly through the whole day", **numeric("2500", "millilitres"))
    make_habit(app, user["id"], "Walk", frequency="weekly", times_per_week=3, **numeric("12.5", "kilometres"))
    with app.app_context():
        for habit in db.session.scalars(sa.select(Habit)):
            habit.current_streak = 365  # the widest streak text a row shows
        db.session.commit()
    log_in(phone_page, user["username"])
    expect(phone_page.locator(".habit-row")).to_have_count(4)
    phone_page.locator("details.note summary").first.click()

    assert_fits(phone_page)


def test_habit_pages_with_a_long_name_fit_a_phone(phone_page, app, user, log_in):
    long_one = make_habit(app, user["id"], LONG_WORD, icon="🫁", category="Mobility and flexibility for everyday life")
    make_habit(app, user["id"], "Walk", frequency="weekly", times_per_week=3, **numeric("12.5", "kilometres"))
    log_in(phone_page, user["username"])

    for path in ("/habits", f"/habits/{long_one}", f"/habits/{long_one}/edit", "/habits/new"):
        phone_page.goto(path)
        assert_fits(phone_page)


WORDS_BROKEN = """el => {
    // Each word of the name's text: one box when whole, two when the line breaks inside it.
    const text = [...el.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const broken = [];
    for (const match of text.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(text, match.index);
        range.setEnd(text, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
    }
    return {broken, width: el.getBoundingClientRect().width};
}"""


@pytest.mark.parametrize("name", ["Water", "Supplementation", "Meditation minutes"])
def test_a_number_habits_name_keeps_its_words_whole_beside_the_stepper_on_a_phone(open_page, app, user, log_in, name):
    habit = make_habit(app, user["id"], name, icon="💧", **numeric(target="2000", unit="ml"))
    page = open_page({"width": 390, "height": 844})
    log_in(page, user["username"])
    label = row(page, habit).locator(".habit-name")
    expect(label).to_be_visible()
    # 390 px and the phone widths around it: where the name shares its line with the stepper it
    # used to be squeezed to the space left and broke inside a word.
    for width in (390, 393, 400, 412, 430):
        page.set_viewport_size({"width": width, "height": 844})
        measured = label.evaluate(WORDS_BROKEN)
        assert measured["broken"] == [], f"at {width} px {name!r} breaks inside {measured['broken']}" \
                                         f" ({measured['width']:.0f} px wide)"
        # The stepper stays usable beside or below it, and nothing scrolls sideways.
        expect(row(page, habit).get_by_role("button", name=f"{name}: one more")).to_be_in_viewport()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
