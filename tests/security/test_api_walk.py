"""The JSON API's rules, checked on every /api/v1 route in app.url_map (routes added later are
covered without new tests): no token answers 401, a session cookie is not a token, another user's
ids answer 404 and change nothing, and a token opens no page."""

import json
from datetime import date
from urllib.parse import urlsplit

from manifest.api import tokens
from manifest.extensions import db
from manifest.models import User
from tests.security.conftest import BEN_MARKER
from tests.security.support import (
    PUBLIC_ENDPOINTS,
    age_all_rows,
    changed_tables,
    routes,
    snapshot,
    swap_owner,
)

OPEN_ENDPOINTS = {"api-docs.openapi_json"}
TODAY = date.today().isoformat()
# A body each route would accept, so only the ownership check can stop a request for another user's row.
BODIES = {
    "api_habits.update_habit": {"name": "Changed"},
    "api_habits.archive_habit": {"archived": True},
    "api_habits.check_in": {"state": "done", "note": "Changed"},
    "api_goals.update_goal": {"title": "Changed", "target_value": 5},
    "api_goals.add_progress": {"value": 1, "progress_date": TODAY},
    "api_goals.add_milestone": {"title": "Changed"},
    "api_goals.update_milestone": {"title": "Changed", "done": True},
    "api_foods.update_food": {"food_name": "Changed", "meal_type": "lunch"},
    "api_workouts.update_workout": {"workout_type": "strength", "workout_date": TODAY},
    "api_workouts.add_exercise": {"exercise_name": "Changed"},
    "api_workouts.update_exercise": {"exercise_name": "Changed"},
    "api_workouts.add_set": {"reps": 5},
    "api_journal.update_entry": {"title": "Changed"},
    "api_tags.tag_row": {"name": "changed"},
    "api_habits.create_habit": {"name": "Changed"},
    "api_goals.create_goal": {"title": "Changed", "target_value": 5},
    "api_foods.create_food": {"food_name": "Changed", "meal_type": "lunch"},
    "api_workouts.create_workout": {"workout_type": "strength"},
    "api_journal.create_entry": {"title": "Changed"},
    "api_reviews.save_review": {"water_intake_ml": 100},
}
QUERIES = {"api_search.search": "?q=zq"}


def _token(app, user_id) -> str:
    with app.app_context():
        return tokens.create_token(db.session.get(User, user_id), "walk", ["read", "write"], [], 30).secret


def _call(client, route, method, headers=None):
    body = BODIES.get(route.endpoint)
    return client.open(route.url + QUERIES.get(route.endpoint, ""), method=method, headers=headers or {},
                       data=json.dumps(body) if body is not None and method != "GET" else None,
                       content_type="application/json", csrf=False)


def test_every_api_route_refuses_requests_without_a_token_even_with_a_session(app, client, auth_client, seeds):
    mine, _ = seeds
    age_all_rows(app)
    before = snapshot(app)
    walked = set()
    for route in routes(app, mine, api=True):
        for method in route.methods:
            for who in (client, auth_client):
                response = _call(who, route, method)
                what = f"{method} {route}"
                if route.endpoint in OPEN_ENDPOINTS:
                    assert response.status_code == 200, what
                    continue
                assert response.status_code == 401, f"{what} answered {response.status_code}"
                assert response.is_json and response.headers["WWW-Authenticate"].startswith("Bearer"), what
            walked.add(route.endpoint)
    assert not changed_tables(before, snapshot(app))
    assert {"api_habits.check_in", "api_goals.add_progress", "api_workouts.add_set", "api_tags.tag_row"} <= walked


def test_another_users_ids_answer_404_and_change_nothing_on_every_api_route(app, client, seeds, user):
    mine, theirs = seeds
    headers = {"Authorization": f"Bearer {_token(app, user['id'])}"}
    age_all_rows(app)
    before = snapshot(app)
    walked = set()
    for route in swap_owner(routes(app, mine, api=True), mine, theirs):
        for method in route.methods:
            response = _call(client, route, method, headers)
            what = f"{method} {route} with another user's row"
            assert response.status_code == 404, f"{what} answered {response.status_code}: {response.get_data(as_text=True)}"
            assert BEN_MARKER not in response.get_data(as_text=True), what
            changed = [t for t in changed_tables(before, snapshot(app)) if t != "api_tokens"]  # its last use
            assert not changed, f"{what} changed rows in {changed}"
            walked.add(route.endpoint)
    with_ids = {r.endpoint for r in routes(app, mine, api=True) if r.has_row_ids}
    assert walked == with_ids


def test_own_ids_reach_the_real_work_on_every_api_read(app, client, seeds, user):
    mine, _ = seeds
    headers = {"Authorization": f"Bearer {_token(app, user['id'])}"}
    for route in routes(app, mine, methods=("GET",), api=True):
        response = _call(client, route, "GET", headers)
        # The seeded review is not on today's date: that read answers 404 with its own message.
        assert response.status_code in ((200, 404) if route.endpoint == "api_reviews.get_review" else (200,)), (
            f"GET {route} answered {response.status_code}")
        assert BEN_MARKER not in response.get_data(as_text=True), f"GET {route} shows another user's rows"


def test_a_token_opens_no_page(app, client, seeds, user):
    mine, _ = seeds
    headers = {"Authorization": f"Bearer {_token(app, user['id'])}"}
    for route in routes(app, mine, methods=("GET",)):
        if route.endpoint in PUBLIC_ENDPOINTS:
            continue
        response = client.get(route.url, headers=headers)
        assert response.status_code == 302, f"GET {route} with a token answered {response.status_code}"
        assert urlsplit(response.headers["Location"]).path == "/login"
