"""The food log in a real browser: entries added, edited and deleted inline move the totals without a
reload, a past food picked from the suggestions fills the form (scaled to the portion), and a favorite
is logged again with one click."""

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import Food, User
from tests.conftest import PASSWORD
from tests.nutrition.conftest import add_food, foods_of


def set_calorie_target(app, user_id, kcal: int) -> None:
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == user_id).values(target_calories=kcal))
        db.session.commit()


def open_add_form(page, meal: str):
    """Open a meal's add form (closed until asked for) and return the meal's section."""
    section = page.locator(f"#meal-{meal}")
    section.locator(".meal-add > summary").click()
    expect(page.locator(f"#add-{meal}-food_name")).to_be_focused()
    return section


def mark(page) -> None:
    page.evaluate("window.__foodMarker = 42")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__foodMarker") == 42, "the page reloaded instead of swapping in place"


def test_add_a_food_inline_and_the_totals_change_without_a_reload(app, signed_in, user, today, browser_errors):
    browser_errors.allow_status(422)
    set_calorie_target(app, user["id"], 600)
    page = signed_in
    page.goto("/food/")
    mark(page)
    totals = page.locator("#day-totals")
    expect(totals.locator("[data-total=calories]")).to_have_text("0")

    lunch = open_add_form(page, "lunch")
    lunch.get_by_label("Food").fill("Chicken salad")
    lunch.get_by_label("Portion").fill("1 bowl")
    lunch.get_by_label("Calories (kcal)").fill("450")
    lunch.get_by_label("Protein (g)").fill("35")
    lunch.get_by_role("button", name="Add to lunch").click()

    expect(page.locator("#meal-lunch .food-row")).to_have_count(1)
    expect(page.locator("#meal-lunch")).to_contain_text("Chicken salad")
    expect(page.locator("#subtotal-lunch")).to_contain_text("450 kcal")
    expect(totals.locator("[data-total=calories]")).to_have_text("450")
    expect(totals).to_contain_text("150 kcal left")
    # Ready for the next entry: the form is empty again and has the focus.
    expect(page.locator("#add-lunch-food_name")).to_have_value("")
    expect(page.locator("#add-lunch-food_name")).to_be_focused()

    # Over the target: visible as such.
    snack = open_add_form(page, "snack")
    snack.get_by_label("Food").fill("Brownie")
    snack.get_by_label("Calories (kcal)").fill("270")
    snack.get_by_role("button", name="Add to snacks").click()
    expect(totals.locator("[data-total=calories]")).to_have_text("720")
    expect(totals).to_contain_text("120 kcal over")
    expect(totals).to_have_class("card food-totals is-over")

    # A refused value: the error inline, what was typed kept, nothing saved.
    snack.get_by_label("Food").fill("Mystery")
    snack.get_by_label("Calories (kcal)").fill("-5")
    snack.get_by_role("button", name="Add to snacks").click()
    expect(page.locator("#add-snack-calories-error")).to_have_text("Enter 0 to 99999 kcal.")
    expect(page.locator("#add-snack-food_name")).to_have_value("Mystery")

    # Delete inline: the totals follow.
    page.get_by_role("button", name="Delete Brownie").click()
    expect(totals.locator("[data-total=calories]")).to_have_text("450")
    assert_not_reloaded(page)
    assert sorted(f["food_name"] for f in foods_of(app, user["id"])) == ["Chicken salad"]


def test_edit_an_entry_inline(app, signed_in, user, today):
    food_id = add_food(app, user["id"], today, "dinner", "Pasta", calories=Decimal(600))
    page = signed_in
    page.goto("/food/")
    mark(page)
    page.get_by_role("link", name="Edit Pasta").click()
    row = page.locator(f"#food-{food_id}")
    row.get_by_label("Calories (kcal)").fill("640")
    row.get_by_label("Meal").select_option("lunch")
    row.get_by_role("button", name="Save").click()
    expect(page.locator("#meal-lunch")).to_contain_text("Pasta")
    expect(page.locator("#meal-dinner")).not_to_contain_text("Pasta")
    expect(page.locator("#day-totals [data-total=calories]")).to_have_text("640")
    assert_not_reloaded(page)


