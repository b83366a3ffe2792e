"""The food log pages and actions, with and without htmx."""

from datetime import time, timedelta
from decimal import Decimal

import pytest

from tests.conftest import HX, shows_number
from tests.nutrition.conftest import (
    add_food,
    foods_of,
    meals_part,
    quick_part,
    set_targets,
)

ENTRY = {
    "food_name": "Greek yogurt", "portion_size": "150 g", "meal_time": "08:15", "calories": "130",
    "protein_grams": "15", "carbs_grams": "6,5", "fats_grams": "4", "fiber_grams": "0", "sugar_grams": "5",
    "sodium_mg": "60", "notes": "with honey",
}


def body_of(response) -> str:
    return response.get_data(as_text=True)


# --- the day page ----------------------------------------------------------------------------

def test_day_page_shows_the_four_meals_with_their_entries_and_totals(app, auth_client, user, today):
    set_targets(app, user["id"], target_calories=2000, target_protein_g=100)
    add_food(app, user["id"], today, "breakfast", "Oatmeal", calories=Decimal(350), protein_grams=Decimal(12))
    add_food(app, user["id"], today, "dinner", "Pasta", calories=Decimal(700), protein_grams=Decimal(25))
    add_food(app, user["id"], today - timedelta(days=1), "dinner", "Yesterday's pizza", calories=Decimal(900))
    response = auth_client.get("/food/")
    body = body_of(response)
    assert response.status_code == 200
    for meal in ("breakfast", "lunch", "dinner", "snack"):
        assert f'id="meal-{meal}"' in body
        assert f'action="/food/{today.isoformat()}/{meal}"' in body
    meals = meals_part(body)
    assert "Oatmeal" in meals and "Pasta" in meals and "pizza" not in meals
    assert "Yesterday&#39;s pizza" in quick_part(body)  # a recent food, one click away
    assert '<strong data-total="calories">1050</strong> kcal of 2000' in body
    assert "950 kcal left" in body
    assert "HX-Request" in response.headers["Vary"]


def test_day_page_takes_a_day_and_refuses_a_bad_one(app, auth_client, user, today):
    add_food(app, user["id"], today - timedelta(days=1), "lunch", "Soup", calories=Decimal(200))
    body = body_of(auth_client.get(f"/food/?day={(today - timedelta(days=1)).isoformat()}"))
    assert "Soup" in body and 'rel="next"' in body
    assert auth_client.get("/food/?day=2024-13-01").status_code == 400
    assert auth_client.get("/food/?day=yesterday").status_code == 400


def test_over_target_is_shown_with_its_own_style_and_text(app, auth_client, user, today):
    set_targets(app, user["id"], target_calories=500, target_sodium_mg=100)
    add_food(app, user["id"], today, "lunch", "Burger", calories=Decimal(620), sodium_mg=90)
    body = body_of(auth_client.get("/food/"))
    assert "120 kcal over" in body
    assert 'class="card food-totals is-over"' in body
    assert 'class="target-row is-over" data-nutrient="calories"' in body
    assert 'class="target-row" data-nutrient="sodium_mg"' in body


def test_without_targets_the_day_points_to_settings(auth_client):
    body = body_of(auth_client.get("/food/"))
    assert "Set daily targets" in body and "/settings#targets-form" in body


