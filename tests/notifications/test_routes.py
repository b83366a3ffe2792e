"""The notification routes: the bell, the list, read marks, settings and unsubscribe; each one the
viewer's own, and the unsubscribe link good for its owner alone."""

from datetime import time

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import NotificationSettings, User
from manifest.notifications import services
from tests.conftest import HX

SETTINGS_FORM = {
    "in_app_enabled": "y", "email_enabled": "y", "habit_reminders": "y", "review_reminders": "y",
    "review_reminder_time": "21:30", "goal_reminders": "y", "reminder_before_hours": "12", "weekly_digest": "y",
    "quiet_start": "22:00", "quiet_end": "07:00",
}


def _settings(app, user_id):
    with app.app_context():
        return db.session.scalar(sa.select(NotificationSettings).where(NotificationSettings.user_id == user_id))


def _token(app, user_id) -> str:
    with app.app_context():
        return services.unsubscribe_token(db.session.get(User, user_id))


def test_the_bell_counts_the_viewers_unread_notifications_only(app, kit, user, other_user, auth_client):
    kit.notify(user["id"], "Meditate")
    kit.notify(user["id"], "Read already", is_read=True)
    kit.notify(other_user["id"], "Ben's secret")
    bell = auth_client.get("/notifications/bell", headers=HX)
    body = bell.get_data(as_text=True)
    assert bell.status_code == 200 and 'data-count="1"' in body
    # It asks for itself again, but not on load (that would loop).
    assert "every 60s, notifications-changed from:body" in body and "load" not in body
    page = auth_client.get("/notifications").get_data(as_text=True)
    assert "Meditate" in page and "Ben&#39;s secret" not in page and "Ben's secret" not in page
    # Without htmx the bell's URL is the list.
    assert auth_client.get("/notifications/bell").headers["Location"].endswith("/notifications")


def test_a_bell_polling_after_the_session_ended_stays_quiet(client):
    # htmx would follow an HX-Redirect to the login page, out of whatever form the user is typing in.
    response = client.get("/notifications/bell", headers=HX)
    assert response.status_code == 204 and "HX-Redirect" not in response.headers
    assert response.get_data() == b""
    # Visited directly it is the way to the notifications, which need a login.
    assert "/login" in client.get("/notifications/bell").headers["Location"]


def test_every_page_carries_a_bell_that_loads_its_count(auth_client):
    body = auth_client.get("/").get_data(as_text=True)
    assert 'id="bell"' in body and 'hx-trigger="load, every 60s, notifications-changed from:body"' in body


def test_mark_read_answers_the_row_and_names_the_change(app, kit, user, auth_client):
    first = kit.notify(user["id"], "Meditate")
    kit.notify(user["id"], "Stretch")
    response = auth_client.post(f"/notifications/{first}/read", headers=HX)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "notifications-changed"
    assert f'id="notification-{first}"' in response.get_data(as_text=True)
    assert 'data-count="1"' in auth_client.get("/notifications/bell", headers=HX).get_data(as_text=True)
    response = auth_client.post("/notifications/read-all")
    assert response.status_code == 303
    assert "bell-count" not in auth_client.get("/notifications/bell", headers=HX).get_data(as_text=True)


def test_opening_one_marks_it_read_and_goes_where_it_points(app, kit, user, auth_client):
    habit_link = "/?day=2026-12-08#habit-123"
    notification = kit.notify(user["id"], "Meditate", link=habit_link)
    response = auth_client.post(f"/notifications/{notification}/open")
    assert response.status_code == 303 and response.headers["Location"] == habit_link
    assert kit.notifications()[0]["is_read"]
    htmx = auth_client.post(f"/notifications/{notification}/open", headers=HX)
    assert htmx.headers["HX-Redirect"] == habit_link


def test_a_link_to_another_site_is_never_followed(app, kit, user, auth_client):
    for link in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        notification = kit.notify(user["id"], "Odd", link=link)
        response = auth_client.post(f"/notifications/{notification}/open")
        assert response.headers["Location"] == "/notifications", link