def test_pick_a_suggestion_and_the_fields_are_filled_scaled_to_the_portion(app, signed_in, user, today):
    add_food(app, user["id"], today - timedelta(days=1), "breakfast", "Granola", portion_size="100 g",
             calories=Decimal(350), protein_grams=Decimal(10), carbs_grams=Decimal(60))
    page = signed_in
    page.goto("/food/")
    mark(page)
    breakfast = open_add_form(page, "breakfast")
    breakfast.get_by_label("Portion").fill("150 g")
    # One input event, so one answer: on a slow machine, typed keys could send two requests and the
    # later answer replace the list after the arrow key moved into it.
    breakfast.get_by_label("Food").fill("gran")
    suggestion = breakfast.get_by_role("button", name="Granola")
    expect(suggestion).to_be_visible()
    # The keyboard reaches the suggestions: arrow down to one, Enter picks it.
    page.locator("#add-breakfast-food_name").press("ArrowDown")
    expect(suggestion).to_be_focused()
    suggestion.press("Enter")

    expect(page.locator("#add-breakfast-food_name")).to_have_value("Granola")
    expect(page.locator("#add-breakfast-calories")).to_have_value("525")
    expect(page.locator("#add-breakfast-protein_grams")).to_have_value("15")
    expect(page.locator("#add-breakfast-carbs_grams")).to_have_value("90")
    expect(page.locator("#add-breakfast-portion_size")).to_have_value("150 g")

    # Changing the portion of a picked food scales again.
    page.locator("#add-breakfast-portion_size").fill("50 g")
    page.locator("#add-breakfast-portion_size").press("Tab")
    expect(page.locator("#add-breakfast-calories")).to_have_value("175")

    page.locator("#meal-breakfast").get_by_role("button", name="Add to breakfast").click()
    expect(page.locator("#day-totals [data-total=calories]")).to_have_text("175")
    assert_not_reloaded(page)
    with app.app_context():
        added = db.session.scalars(sa.select(Food).where(Food.meal_date == today)).one()
        assert (added.food_name, added.portion_size, added.calories) == ("Granola", "50 g", Decimal(175))


def answer_arrives_for(page, typed: str) -> None:
    """The suggestions for ``typed`` arrive while the focus stays where it is (as an answer to
    earlier typing would): the field's text changes without moving the keyboard."""
    with page.expect_response(lambda r: "/suggest" in r.url and f"food_name={typed}" in r.url):
        page.evaluate("""(typed) => {
            const input = document.getElementById("add-breakfast-food_name");
            input.value = typed;
            input.dispatchEvent(new Event("input", {bubbles: true}));
        }""", typed)


def test_a_late_answer_keeps_the_keyboard_on_its_suggestion(app, signed_in, user, today):
    """Typing ahead of the server: the answer for earlier keys arrives after the arrow key moved into
    the list. The new list keeps the focus on the same suggestion, so Enter still picks it."""
    for day_back, name in ((1, "Granola"), (2, "Grapes")):
        add_food(app, user["id"], today - timedelta(days=day_back), "breakfast", name, calories=Decimal(100))
    page = signed_in
    page.goto("/food/")
    breakfast = open_add_form(page, "breakfast")
    food = page.locator("#add-breakfast-food_name")
    food.fill("gra")
    granola = breakfast.get_by_role("button", name="Granola")
    expect(breakfast.get_by_role("button", name="Grapes")).to_be_visible()
    food.press("ArrowDown")  # the most recent first
    expect(granola).to_be_focused()
    # The answer for later typing lands while the keyboard is in the list.
    answer_arrives_for(page, "gran")
    expect(breakfast.get_by_role("button", name="Grapes")).to_have_count(0)
    expect(granola).to_be_focused()
    # A list with nothing left to pick hands the keyboard back to the input.
    answer_arrives_for(page, "zz")
    expect(granola).to_have_count(0)
    expect(food).to_be_focused()


def test_one_click_add_from_favorites_and_star_a_food(app, signed_in, user, today):
    add_food(app, user["id"], today - timedelta(days=3), "breakfast", "Porridge", portion_size="1 bowl",
             calories=Decimal(300), is_favorite=True)
    add_food(app, user["id"], today - timedelta(days=1), "snack", "Apple", calories=Decimal(80))
    page = signed_in
    page.goto("/food/")
    mark(page)
    quick = page.locator("#quick-add")
    quick.get_by_label("Meal for Porridge").select_option("breakfast")
    quick.get_by_role("button", name="Add Porridge").click()
    expect(page.locator("#meal-breakfast")).to_contain_text("Porridge")
    expect(page.locator("#day-totals [data-total=calories]")).to_have_text("300")

    # A recent food, then starred: it moves to the favorites.
    quick.get_by_label("Meal for Apple").select_option("snack")
    quick.get_by_role("button", name="Add Apple").click()
    expect(page.locator("#meal-snack")).to_contain_text("Apple")
    page.locator("#meal-snack").get_by_role("button", name="Favorite: Apple").click()
    expect(page.locator("#meal-snack").get_by_role("button", name="Favorite: Apple")).to_have_attribute(
        "aria-pressed", "true")
    expect(page.locator("#quick-add .quick-favorites")).to_contain_text("Apple")
    expect(page.locator("#day-totals [data-total=calories]")).to_have_text("380")
    assert_not_reloaded(page)


