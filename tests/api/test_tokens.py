"""Who gets in: only a live bearer token of the right scope, in the header, on /api/ only."""

import hmac
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from manifest.api import tokens
from manifest.extensions import db
from manifest.models import ApiToken, Habit
from tests.api.conftest import bearer
from tests.conftest import PASSWORD


def _habit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Habit))


def _refused(response, status=401):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["message"] and body["errors"] == {}
    return body


def test_a_valid_token_reads_and_writes(api):
    assert api.post("/api/v1/habits", json={"name": "Meditate"}).status_code == 201
    assert [h["name"] for h in api.get("/api/v1/habits").get_json()["items"]] == ["Meditate"]


def test_missing_token_is_refused_with_a_bearer_challenge(client):
    response = client.get("/api/v1/habits")
    _refused(response)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_malformed_over_long_and_unknown_tokens_are_refused(app, client, token):
    for header in ("Bearer", "Basic dXNlcjpwYXNz", f"Token {token}", "Bearer lm_short", "Bearer " + "lm_" + "a" * 5000,
                   "Bearer " + token[:-1] + ("A" if token[-1] != "A" else "B"), token):
        _refused(client.get("/api/v1/habits", headers={"Authorization": header}))
    _refused(client.post("/api/v1/habits", json={"name": "x"}, headers={"Authorization": "Bearer nope"}))
    assert _habit_count(app) == 0


def test_an_expired_token_is_refused(app, client, token):
    with app.app_context():
        db.session.execute(sa.update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
    assert "expired" in _refused(client.get("/api/v1/habits", headers=bearer(token)))["message"]


def test_a_revoked_token_is_refused(app, client, token):
    with app.app_context():
        tokens.revoke(db.session.scalars(sa.select(ApiToken)).one())
    _refused(client.get("/api/v1/habits", headers=bearer(token)))


def test_scopes_limit_reading_writing_and_areas(app, client, make_token, user):
    read_only = bearer(make_token(user, access=("read",)))
    assert client.get("/api/v1/habits", headers=read_only).status_code == 200
    _refused(client.post("/api/v1/habits", json={"name": "x"}, headers=read_only), 403)
    write_only = bearer(make_token(user, access=("write",)))
    _refused(client.get("/api/v1/habits", headers=write_only), 403)
    habits_only = bearer(make_token(user, areas=("habits",)))
    assert client.post("/api/v1/habits", json={"name": "x"}, headers=habits_only).status_code == 201
    _refused(client.get("/api/v1/goals", headers=habits_only), 403)
    _refused(client.post("/api/v1/foods", json={"food_name": "x", "meal_type": "lunch"}, headers=habits_only), 403)
    assert _habit_count(app) == 1


def test_a_token_in_the_query_string_is_refused_even_when_valid(client, token):
    for name in ("access_token", "token", "api_key"):
        body = _refused(client.get(f"/api/v1/habits?{name}={token}"))
        assert "Authorization header" in body["message"]
        _refused(client.get(f"/api/v1/habits?{name}={token}", headers=bearer(token)))


def test_a_session_cookie_never_authenticates_the_api(app, auth_client):
    _refused(auth_client.get("/api/v1/habits"))
    _refused(auth_client.post("/api/v1/habits", json={"name": "Sneaky"}))
    assert _habit_count(app) == 0


def test_a_token_never_authenticates_a_page(client, token):
    for path in ("/", "/habits", "/settings", "/settings/tokens", "/api/docs"):
        response = client.get(path, headers=bearer(token))
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    # Nor does it stand in for a CSRF token on a page's form.
    assert client.post("/habits/new", data={"name": "x"}, headers=bearer(token), csrf=False).status_code in (302, 400)


def test_the_api_needs_no_csrf_token_with_a_bearer_token(client, token):
    response = client.post("/api/v1/habits", json={"name": "Meditate"}, headers=bearer(token), csrf=False)
    assert response.status_code == 201


def test_another_users_token_sees_only_their_rows(client, make_token, user, other_user):
    mine, theirs = bearer(make_token(user)), bearer(make_token(other_user))
    habit = client.post("/api/v1/habits", json={"name": "Mine"}, headers=mine).get_json()
    assert client.get("/api/v1/habits", headers=theirs).get_json()["items"] == []
    _refused(client.get(f"/api/v1/habits/{habit['id']}", headers=theirs), 404)


def test_the_token_is_stored_only_as_its_sha256(app, token):
    with app.app_context():
        row = db.session.scalars(sa.select(ApiToken)).one()
        assert row.token_hash == tokens.hash_token(token) and len(row.token_hash) == 64
        assert token not in repr([getattr(row, c.key) for c in ApiToken.__table__.columns])


def test_the_comparison_is_constant_time(app, client, token, monkeypatch):
    compared = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    assert client.get("/api/v1/habits", headers=bearer(token)).status_code == 200
    assert compared == [(tokens.hash_token(token), tokens.hash_token(token))]


def test_last_use_time_and_address_are_recorded(app, client, token):
    client.get("/api/v1/habits", headers=bearer(token), environ_base={"REMOTE_ADDR": "203.0.113.9"})
    with app.app_context():
        row = db.session.scalars(sa.select(ApiToken)).one()
        assert row.last_used_ip == "203.0.113.9" and row.last_used_at is not None


def test_over_the_rate_limit_answers_429_with_retry_after(app, client, token, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_PER_MINUTE", 3)
    # Four requests exceed the minute's three, unless the minute turns over among them: then four more do.
    for _ in range(8):
        response = client.get("/api/v1/habits", headers=bearer(token))
        if response.status_code == 429:
            break
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.get_json()["message"]


def test_the_rate_count_lives_in_the_database_shared_by_every_worker(app, token, monkeypatch):
    """Two app instances (two workers) spend one allowance."""
    from manifest import create_app
    from tests.conftest import make_config

    monkeypatch.setitem(app.config, "API_RATE_LIMIT_PER_MINUTE", 4)
    second = create_app(make_config(app.config["SQLALCHEMY_DATABASE_URI"], API_RATE_LIMIT_PER_MINUTE=4))
    clients = [app.test_client(), second.test_client()]
    statuses = [clients[i % 2].get("/api/v1/habits", headers=bearer(token)).status_code for i in range(6)]
    assert 429 in statuses
    with second.app_context():
        db.engine.dispose()


def test_changing_the_password_revokes_every_token(client, auth_client, token):
    response = auth_client.post("/settings/password", data={"current_password": PASSWORD,
                                                           "new_password": "a brand new passphrase"})
    assert response.status_code == 303
    _refused(client.get("/api/v1/habits", headers=bearer(token)))


def test_deleting_the_account_removes_every_token(app, client, auth_client, token):
    assert auth_client.post("/settings/delete", data={"password": PASSWORD}).status_code in (303, 200)
    _refused(client.get("/api/v1/habits", headers=bearer(token)))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