def test_meal_forms_open_only_where_they_are_in_use(app, auth_client, user, today):
    """Closed on a fresh page (a short page on a phone); open after an entry went in, when refused
    and when filled from a past food, with and without JavaScript."""
    def opened(body: str) -> set[str]:
        return {m for m in ("breakfast", "lunch", "dinner", "snack")
                if f'<details id="add-{m}-disclosure" class="meal-add" open>' in body}

    def closed(body: str) -> set[str]:
        return {m for m in ("breakfast", "lunch", "dinner", "snack")
                if f'<details id="add-{m}-disclosure" class="meal-add">' in body}

    page = body_of(auth_client.get("/food/"))
    assert closed(page) == {"breakfast", "lunch", "dinner", "snack"} and not opened(page)
    added = body_of(auth_client.post(f"/food/{today.isoformat()}/lunch", data=ENTRY, headers=HX))
    assert opened(added) == {"lunch"}
    refused = auth_client.post(f"/food/{today.isoformat()}/dinner", data={**ENTRY, "calories": "-1"})
    assert refused.status_code == 422 and opened(body_of(refused)) == {"dinner"}
    food_id = foods_of(app, user["id"])[0]["id"]
    filled = body_of(auth_client.get(f"/food/{today.isoformat()}/snack/fill/{food_id}"))
    assert opened(filled) == {"snack"} and 'value="Greek yogurt"' in filled


# --- adding ----------------------------------------------------------------------------------

def test_adding_with_htmx_answers_the_meal_totals_and_quick_lists_out_of_band(app, auth_client, user, today):
    set_targets(app, user["id"], target_calories=1000)
    add_food(app, user["id"], today, "lunch", "Apple", calories=Decimal(80))
    response = auth_client.post(f"/food/{today.isoformat()}/breakfast", data=ENTRY, headers=HX)
    body = body_of(response)
    assert response.status_code == 200
    assert "<html" not in body
    assert '<section id="meal-breakfast" class="card meal" aria-labelledby="meal-breakfast-title" hx-swap-oob="true">' in body
    assert 'id="meal-lunch"' not in body  # only what changed
    assert 'id="day-totals"' in body and '<strong data-total="calories">210</strong> kcal of 1000' in body
    assert 'id="quick-add"' in body
    assert "autofocus" in body  # ready for the next entry
    [yogurt] = [f for f in foods_of(app, user["id"]) if f["food_name"] == "Greek yogurt"]
    assert yogurt["meal_type"] == "breakfast" and yogurt["meal_date"] == today
    assert yogurt["carbs_grams"] == Decimal("6.5") and yogurt["sodium_mg"] == 60
    assert yogurt["meal_time"] == time(8, 15) and yogurt["notes"] == "with honey" and yogurt["portion_size"] == "150 g"


def test_adding_without_javascript_redirects_to_the_meal(app, auth_client, user, today):
    response = auth_client.post(f"/food/{today.isoformat()}/snack", data={"food_name": "  Banana  "})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/food/#meal-snack")
    [banana] = foods_of(app, user["id"])
    assert banana["food_name"] == "Banana" and banana["calories"] is None and banana["meal_type"] == "snack"


def test_adding_to_another_day_redirects_to_that_day(app, auth_client, user, today):
    day = today - timedelta(days=3)
    response = auth_client.post(f"/food/{day.isoformat()}/dinner", data={"food_name": "Rice"})
    assert response.headers["Location"].endswith(f"/food/?day={day.isoformat()}#meal-dinner")
    assert foods_of(app, user["id"])[0]["meal_date"] == day


BAD_VALUES = [
    ("calories", "-5", "Enter 0 to 99999 kcal."),
    ("calories", "1000000000", "Enter 0 to 99999 kcal."),
    ("calories", "lots", "Enter a number"),
    ("calories", "NaN", "Enter a number"),
    ("protein_grams", "1000000000", "Enter 0 to 9999.99 g."),
    ("carbs_grams", "-1", "Enter 0 to 9999.99 g."),
    ("fats_grams", "1e9", "Enter 0 to 9999.99 g."),
    ("sugar_grams", "ten", "Enter a number"),
    ("sodium_mg", "12.5", "Not a valid integer"),
    ("sodium_mg", "99999999999", "Enter 0 to 999999 mg."),
    ("food_name", "", "Name the food."),
    ("food_name", "x" * 256, "Field cannot be longer than 255 characters."),
    ("meal_time", "25:99", "Not a valid time"),
    ("portion_size", "p" * 101, "Field cannot be longer than 100 characters."),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_VALUES)
