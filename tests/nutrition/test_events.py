"""Every food change names itself (food-changed) for the regions of other areas that show food;
a refused one changes nothing and says nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.conftest import HX
from tests.nutrition.conftest import add_food


def changed(response) -> bool:
    return "food-changed" in (response.headers.get("HX-Trigger") or "").split(", ")


@pytest.fixture
def soup(app, user, today):
    return add_food(app, user["id"], today, "lunch", "Soup", calories=Decimal(200), portion_size="1 bowl")


def test_every_food_action_sends_food_changed(app, auth_client, user, today, soup):
    day = today.isoformat()
    yesterday = today - timedelta(days=1)
    add_food(app, user["id"], yesterday, "dinner", "Curry", calories=Decimal(650))
    actions = [
        (f"/food/{day}/breakfast", {"food_name": "Toast", "calories": "120"}),
        (f"/food/{soup}/edit", {"food_name": "Lentil soup", "meal_type": "dinner", "calories": "250"}),
        (f"/food/{soup}/favorite", {"favorite": "1"}),
        (f"/food/{soup}/repeat", {"day": day, "meal_type": "snack"}),
        (f"/food/{day}/lunch/copy", {"from_day": yesterday.isoformat(), "from_meal": "dinner"}),
        (f"/food/{soup}/delete", {}),
    ]
    for url, data in actions:
        response = auth_client.post(url, data=data, headers=HX)
        assert response.status_code == 200, url
        assert changed(response), url


def test_without_javascript_a_change_still_redirects(auth_client, today):
    response = auth_client.post(f"/food/{today.isoformat()}/breakfast", data={"food_name": "Toast"})
    assert response.status_code == 303 and "HX-Trigger" not in response.headers


def test_a_refused_change_sends_nothing(auth_client, today, soup):
    day = today.isoformat()
    refused = [
        (f"/food/{day}/breakfast", {"food_name": ""}),
        (f"/food/{soup}/edit", {"food_name": "Soup", "meal_type": "brunch"}),
        (f"/food/{soup}/repeat", {"day": "soon", "meal_type": "snack"}),
        (f"/food/{day}/lunch/copy", {"from_day": "2024-01-01", "from_meal": "dinner"}),
    ]
    for url, data in refused:
        response = auth_client.post(url, data=data, headers=HX)
        assert response.status_code == 422, url
        assert not changed(response), url


def test_reading_sends_nothing(auth_client, today, soup):
    for url in (f"/food/{soup}", f"/food/{soup}/edit", f"/food/{today.isoformat()}/lunch/fill/{soup}", "/food/"):
        response = auth_client.get(url, headers=HX)
        assert response.status_code == 200 and not changed(response), url
