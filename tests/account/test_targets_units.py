"""Settings: daily nutrition targets and unit preferences, as full pages and as htmx fragments."""

import pytest

from manifest.extensions import db
from manifest.models import User
from tests.conftest import HX

TARGETS = {
    "target_calories": "2200", "target_protein_g": "120", "target_carbs_g": "250", "target_fat_g": "70",
    "target_fiber_g": "30", "target_sugar_g": "40", "target_sodium_mg": "2300",
}
COLUMNS = (*TARGETS, "weight_unit", "distance_unit")


def stored(app, user_id) -> dict:
    with app.app_context():
        found = db.session.get(User, user_id)
        return {c: getattr(found, c) for c in COLUMNS}


def test_settings_page_shows_the_targets_and_units_forms(auth_client):
    body = auth_client.get("/settings").get_data(as_text=True)
    assert 'id="targets-form"' in body and 'id="units-form"' in body
    assert '<label for="target_calories">Calories (kcal)</label>' in body
    assert 'id="weight_unit-0"' in body and 'checked' in body


def test_saving_targets_with_htmx_answers_the_form_alone(app, auth_client, user):
    response = auth_client.post("/settings/targets", data=TARGETS, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body and body.count("<form") == 1 and 'id="targets-form"' in body
    assert "Daily targets saved." in body and 'value="2200"' in body
    saved = stored(app, user["id"])
    assert saved["target_calories"] == 2200 and saved["target_sodium_mg"] == 2300 and saved["target_fat_g"] == 70


def test_saving_targets_without_javascript_redirects_and_empty_clears(app, auth_client, user):
    auth_client.post("/settings/targets", data=TARGETS)
    response = auth_client.post("/settings/targets", data={**TARGETS, "target_sugar_g": "", "target_fiber_g": " "})
    assert response.status_code == 303 and response.headers["Location"] == "/settings"
    saved = stored(app, user["id"])
    assert saved["target_sugar_g"] is None and saved["target_fiber_g"] is None and saved["target_calories"] == 2200


@pytest.mark.parametrize(("name", "value"), [
    ("target_calories", "-1"), ("target_calories", "1000000000"), ("target_protein_g", "lots"),
    ("target_sodium_mg", "1e9"), ("target_fat_g", "12.5"), ("target_carbs_g", "99999999999999999999"),
])
def test_bad_targets_are_refused_inline_and_nothing_is_saved(app, auth_client, user, name, value):
    before = stored(app, user["id"])
    response = auth_client.post("/settings/targets", data={**TARGETS, name: value}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{name}-error"' in body and body.count("<form") == 1
    response = auth_client.post("/settings/targets", data={**TARGETS, name: value})
    assert response.status_code == 422 and "<html" in response.get_data(as_text=True)
    assert stored(app, user["id"]) == before


def test_units_are_saved_and_bad_ones_refused(app, auth_client, user):
    response = auth_client.post("/settings/units", data={"weight_unit": "lbs", "distance_unit": "miles"}, headers=HX)
    assert response.status_code == 200 and "Units saved." in response.get_data(as_text=True)
    assert stored(app, user["id"])["weight_unit"] == "lbs" and stored(app, user["id"])["distance_unit"] == "miles"
    response = auth_client.post("/settings/units", data={"weight_unit": "kg", "distance_unit": "km"})
    assert response.status_code == 303
    for bad in ({"weight_unit": "stone", "distance_unit": "km"}, {"weight_unit": "kg"}, {}):
        response = auth_client.post("/settings/units", data=bad, headers=HX)
        assert response.status_code == 422, bad
        assert 'id="units-form"' in response.get_data(as_text=True)
    assert stored(app, user["id"])["weight_unit"] == "kg" and stored(app, user["id"])["distance_unit"] == "km"


@pytest.mark.parametrize("path", ["/settings/targets", "/settings/units"])
def test_target_and_unit_posts_need_login_and_csrf(client, app, auth_client, user, path):
    before = stored(app, user["id"])
    data = {**TARGETS, "weight_unit": "lbs", "distance_unit": "miles"}
    assert client.post(path, data=data).status_code == 302
    assert auth_client.post(path, data=data, csrf=False).status_code == 400
    assert stored(app, user["id"]) == before


def test_targets_show_on_the_food_page(app, auth_client, user):
    auth_client.post("/settings/targets", data=TARGETS)
    body = auth_client.get("/food/").get_data(as_text=True)
    assert "kcal of 2200" in body and "Set daily targets" not in body