def test_bad_input_is_a_form_error_and_nothing_is_saved(app, auth_client, user, today, name, value, message):
    data = {**ENTRY, name: value}
    response = auth_client.post(f"/food/{today.isoformat()}/lunch", data=data, headers=HX)
    body = body_of(response)
    assert response.status_code == 422
    assert message in body
    assert f'id="add-lunch-{name}-error"' in body
    assert 'value="Greek yogurt"' in body or name == "food_name"  # what was typed is kept
    assert foods_of(app, user["id"]) == []
    # Without JavaScript: the whole page, with the errors, still nothing saved.
    response = auth_client.post(f"/food/{today.isoformat()}/lunch", data=data)
    assert response.status_code == 422
    assert "<html" in body_of(response) and message in body_of(response)
    assert foods_of(app, user["id"]) == []


def test_a_nul_character_is_refused_not_a_crash(app, auth_client, user, today):
    response = auth_client.post(f"/food/{today.isoformat()}/lunch", data={"food_name": "Tea\x00"}, headers=HX)
    assert response.status_code == 422
    assert foods_of(app, user["id"]) == []


def test_an_unknown_meal_or_a_bad_day_is_not_found_or_refused(app, auth_client, user, today):
    assert auth_client.post(f"/food/{today.isoformat()}/brunch", data=ENTRY).status_code == 404
    assert auth_client.post("/food/2024-02-30/lunch", data=ENTRY).status_code == 400
    assert foods_of(app, user["id"]) == []


def test_logging_a_starred_food_again_keeps_it_a_favorite(app, auth_client, user, today):
    add_food(app, user["id"], today - timedelta(days=1), "lunch", "Greek Yogurt", is_favorite=True)
    auth_client.post(f"/food/{today.isoformat()}/breakfast", data=ENTRY)
    assert all(f["is_favorite"] for f in foods_of(app, user["id"]))


# --- editing and deleting ----------------------------------------------------------------------

def test_edit_form_opens_inline_with_htmx_and_as_a_page_without(app, auth_client, user, today):
    food_id = add_food(app, user["id"], today, "lunch", "Soup", calories=Decimal("210.50"))
    response = auth_client.get(f"/food/{food_id}/edit", headers=HX)
    body = body_of(response)
    assert response.status_code == 200 and "<html" not in body
    assert body.startswith(f'\n          <li id="food-{food_id}"') or f'<li id="food-{food_id}"' in body[:200]
    assert 'value="210.5"' in body and f'id="edit-{food_id}-calories"' in body
    response = auth_client.get(f"/food/{food_id}/edit")
    assert response.status_code == 303
    page = body_of(auth_client.get(response.headers["Location"]))
    assert f'id="edit-{food_id}-food_name"' in page
    # Cancel goes back to the row as shown.
    row = body_of(auth_client.get(f"/food/{food_id}", headers=HX))
    assert "Soup" in row and "edit-" not in row
    assert auth_client.get(f"/food/{food_id}").status_code == 303