def test_another_users_notification_answers_404_and_stays_unread(app, kit, user, other_user, auth_client):
    theirs = kit.notify(other_user["id"], "Ben's")
    for action in ("read", "open"):
        assert auth_client.post(f"/notifications/{theirs}/{action}").status_code == 404
    auth_client.post("/notifications/read-all")
    assert not kit.notifications(other_user["id"])[0]["is_read"]


def test_settings_are_shown_with_defaults_and_saved_for_the_viewer_only(app, user, other_user, auth_client):
    page = auth_client.get("/notifications/settings")
    assert page.status_code == 200 and _settings(app, user["id"]) is None  # reading writes nothing
    assert 'name="reminder_before_hours" required type="number" value="24"' in page.get_data(as_text=True)
    response = auth_client.post("/notifications/settings", data={**SETTINGS_FORM, "user_id": str(other_user["id"])},
                                headers=HX)
    assert response.status_code == 200 and "Saved." in response.get_data(as_text=True)
    mine = _settings(app, user["id"])
    assert (mine.review_reminder_time, mine.quiet_start, mine.quiet_end, mine.reminder_before_hours) == (
        time(21, 30), time(22, 0), time(7, 0), 12)
    assert _settings(app, other_user["id"]) is None
    # Unticked boxes turn a kind off; saving again updates the one row.
    auth_client.post("/notifications/settings", data={**SETTINGS_FORM, "weekly_digest": "", "email_enabled": ""})
    mine = _settings(app, user["id"])
    assert not mine.weekly_digest and not mine.email_enabled and mine.habit_reminders


def test_bad_settings_come_back_on_the_form(app, user, auth_client):
    for bad, message in (({"quiet_end": ""}, "both ends"), ({"quiet_end": "22:00"}, "another time"),
                         ({"reminder_before_hours": "0"}, "between 1 and 720"),
                         ({"review_reminder_time": "25:99"}, "Not a valid time")):
        response = auth_client.post("/notifications/settings", data={**SETTINGS_FORM, **bad}, headers=HX)
        assert response.status_code == 422, bad
        assert message in response.get_data(as_text=True), bad
    assert _settings(app, user["id"]) is None


def test_unsubscribe_works_logged_out_and_a_get_changes_nothing(app, client, user):
    url = f"/notifications/unsubscribe/{_token(app, user['id'])}"
    page = client.get(url)
    assert page.status_code == 200 and "Unsubscribe" in page.get_data(as_text=True)
    assert _settings(app, user["id"]) is None
    # The mail client's one-click POST (RFC 8058): no session, no CSRF token.
    response = client.post(url, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 303
    assert _settings(app, user["id"]).email_enabled is False
    assert "You are unsubscribed" in client.get(url).get_data(as_text=True)


def test_the_unsubscribe_button_needs_its_csrf_token(app, client, user):
    url = f"/notifications/unsubscribe/{_token(app, user['id'])}"
    assert client.post(url, data={}, csrf=False).status_code == 400
    assert _settings(app, user["id"]) is None
    assert client.post(url, data={}).status_code == 303
    assert _settings(app, user["id"]).email_enabled is False


def test_one_users_unsubscribe_link_cannot_change_another_users_settings(app, client, user, other_user):
    token = _token(app, user["id"])
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    signature = token.partition(".")[2]
    other_payload = _token(app, other_user["id"]).partition(".")[0]
    for bad in (forged, f"{other_payload}.{signature}", "not-a-token", "e30.abc"):
        response = client.post(f"/notifications/unsubscribe/{bad}", data={"List-Unsubscribe": "One-Click"},
                               csrf=False)
        assert response.status_code == 404, bad
    client.post(f"/notifications/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click", "user_id":
                                                               str(other_user["id"])}, csrf=False)
    assert _settings(app, other_user["id"]) is None
    assert _settings(app, user["id"]).email_enabled is False
