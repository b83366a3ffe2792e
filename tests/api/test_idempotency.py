"""Idempotency-Key on creating requests: a retried request makes one row."""

import threading
import time

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import ApiIdempotencyKey, Food
from tests.api.conftest import bearer

MEAL = {"food_name": "Oatmeal", "meal_type": "breakfast", "calories": 300}
RETRIES = 20


def _foods(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Food))


def test_a_retry_with_the_same_key_gets_the_first_answer_and_makes_nothing(app, api):
    first = api.post("/api/v1/foods", json=MEAL, headers={"Idempotency-Key": "meal-1"})
    again = api.post("/api/v1/foods", json=MEAL, headers={"Idempotency-Key": "meal-1"})
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _foods(app) == 1
    # Another key is another request.
    assert api.post("/api/v1/foods", json=MEAL, headers={"Idempotency-Key": "meal-2"}).status_code == 201
    assert _foods(app) == 2


def test_without_a_key_every_request_creates(app, api):
    api.post("/api/v1/foods", json=MEAL)
    api.post("/api/v1/foods", json=MEAL)
    assert _foods(app) == 2


@pytest.mark.parametrize("key", ["", "   "])
def test_an_empty_key_is_refused_rather_than_ignored(app, api, key):
    """A script whose key generator is missing sends an empty header: it hears so, nothing is made."""
    refused = api.post("/api/v1/foods", json=MEAL, headers={"Idempotency-Key": key})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"Idempotency-Key": ["Send a key of 1 to 255 characters, e.g. a UUID."]}
    assert _foods(app) == 0


def test_the_same_key_with_another_body_is_refused(app, api):
    api.post("/api/v1/foods", json=MEAL, headers={"Idempotency-Key": "k"})
    response = api.post("/api/v1/foods", json={**MEAL, "calories": 999}, headers={"Idempotency-Key": "k"})
    assert response.status_code == 422
    assert "different request" in response.get_json()["errors"]["Idempotency-Key"][0]
    assert _foods(app) == 1


def test_a_refused_request_is_replayed_as_refused_and_an_overlong_key_is_refused(app, api):
    bad = {**MEAL, "food_name": ""}
    assert api.post("/api/v1/foods", json=bad, headers={"Idempotency-Key": "bad"}).get_json()["errors"] == {
        "food_name": ["Name the food."]}
    assert api.post("/api/v1/foods", json=bad, headers={"Idempotency-Key": "bad"}).status_code == 422
    assert api.post("/api/v1/foods", json=MEAL, headers={"Idempotency-Key": "x" * 256}).status_code == 422
    assert _foods(app) == 0


def test_keys_belong_to_their_token(app, client, make_token, user, other_user):
    mine, theirs = bearer(make_token(user)), bearer(make_token(other_user))
    client.post("/api/v1/foods", json=MEAL, headers={**mine, "Idempotency-Key": "same"})
    response = client.post("/api/v1/foods", json=MEAL, headers={**theirs, "Idempotency-Key": "same"})
    assert response.status_code == 201 and _foods(app) == 2


def test_twenty_concurrent_retries_make_one_row(app, token):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite serialises every writer, so nothing races")
    app.config["API_RATE_LIMIT_PER_MINUTE"], limit = 10_000, app.config["API_RATE_LIMIT_PER_MINUTE"]
    clients = [app.test_client() for _ in range(RETRIES)]
    barrier = threading.Barrier(RETRIES)
    answers: list = [None] * RETRIES

    def retry(i: int) -> None:
        barrier.wait(timeout=30)
        for _ in range(100):  # a client told 409 (still in progress) tries again shortly
            response = clients[i].post("/api/v1/foods", json=MEAL,
                                       headers={**bearer(token), "Idempotency-Key": "tap-1"})
            if response.status_code != 409:
                answers[i] = (response.status_code, response.get_json()["id"])
                return
            time.sleep(0.05)

    try:
        threads = [threading.Thread(target=retry, args=(i,)) for i in range(RETRIES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        app.config["API_RATE_LIMIT_PER_MINUTE"] = limit
    assert _foods(app) == 1
    assert len(set(answers)) == 1 and answers[0][0] == 201, answers
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiIdempotencyKey)) == 1


def test_keys_are_kept_a_day(app, api):
    from datetime import UTC, datetime, timedelta

    api.post("/api/v1/foods", json=MEAL, headers={"Idempotency-Key": "yesterday"})
    with app.app_context():
        db.session.execute(sa.update(ApiIdempotencyKey).values(created_at=datetime.now(UTC) - timedelta(days=2)))
        db.session.commit()
    api.post("/api/v1/foods", json=MEAL, headers={"Idempotency-Key": "today"})
    with app.app_context():
        assert db.session.scalars(sa.select(ApiIdempotencyKey.key)).all() == ["today"]
    # The old key is free again: a request with it is a new request.
    assert api.post("/api/v1/foods", json=MEAL, headers={"Idempotency-Key": "yesterday"}).status_code == 201
    assert _foods(app) == 3
