"""Tags in a real browser: on a habit page, typing shows suggestions from the user's tags, picking
one adds its chip without a reload, and a chip's × removes it."""

from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import User
from manifest.tags import services
from tests.tags.support import links, make_goal, make_habit, tags_of


def mark(page) -> None:
    page.evaluate("window.__tagsMarker = 42")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__tagsMarker") == 42, "the page reloaded instead of swapping in place"


def test_add_a_tag_from_the_suggestions_on_a_habit_page(app, signed_in, user):
    page = signed_in
    goal = make_goal(app, user["id"], "Get fit")
    habit = make_habit(app, user["id"], "Morning run")
    # The user already uses "Health" elsewhere, so typing suggests it.
    page.goto(f"/goals/{goal}")
    editor = page.locator(f"#tags-goal-{goal}")
    editor.get_by_label("Add a tag").fill("Health")
    editor.get_by_role("button", name="Add", exact=True).click()
    expect(editor.get_by_role("link", name="Health")).to_be_visible()

    page.goto(f"/habits/{habit}")
    mark(page)
    editor = page.locator(f"#tags-habit-{habit}")
    field = editor.get_by_label("Add a tag")
    field.press_sequentially("hea", delay=30)
    suggestion = editor.get_by_role("button", name="Health")
    expect(suggestion).to_be_visible()
    expect(editor.get_by_role("button", name="Create “hea”")).to_be_visible()
    suggestion.click()
    expect(editor.get_by_role("link", name="Health")).to_be_visible()
    expect(page.locator(f"#tags-habit-{habit}").get_by_label("Add a tag")).to_have_value("")
    expect(page.locator(f"#tags-habit-{habit}").get_by_label("Add a tag")).to_be_focused()  # ready for the next
    assert_not_reloaded(page)
    assert ("Health", "habit", habit) in links(app)
    assert tags_of(app, user["id"]) == {"Health": 2}

    # A brand-new tag by typing and pressing Enter, then removing it with its ×.
    field = page.locator(f"#tags-habit-{habit}").get_by_label("Add a tag")
    field.fill("Outdoors")
    field.press("Enter")
    expect(page.locator(f"#tags-habit-{habit}").get_by_role("link", name="Outdoors")).to_be_visible()
    page.locator(f"#tags-habit-{habit}").get_by_role("button", name="Remove tag Outdoors").click()
    expect(page.locator(f"#tags-habit-{habit}").get_by_role("link", name="Outdoors")).to_have_count(0)
    assert_not_reloaded(page)
    assert tags_of(app, user["id"]) == {"Health": 2, "Outdoors": 0}

    # The chip leads to the tag's page, which lists both.
    page.locator(f"#tags-habit-{habit}").get_by_role("link", name="Health").click()
    expect(page.get_by_role("heading", name="Health", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Morning run")).to_be_visible()
    expect(page.get_by_role("link", name="Get fit")).to_be_visible()


def test_the_tag_editor_works_at_phone_width(app, phone_page, user, log_in):
    page = phone_page
    log_in(page, user["username"])
    habit = make_habit(app, user["id"], "Stretch")
    page.goto(f"/habits/{habit}")
    editor = page.locator(f"#tags-habit-{habit}")
    editor.get_by_label("Add a tag").fill("Mobility")
    editor.get_by_role("button", name="Add", exact=True).click()
    expect(editor.get_by_role("link", name="Mobility")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width}px)"


def test_rename_onto_an_existing_tag_offers_the_merge_in_place(app, signed_in, user, browser_errors):
    habit = make_habit(app, user["id"], "Morning run")
    goal = make_goal(app, user["id"], "Get fit")
    with app.app_context():
        me = db.session.get(User, user["id"])
        services.add_tag(me, "habit", habit, "Running")
        services.add_tag(me, "goal", goal, "Fitness")
    browser_errors.allow_status(422)  # the clash is answered as a form error
    page = signed_in
    page.goto("/tags/")
    mark(page)
    running = page.locator("li", has=page.get_by_text("Edit “Running”"))
    running.get_by_text("Edit “Running”").click()
    running.get_by_label("Name").fill("fitness")
    running.get_by_role("button", name="Rename").click()
    merge = page.get_by_role("button", name="Merge into “Fitness”")
    expect(merge).to_be_visible()
    merge.click()
    expect(page.get_by_text("Edit “Running”")).to_have_count(0)
    assert_not_reloaded(page)
    assert tags_of(app, user["id"]) == {"Fitness": 2}
    assert links(app) == {("Fitness", "habit", habit), ("Fitness", "goal", goal)}


def test_a_tag_region_follows_changes_made_in_another_region_of_the_page(app, signed_in, user):
    """Two rows' tag editors on one page: tagging one reloads the other from its own URL (it may show
    the same tags), while the one that was used keeps its answer and the cursor."""
    page = signed_in
    habit = make_habit(app, user["id"], "Morning run")
    goal = make_goal(app, user["id"], "Get fit")
    page.goto(f"/habits/{habit}")
    mark(page)
    own = page.locator(f"#tags-habit-{habit}")
    expect(own.get_by_label("Add a tag")).to_be_visible()
    # A second row's editor on the same page, embedded the way every area embeds one (tags/_lazy.html).
    page.evaluate("""(url) => {
        const shell = document.createElement("section");
        shell.setAttribute("hx-get", url);
        shell.setAttribute("hx-trigger", "load");
        shell.setAttribute("hx-swap", "outerHTML");
        document.querySelector("main").appendChild(shell);
        htmx.process(shell);
    }""", f"/tags/rows/goal/{goal}")
    other = page.locator(f"#tags-goal-{goal}")
    expect(other.get_by_text("No tags yet.")).to_be_visible()
    # Meanwhile the goal was tagged somewhere else (another tab, say).
    with app.app_context():
        services.add_tag(db.session.get(User, user["id"]), "goal", goal, "Outdoors")
    page.evaluate("id => { document.getElementById(id).dataset.stale = 'yes' }", f"tags-goal-{goal}")

    field = own.get_by_label("Add a tag")
    field.fill("Health")
    field.press("Enter")
    expect(own.get_by_role("link", name="Health")).to_be_visible()
    # The other editor reloaded itself on tags-changed and now shows what it has.
    expect(other.get_by_role("link", name="Outdoors")).to_be_visible()
    expect(page.locator(f"#tags-goal-{goal}[data-stale]")).to_have_count(0)
    # The editor that was used was not reloaded over its own answer: the cursor is still in it.
    expect(page.locator(f"#tags-habit-{habit}").get_by_label("Add a tag")).to_be_focused()
    assert_not_reloaded(page)


def test_suggestions_follow_the_typing_across_pauses(app, signed_in, user):
    """Type "c", pause, type "ardio": each pause asks again and the list follows what is typed (the
    first answer used to replace the suggestions box itself, so later answers had nowhere to go)."""
    page = signed_in
    habit = make_habit(app, user["id"], "Morning run")
    with app.app_context():
        services.add_tag(db.session.get(User, user["id"]), "habit", make_habit(app, user["id"], "Swim"), "Cardio")
    page.goto(f"/habits/{habit}")
    editor = page.locator(f"#tags-habit-{habit}")
    field = editor.get_by_label("Add a tag")
    field.press_sequentially("c")
    expect(editor.get_by_role("button", name="Create “c”")).to_be_visible()
    field.press_sequentially("ard", delay=20)
    page.wait_for_timeout(400)  # a pause longer than the suggestions' delay
    field.press_sequentially("io", delay=20)
    expect(editor.get_by_role("button", name="Create “c”")).to_have_count(0)
    expect(editor.get_by_role("button", name="Create “card”")).to_have_count(0)
    expect(editor.get_by_role("button", name="Cardio")).to_be_visible()
    # "Cardio" exists, so there is no offer to create it again.
    expect(editor.get_by_role("button", name="Create “cardio”")).to_have_count(0)
    editor.get_by_role("button", name="Cardio").click()
    expect(page.locator(f"#tags-habit-{habit}").get_by_role("link", name="Cardio")).to_be_visible()
    assert tags_of(app, user["id"]) == {"Cardio": 2}
