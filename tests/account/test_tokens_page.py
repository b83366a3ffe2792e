"""Settings → Access tokens: create (shown once), refuse bad input, revoke, only one's own."""

import sqlalchemy as sa

from manifest.api.tokens import hash_token
from manifest.extensions import db
from manifest.models import ApiToken
from tests.conftest import HX


def _rows(app):
    with app.app_context():
        return db.session.scalars(sa.select(ApiToken).order_by(ApiToken.created_at)).all()


def test_the_page_lists_tokens_and_links_from_settings(auth_client):
    assert 'href="/settings/tokens"' in auth_client.get("/settings").get_data(as_text=True)
    page = auth_client.get("/settings/tokens").get_data(as_text=True)
    assert "<h1>Access tokens</h1>" in page and "No tokens yet." in page
    assert '<label for="name">Name</label>' in page


def test_creating_shows_the_token_once_and_stores_only_its_hash(app, auth_client):
    response = auth_client.post("/settings/tokens", data={"name": "Script", "access": ["read"], "expires": "7"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Copy the token now" in html
    row = _rows(app)[0]
    secret = html.split('id="new-token-value"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert row.token_hash == hash_token(secret) and row.scopes == "read" and row.name == "Script"
    assert row.expires_at is not None
    assert secret not in auth_client.get("/settings/tokens").get_data(as_text=True)


def test_areas_limit_the_scopes_and_never_means_no_expiry(app, auth_client):
    auth_client.post("/settings/tokens", data={"name": "Food", "access": ["read", "write"],
                                               "areas": ["foods", "habits"], "expires": "never"}, headers=HX)
    row = _rows(app)[0]
    assert set(row.scopes.split()) == {"foods:read", "foods:write", "habits:read", "habits:write"}
    assert row.expires_at is None


def test_bad_input_answers_422_with_messages_and_makes_nothing(app, auth_client):
    response = auth_client.post("/settings/tokens", data={"name": " ", "expires": "3"}, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Name the token, e.g. Phone shortcut." in html and "Choose read, write or both." in html
    assert "Not a valid choice" in html  # an expiry outside the list
    assert html.lstrip().startswith('<section id="token-section"')
    assert auth_client.post("/settings/tokens", data={"name": "x", "access": ["admin"], "expires": "7"}
                            ).status_code == 422
    assert _rows(app) == []


def test_revoking_marks_it_revoked_and_keeps_it_listed(app, auth_client):
    auth_client.post("/settings/tokens", data={"name": "Old", "access": ["read"], "expires": "30"})
    token_id = _rows(app)[0].id
    response = auth_client.post(f"/settings/tokens/{token_id}/revoke", headers=HX)
    assert response.status_code == 200
    assert "Revoked" in response.get_data(as_text=True)
    assert _rows(app)[0].revoked_at is not None
    # Without JavaScript: back to the page.
    assert auth_client.post(f"/settings/tokens/{token_id}/revoke").status_code == 303


def test_another_users_token_cannot_be_revoked_or_seen(app, auth_client, other_client):
    other_client.post("/settings/tokens", data={"name": "Ben's", "access": ["read"], "expires": "30"})
    token_id = _rows(app)[0].id
    assert auth_client.post(f"/settings/tokens/{token_id}/revoke").status_code == 404
    assert _rows(app)[0].revoked_at is None
    assert "Ben&#39;s" not in auth_client.get("/settings/tokens").get_data(as_text=True)


def test_the_api_docs_page_lists_every_area(auth_client):
    html = auth_client.get("/api/docs").get_data(as_text=True)
    for area in ("Habits", "Goals", "Foods", "Workouts", "Reviews", "Journal", "Tags", "Search", "Notifications"):
        assert f">{area}</h2>" in html
    assert "/api/v1/habits/{habit_id}/days/{day}" in html and "openapi.json" in html