def test_copy_yesterdays_breakfast_and_use_the_page_at_phone_width(app, phone_page, user, today, log_in):
    add_food(app, user["id"], today - timedelta(days=1), "breakfast", "Eggs", calories=Decimal(180))
    add_food(app, user["id"], today - timedelta(days=1), "breakfast", "Toast", calories=Decimal(120))
    page = phone_page
    log_in(page, user["username"])
    page.goto("/food/")
    mark(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px screen"
    page.locator("#meal-breakfast").get_by_text("Copy breakfast from another day").click()
    page.locator("#meal-breakfast").get_by_role("button", name="Copy into breakfast").click()
    expect(page.locator("#meal-breakfast .food-row")).to_have_count(2)
    expect(page.locator("#day-totals [data-total=calories]")).to_have_text("300")
    assert_not_reloaded(page)


PHONE = {"width": 390, "height": 844}


def test_on_a_phone_meal_forms_open_on_demand_and_quick_add_stays_in_reach(app, open_page, user, today, log_in):
    for back, meal, name, kcal in ((1, "breakfast", "Porridge", 300), (1, "lunch", "Soup", 250), (2, "dinner", "Curry", 640),
                                   (2, "snack", "Apple", 80), (3, "breakfast", "Toast", 200), (3, "lunch", "Salad", 420)):
        add_food(app, user["id"], today - timedelta(days=back), meal, name, calories=Decimal(kcal),
                 is_favorite=name == "Porridge")
    add_food(app, user["id"], today, "breakfast", "Banana", calories=Decimal(105))
    page = open_page(PHONE)
    log_in(page, user["username"])
    page.goto("/food/")
    mark(page)
    # No meal's form is open: four closed forms instead of four open ones keep the page short.
    for meal in ("breakfast", "lunch", "dinner", "snack"):
        expect(page.locator(f"#add-{meal}-food_name")).to_be_hidden()
        expect(page.locator(f"#meal-{meal} .meal-add > summary")).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2600, f"the food page is {height} px tall on a phone"
    # Favorites and recent foods are one tap away.
    quick = page.locator("#quick-add")
    for name in ("Porridge", "Soup", "Curry", "Apple", "Toast", "Salad"):
        expect(quick.get_by_role("button", name=f"Add {name}")).to_be_visible()
    quick.get_by_role("button", name="Add Porridge").click()
    expect(page.locator("#meal-breakfast")).to_contain_text("Porridge")
    expect(page.locator("#day-totals [data-total=calories]")).to_have_text("405")

    # Opening a meal's form moves the focus into it; after an entry it stays open for the next one.
    dinner = open_add_form(page, "dinner")
    expect(page.locator("#add-breakfast-food_name")).to_be_hidden()
    dinner.get_by_label("Food").fill("Rice")
    dinner.get_by_label("Calories (kcal)").fill("200")
    dinner.get_by_role("button", name="Add to dinner").click()
    expect(page.locator("#meal-dinner .food-row")).to_have_count(1)
    expect(page.locator("#add-dinner-food_name")).to_be_focused()
    expect(page.locator("#add-dinner-food_name")).to_have_value("")
    # The other meals' forms stay closed.
    expect(page.locator("#add-lunch-food_name")).to_be_hidden()
    assert_not_reloaded(page)


def test_a_meal_form_opens_and_adds_without_javascript(app, browser, live_server, user, today):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Email or username").fill(user["username"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto("/food/")
        lunch = page.locator("#meal-lunch")
        expect(lunch.get_by_label("Food")).to_be_hidden()
        lunch.locator(".meal-add > summary").click()
        lunch.get_by_label("Food").fill("Chicken salad")
        lunch.get_by_label("Calories (kcal)").fill("-1")
        lunch.get_by_role("button", name="Add to lunch").click()
        # Refused: the page comes back with that form open, the error and what was typed in it.
        lunch = page.locator("#meal-lunch")
        expect(lunch.get_by_text("Enter 0 to 99999 kcal.")).to_be_visible()
        expect(lunch.get_by_label("Food")).to_have_value("Chicken salad")
        lunch.get_by_label("Calories (kcal)").fill("450")
        lunch.get_by_role("button", name="Add to lunch").click()
        expect(page.locator("#meal-lunch .food-row")).to_have_count(1)
    finally:
        context.close()
    assert [f["food_name"] for f in foods_of(app, user["id"])] == ["Chicken salad"]