def test_editing_saves_and_answers_both_meals_when_the_meal_changes(app, auth_client, user, today):
    food_id = add_food(app, user["id"], today, "lunch", "Soup", calories=Decimal(200))
    data = {**ENTRY, "food_name": "Lentil soup", "meal_type": "dinner", "calories": "250"}
    response = auth_client.post(f"/food/{food_id}/edit", data=data, headers=HX)
    body = body_of(response)
    assert response.status_code == 200
    assert 'id="meal-lunch"' in body and 'id="meal-dinner"' in body
    assert '<strong data-total="calories">250</strong>' in body
    [soup] = foods_of(app, user["id"])
    assert (soup["food_name"], soup["meal_type"], soup["calories"]) == ("Lentil soup", "dinner", Decimal(250))
    response = auth_client.post(f"/food/{food_id}/edit", data={**data, "calories": "300"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#meal-dinner")


def test_a_bad_edit_is_refused_inline_and_changes_nothing(app, auth_client, user, today):
    food_id = add_food(app, user["id"], today, "lunch", "Soup", calories=Decimal(200))
    before = foods_of(app, user["id"])
    for bad in ({"calories": "-1"}, {"protein_grams": "1000000000"}, {"meal_type": "brunch"}, {"food_name": ""}):
        response = auth_client.post(f"/food/{food_id}/edit", data={**ENTRY, "meal_type": "lunch", **bad}, headers=HX)
        assert response.status_code == 422, bad
        assert f'id="edit-{food_id}-' in body_of(response)
        response = auth_client.post(f"/food/{food_id}/edit", data={**ENTRY, "meal_type": "lunch", **bad})
        assert response.status_code == 422 and "<html" in body_of(response)
    assert foods_of(app, user["id"]) == before


def test_deleting_removes_the_entry_and_updates_the_totals(app, auth_client, user, today):
    keep = add_food(app, user["id"], today, "lunch", "Salad", calories=Decimal(150))
    gone = add_food(app, user["id"], today, "lunch", "Cake", calories=Decimal(400))
    response = auth_client.post(f"/food/{gone}/delete", headers=HX)
    body = body_of(response)
    assert response.status_code == 200
    assert "Cake" not in meals_part(body)
    assert '<strong data-total="calories">150</strong>' in body
    assert [f["id"] for f in foods_of(app, user["id"])] == [keep]
    response = auth_client.post(f"/food/{keep}/delete")
    assert response.status_code == 303 and foods_of(app, user["id"]) == []


# --- favorites, recent, repeat, copy --------------------------------------------------------------

def test_starring_a_food_stars_every_entry_of_that_name_and_lists_it_once(app, auth_client, user, today):
    old = add_food(app, user["id"], today - timedelta(days=5), "breakfast", "oatmeal", calories=Decimal(300))
    new = add_food(app, user["id"], today, "breakfast", "Oatmeal", calories=Decimal(350))
    add_food(app, user["id"], today, "snack", "Apple")
    response = auth_client.post(f"/food/{new}/favorite", data={"favorite": "1"}, headers=HX)
    body = body_of(response)
    assert response.status_code == 200
    assert 'aria-pressed="true"' in body
    quick = quick_part(body)
    favorites = quick.split("<h3>Recent</h3>")[0]
    assert favorites.count("quick-item") == 1 and "350 kcal" in favorites
    assert "Apple" in quick.split("<h3>Recent</h3>")[1]
    stars = {f["id"]: f["is_favorite"] for f in foods_of(app, user["id"])}
    assert stars[old] and stars[new] and sum(stars.values()) == 2
    response = auth_client.post(f"/food/{old}/favorite", data={"favorite": "0"})
    assert response.status_code == 303
    assert not any(f["is_favorite"] for f in foods_of(app, user["id"]))


def test_one_click_add_from_favorites_logs_the_food_again_in_the_chosen_meal(app, auth_client, user, today):
    fav = add_food(app, user["id"], today - timedelta(days=2), "breakfast", "Oatmeal", portion_size="80 g",
                   calories=Decimal(300), protein_grams=Decimal(10), is_favorite=True, notes="old note",
                   meal_time=time(7, 0))
    body = body_of(auth_client.get("/food/"))
    assert f'action="/food/{fav}/repeat"' in body
    response = auth_client.post(f"/food/{fav}/repeat", data={"day": today.isoformat(), "meal_type": "snack"},
                                headers=HX)
    assert response.status_code == 200
    assert 'id="meal-snack"' in body_of(response) and '<strong data-total="calories">300</strong>' in body_of(response)
    copy = [f for f in foods_of(app, user["id"]) if f["meal_date"] == today]
    assert len(copy) == 1
    assert (copy[0]["meal_type"], copy[0]["portion_size"], copy[0]["calories"], copy[0]["is_favorite"]) == (
        "snack", "80 g", Decimal(300), True)
    assert copy[0]["notes"] is None and copy[0]["meal_time"] is None
    response = auth_client.post(f"/food/{fav}/repeat", data={"day": today.isoformat(), "meal_type": "lunch"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#meal-lunch")


def test_a_bad_repeat_is_refused_and_saves_nothing(app, auth_client, user, today):
    fav = add_food(app, user["id"], today, "breakfast", "Oatmeal", is_favorite=True)
    for data in ({"day": today.isoformat(), "meal_type": "brunch"}, {"day": "soon", "meal_type": "lunch"},
                 {"day": "9999-12-31", "meal_type": "lunch"}, {"day": "0001-01-01", "meal_type": "lunch"}):
        response = auth_client.post(f"/food/{fav}/repeat", data=data, headers=HX)
        assert response.status_code == 422
        assert 'id="quick-add"' in body_of(response) and "form-error" in body_of(response)
        assert auth_client.post(f"/food/{fav}/repeat", data=data).status_code == 422
    assert len(foods_of(app, user["id"])) == 1


def test_copy_yesterdays_breakfast_by_default(app, auth_client, user, today):
    yesterday = today - timedelta(days=1)
    add_food(app, user["id"], yesterday, "breakfast", "Eggs", calories=Decimal(180), meal_time=time(7, 30))
    add_food(app, user["id"], yesterday, "breakfast", "Toast", calories=Decimal(120))
    add_food(app, user["id"], yesterday, "lunch", "Soup", calories=Decimal(300))
    page = body_of(auth_client.get("/food/"))
    assert f'id="copy-breakfast-from_day" name="from_day" required type="date" value="{yesterday.isoformat()}"' in page
    response = auth_client.post(f"/food/{today.isoformat()}/breakfast/copy",
                                data={"from_day": yesterday.isoformat(), "from_meal": "breakfast"}, headers=HX)
    assert response.status_code == 200
    assert '<strong data-total="calories">300</strong>' in body_of(response)
    copied = sorted((f["food_name"], f["meal_type"]) for f in foods_of(app, user["id"]) if f["meal_date"] == today)
    assert copied == [("Eggs", "breakfast"), ("Toast", "breakfast")]


def test_copy_any_meal_of_any_day_into_another_meal(app, auth_client, user, today):
    add_food(app, user["id"], today - timedelta(days=6), "dinner", "Curry", calories=Decimal(650))
    response = auth_client.post(f"/food/{today.isoformat()}/lunch/copy",
                                data={"from_day": (today - timedelta(days=6)).isoformat(), "from_meal": "dinner"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#meal-lunch")
    assert [(f["food_name"], f["meal_type"]) for f in foods_of(app, user["id"]) if f["meal_date"] == today] == [
        ("Curry", "lunch")]


@pytest.mark.parametrize(("data", "message"), [
    ({"from_day": "", "from_meal": "breakfast"}, "Choose the day to copy from."),
    ({"from_day": "2024-01-01", "from_meal": "brunch"}, "Not a valid choice"),
    ({"from_day": "0001-01-01", "from_meal": "breakfast"}, "Choose a date between 1900 and 2999."),
    ({"from_day": "2024-01-01", "from_meal": "breakfast"}, "Nothing was logged for breakfast on Mon 1 Jan."),
])
def test_a_copy_that_cannot_happen_is_a_form_error(app, auth_client, user, today, data, message):
    response = auth_client.post(f"/food/{today.isoformat()}/breakfast/copy", data=data, headers=HX)
    assert response.status_code == 422
    assert message in body_of(response) and 'id="meal-breakfast"' in body_of(response)
    assert foods_of(app, user["id"]) == []


def test_copying_a_meal_onto_itself_is_refused(app, auth_client, user, today):
    add_food(app, user["id"], today, "lunch", "Soup")
    response = auth_client.post(f"/food/{today.isoformat()}/lunch/copy",
                                data={"from_day": today.isoformat(), "from_meal": "lunch"})
    assert response.status_code == 422 and "Choose another day or meal" in body_of(response)
    assert len(foods_of(app, user["id"])) == 1


# --- suggestions --------------------------------------------------------------------------------

def test_suggestions_list_past_foods_once_each_newest_first(app, auth_client, user, today):
    add_food(app, user["id"], today - timedelta(days=9), "breakfast", "Oatmeal", calories=Decimal(300))
    add_food(app, user["id"], today - timedelta(days=1), "breakfast", "oatmeal", calories=Decimal(350),
             portion_size="100 g")
    add_food(app, user["id"], today, "snack", "Oat cookie", calories=Decimal(90))
    add_food(app, user["id"], today, "snack", "Goat cheese", calories=Decimal(110))
    add_food(app, user["id"], today, "snack", "Banana", calories=Decimal(100))
    response = auth_client.get(f"/food/{today.isoformat()}/lunch/suggest?food_name=OAT", headers=HX)
    body = body_of(response)
    assert response.status_code == 200 and "<html" not in body
    names = [part.split("</span>")[0] for part in body.split('class="suggestion-name">')[1:]]
    assert names == ["Oat cookie", "oatmeal", "Goat cheese"]  # names starting with the text first
    assert "100 g · 350 kcal" in body and "300 kcal" not in body
    assert f"/food/{today.isoformat()}/lunch/fill/" in body
    assert body_of(auth_client.get(f"/food/{today.isoformat()}/lunch/suggest?food_name=", headers=HX)).strip() == ""
    assert "suggestion" not in body_of(auth_client.get(f"/food/{today.isoformat()}/lunch/suggest?food_name=%25"))


def test_picking_a_suggestion_fills_the_form_scaled_to_the_portion(app, auth_client, user, today):
    past = add_food(app, user["id"], today - timedelta(days=1), "breakfast", "Granola", portion_size="100 g",
                    calories=Decimal(350), protein_grams=Decimal(10), sodium_mg=15)
    url = f"/food/{today.isoformat()}/breakfast/fill/{past}"
    body = body_of(auth_client.get(url + "?portion_size=150+g&meal_time=07:45&notes=with+milk", headers=HX))
    assert '<form id="add-breakfast"' in body
    assert 'id="add-breakfast-food_name"' in body and 'value="Granola"' in body
    assert 'id="add-breakfast-calories" inputmode="decimal"' in body and 'value="525"' in body
    assert 'value="15"' in body and 'value="23"' in body  # protein 15 g; sodium 22.5 mg rounds to 23
    assert 'value="07:45"' in body and "with milk" in body and 'value="150 g"' in body
    # Without a portion typed: the past portion and values.
    body = body_of(auth_client.get(url, headers=HX))
    assert 'value="100 g"' in body and 'value="350"' in body
    # Another unit: unscaled.
    body = body_of(auth_client.get(url + "?portion_size=2+bowls", headers=HX))
    assert 'value="2 bowls"' in body and 'value="350"' in body
    # Without htmx it is the page with that form filled.
    page = auth_client.get(url + "?portion_size=50+g")
    assert page.status_code == 200 and "<html" in body_of(page) and 'value="175"' in body_of(page)


# --- the week -------------------------------------------------------------------------------------

def test_week_shows_a_chart_per_nutrient_with_the_target_and_the_average(app, auth_client, user, today):
    set_targets(app, user["id"], target_calories=2000, target_protein_g=100)
    monday = today - timedelta(days=today.weekday())
    add_food(app, user["id"], monday, "lunch", "Big lunch", calories=Decimal(2500), protein_grams=Decimal(80))
    add_food(app, user["id"], monday + timedelta(days=1), "lunch", "Small lunch", calories=Decimal(1500),
             protein_grams=Decimal(120))
    add_food(app, user["id"], monday - timedelta(days=1), "lunch", "Last week", calories=Decimal(9000))
    response = auth_client.get(f"/food/week?day={monday.isoformat()}")
    body = body_of(response)
    assert response.status_code == 200
    assert "over 2 logged days" in body
    assert "2000 / 2000 kcal" in body  # the average day, against the target
    assert body.count('class="chart-target"') == 2  # calories and protein have targets
    assert 'class="chart-bar over"><title>Mon: 2500 kcal</title>' in body
    assert 'class="chart-bar under"><title>Tue: 1500 kcal</title>' in body
    assert not shows_number(body, 9000)
    assert body.count("not logged") == 5
    fragment = auth_client.get(f"/food/week?day={monday.isoformat()}", headers=HX)
    assert 'id="food-week"' in body_of(fragment) and "<html" not in body_of(fragment)
    assert auth_client.get("/food/week?day=nope").status_code == 400


def test_an_empty_week_says_so(auth_client):
    body = body_of(auth_client.get("/food/week"))
    assert "Nothing logged this week" in body and "<svg" not in body


UNKNOWN = '<span aria-hidden="true">—</span><span class="visually-hidden">not recorded</span>'


def test_a_nutrient_no_entry_recorded_shows_as_unknown_not_as_zero(app, auth_client, user, today):
    set_targets(app, user["id"], target_calories=2000, target_fiber_g=30)
    add_food(app, user["id"], today, "lunch", "Soup", calories=Decimal(300), protein_grams=Decimal(12))
    add_food(app, user["id"], today, "lunch", "Bread", calories=Decimal(200), carbs_grams=Decimal(0))
    add_food(app, user["id"], today, "dinner", "Mystery stew")  # nothing but its name
    body = body_of(auth_client.get("/food/"))
    lunch = body.split('id="meal-lunch"', 1)[1].split("</header>", 1)[0]
    # Protein from the soup, carbs recorded as 0 on the bread, fat on neither.
    assert f"P 12 g · C 0 g · F {UNKNOWN}" in lunch
    dinner = body.split('id="meal-dinner"', 1)[1].split("</header>", 1)[0]
    assert f"<strong>{UNKNOWN}</strong> kcal" in dinner
    totals = body.split('id="day-totals"', 1)[1].split("</section>", 1)[0]
    assert '<strong data-total="calories">500</strong> kcal' in totals
    fiber = totals.split('data-nutrient="fiber_grams"', 1)[1].split("</li>", 1)[0]
    assert "is-unknown" in totals.split('data-nutrient="fiber_grams"', 1)[0].rsplit("<li", 1)[1]
    assert f"{UNKNOWN} / 30 g" in fiber and "<progress" not in fiber and "0 / 30" not in fiber
    assert "12 g" in totals.split('data-nutrient="protein_grams"', 1)[1].split("</li>", 1)[0]


def test_the_week_shows_averages_rounded_and_unrecorded_nutrients_as_unknown(app, auth_client, user, today):
    monday = today - timedelta(days=today.weekday())
    add_food(app, user["id"], monday, "lunch", "Big lunch", calories=Decimal(2500), protein_grams=Decimal("90.5"))
    add_food(app, user["id"], monday + timedelta(days=1), "lunch", "Small lunch", calories=Decimal(2075),
             protein_grams=Decimal(91))
    body = body_of(auth_client.get(f"/food/week?day={monday.isoformat()}"))
    averages = body.split('id="week-average-title"', 1)[1].split("</section>", 1)[0]
    # 2287.5 kcal and 90.75 g on average: shown as they would be said.
    assert "2288 kcal" in averages and "90.8 g" in averages
    assert "2287.5" not in averages and "90.75" not in averages
    fat = averages.split('data-nutrient="fats_grams"', 1)[1].split("</li>", 1)[0]
    assert f'<span class="target-amount">{UNKNOWN}</span>' in fat
    table = body.split('class="period-table week-table"', 1)[1]
    assert f"<td>90.5 g</td><td>{UNKNOWN}</td><td>{UNKNOWN}</td>" in table
