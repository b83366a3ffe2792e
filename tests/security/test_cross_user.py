"""One user never sees or changes another user's account. (The route walk in test_route_walk.py
checks every page for other users' rows and every object route for their ids.)"""

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import User
from tests.conftest import HX


def _set_profile(app, user_id, **values):
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == user_id).values(**values))
        db.session.commit()


def _profile(app, user_id) -> dict:
    with app.app_context():
        user = db.session.get(User, user_id)
        return {c: getattr(user, c) for c in ("email", "username", "first_name", "last_name", "bio", "avatar_url")}


def test_settings_page_shows_only_the_viewers_profile(app, user, other_user, auth_client, other_client):
    _set_profile(app, user["id"], first_name="Anastasia", bio="Ana's private bio")
    _set_profile(app, other_user["id"], first_name="Benedikt", bio="Ben's private bio")

    ana_page = auth_client.get("/settings").get_data(as_text=True)
    assert "Anastasia" in ana_page and "Ana&#39;s private bio" in ana_page
    assert "Benedikt" not in ana_page and "Ben&#39;s private bio" not in ana_page and other_user["email"] not in ana_page

    ben_page = other_client.get("/settings").get_data(as_text=True)
    assert "Benedikt" in ben_page and "Ben&#39;s private bio" in ben_page
    assert "Anastasia" not in ben_page and "Ana&#39;s private bio" not in ben_page and user["email"] not in ben_page


def test_profile_changes_apply_to_the_viewer_whatever_ids_the_form_carries(app, user, other_user, auth_client):
    before = _profile(app, other_user["id"])
    foreign = str(other_user["id"])
    response = auth_client.post(
        "/settings/profile",
        data={
            "first_name": "Changed", "timezone": "UTC",
            "user_id": foreign, "id": foreign, "email": "taken@example.com", "username": "taken",
        },
        query_string={"user_id": foreign, "id": foreign},
        headers=HX,
    )
    assert response.status_code == 200
    assert _profile(app, other_user["id"]) == before
    mine = _profile(app, user["id"])
    assert mine["first_name"] == "Changed"
    assert (mine["email"], mine["username"]) == (user["email"], user["username"])
