"""Another user's entries: every food route answers 404 for their ids, changes nothing, and no list
(suggestions, recent, favorites, totals, week, goal sources) ever shows them."""

from datetime import timedelta
from decimal import Decimal

import pytest

from manifest.extensions import db
from manifest.goals.sources import SourceRequest, compute_all
from manifest.models import User
from manifest.nutrition import services
from tests.conftest import HX, shows_number
from tests.nutrition.conftest import add_food, foods_of

SECRET = "Ben's secret smoothie"


@pytest.fixture
def bens_food(app, other_user, today):
    return add_food(app, other_user["id"], today, "breakfast", SECRET, calories=Decimal(777), is_favorite=True,
                    portion_size="300 ml")


def routes_for(food_id, today):
    day = today.isoformat()
    return [
        ("GET", f"/food/{food_id}", None),
        ("GET", f"/food/{food_id}/edit", None),
        ("POST", f"/food/{food_id}/edit", {"food_name": "Hacked", "meal_type": "lunch", "calories": "1"}),
        ("POST", f"/food/{food_id}/delete", {}),
        ("POST", f"/food/{food_id}/favorite", {"favorite": "0"}),
        ("POST", f"/food/{food_id}/repeat", {"day": day, "meal_type": "lunch"}),
        ("GET", f"/food/{day}/lunch/fill/{food_id}?portion_size=100+ml", None),
    ]


def test_another_users_food_id_answers_404_on_every_route_and_changes_nothing(
        app, auth_client, user, other_user, bens_food, today):
    before_ben, before_ana = foods_of(app, other_user["id"]), foods_of(app, user["id"])
    for method, url, data in routes_for(bens_food, today):
        for headers in ({}, HX):
            response = auth_client.open(url, method=method, data=data, headers=headers)
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            assert SECRET not in response.get_data(as_text=True).replace("&#39;", "'")
    assert foods_of(app, other_user["id"]) == before_ben
    assert foods_of(app, user["id"]) == before_ana == []


def test_the_same_routes_work_for_the_owner(app, other_client, other_user, bens_food, today):
    for method, url, data in routes_for(bens_food, today)[:2] + routes_for(bens_food, today)[-1:]:
        assert other_client.open(url, method=method, data=data, headers=HX).status_code == 200, url


def test_an_edit_link_to_another_users_food_is_404(auth_client, bens_food, today):
    assert auth_client.get(f"/food/?day={today.isoformat()}&edit={bens_food}").status_code == 404
    assert auth_client.get(f"/food/?day={today.isoformat()}&edit=not-a-uuid").status_code == 200


def test_copying_never_reads_another_users_meal(app, auth_client, user, other_user, bens_food, today):
    response = auth_client.post(f"/food/{(today + timedelta(days=1)).isoformat()}/breakfast/copy",
                                data={"from_day": today.isoformat(), "from_meal": "breakfast"})
    assert response.status_code == 422
    assert foods_of(app, user["id"]) == [] and len(foods_of(app, other_user["id"])) == 1


def test_pages_and_lists_never_show_another_users_foods(app, auth_client, user, bens_food, today):
    add_food(app, user["id"], today, "snack", "Ana's smoothie", calories=Decimal(100), is_favorite=True)
    pages = [
        "/food/", f"/food/?day={today.isoformat()}", "/food/week",
        f"/food/{today.isoformat()}/breakfast/suggest?food_name=smoothie",
        f"/food/{today.isoformat()}/breakfast/suggest?food_name=secret",
    ]
    for url in pages:
        for headers in ({}, HX):
            body = auth_client.get(url, headers=headers).get_data(as_text=True).replace("&#39;", "'")
            assert SECRET not in body and not shows_number(body, 777), url
    suggested = auth_client.get(f"/food/{today.isoformat()}/breakfast/suggest?food_name=smoothie").get_data(as_text=True)
    assert "Ana&#39;s smoothie" in suggested
    with app.app_context():
        ana = db.session.get(User, user["id"])
        assert [f.food_name for f in services.favorites(ana)] == ["Ana's smoothie"]
        assert services.recent(ana) == []
        assert services.suggestions(ana, "secret") == []
        assert services.day_summary(ana, today).calories.eaten == 100
        assert services.week(ana, today).average.calories == 100


def test_goal_sources_answer_only_for_the_users_own_log(app, user, other_user, bens_food, today):
    with app.app_context():
        ana = db.session.get(User, user["id"])
        theirs = SourceRequest("nutrition.calories", other_user["id"], today, today)
        mine = SourceRequest("nutrition.calories", user["id"], today, today)
        answers = compute_all(ana, [theirs, mine])
        assert theirs not in answers
        assert answers[mine] == 0  # Ben's 777 kcal are not Ana's
