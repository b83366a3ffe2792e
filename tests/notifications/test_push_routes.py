"""The devices section of the notification settings: shown only when the server can push, adding this
browser (refused with a message for an endpoint that is no push service), listing and removing."""

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import NotificationSettings, PushSubscription
from tests.conftest import HX
from tests.notifications.conftest import add_device
from tests.notifications.push_service import Browser


def _devices(app, user_id=None) -> list[tuple[str, str]]:
    with app.app_context():
        query = sa.select(PushSubscription.name, PushSubscription.endpoint).order_by(PushSubscription.created_at)
        if user_id is not None:
            query = query.where(PushSubscription.user_id == user_id)
        return [tuple(row) for row in db.session.execute(query)]


def _form(endpoint: str, browser: Browser | None = None, name: str = "Pixel 8") -> dict:
    browser = browser or Browser()
    return {"endpoint": endpoint, "p256dh": browser.p256dh, "auth": browser.auth, "name": name}


def test_without_vapid_keys_the_push_option_is_hidden(app, auth_client):
    page = auth_client.get("/notifications/settings").get_data(as_text=True)
    assert "Notify this device" not in page and "push notifications" not in page.lower()
    assert auth_client.post("/notifications/devices", data=_form("https://fcm.googleapis.com/x")).status_code == 404
    assert _devices(app) == []


def test_the_settings_offer_this_device_with_the_public_key(push_app, auth_client, vapid_pair):
    page = auth_client.get("/notifications/settings").get_data(as_text=True)
    assert "Notify this device" in page and f'data-push-key="{vapid_pair[0]}"' in page
    assert "No device gets push notifications yet." in page
    assert 'On your devices (push notifications)' in page


def test_adding_this_device_lists_it_with_its_name_and_last_use(push_app, push_service, auth_client, user):
    endpoint, browser = push_service.subscribe("pixel")
    response = auth_client.post("/notifications/devices", data=_form(endpoint, browser, "  Pixel\n 8  "), headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="push-devices"' in html and "Pixel 8" in html and "not notified yet" in html
    assert "This device will get your notifications." in html
    assert _devices(push_app, user["id"]) == [("Pixel 8", endpoint)]
    # The same browser again (a second click, or a new key): still one row, updated.
    other = Browser()
    assert auth_client.post("/notifications/devices", data=_form(endpoint, other, "Phone")).status_code == 303
    assert _devices(push_app) == [("Phone", endpoint)]


def test_a_device_used_by_another_account_moves_to_the_one_that_subscribed_last(
        push_app, push_service, auth_client, other_client, user, other_user):
    endpoint, browser = push_service.subscribe("shared")
    auth_client.post("/notifications/devices", data=_form(endpoint, browser, "Family tablet"))
    other_client.post("/notifications/devices", data=_form(endpoint, browser, "Family tablet"))
    assert _devices(push_app, user["id"]) == [] and len(_devices(push_app, other_user["id"])) == 1


def test_an_endpoint_that_is_no_push_service_is_refused_with_a_message(push_app, auth_client):
    for endpoint, message in (
        ("https://evil.example.com/collect", "is not a push service this server sends to"),
        ("http://169.254.169.254/latest/meta-data", "is not a push service this server sends to"),
        ("http://fcm.googleapis.com/fcm/send/x", "must be reached over https"),
    ):
        response = auth_client.post("/notifications/devices", data=_form(endpoint), headers=HX)
        assert response.status_code == 422, endpoint
        assert message in response.get_data(as_text=True)
    assert _devices(push_app) == []


def test_unreadable_keys_are_refused(push_app, push_service, auth_client):
    endpoint, _ = push_service.subscribe("bad-keys")
    for p256dh, auth in (("", ""), ("not base64!", "x"), (Browser().p256dh, "c2hvcnQ"), ("AAAA", Browser().auth)):
        response = auth_client.post("/notifications/devices", data={"endpoint": endpoint, "p256dh": p256dh,
                                                                   "auth": auth, "name": "x"}, headers=HX)
        assert response.status_code == 422
        assert "push keys are not readable" in response.get_data(as_text=True)
    assert _devices(push_app) == []


def test_a_too_long_name_is_refused_on_its_field(push_app, push_service, auth_client):
    endpoint, browser = push_service.subscribe("long")
    response = auth_client.post("/notifications/devices", data=_form(endpoint, browser, "x" * 101), headers=HX)
    assert response.status_code == 422 and "At most 100 characters." in response.get_data(as_text=True)
    assert _devices(push_app) == []


def test_removing_a_device(push_app, push_service, auth_client, user):
    device, _ = add_device(push_app, user["id"], push_service, "Old phone")
    add_device(push_app, user["id"], push_service, "Laptop")
    response = auth_client.post(f"/notifications/devices/{device}/delete", headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Old phone" not in html and "Laptop" in html
    assert [name for name, _ in _devices(push_app)] == ["Laptop"]
    assert auth_client.post(f"/notifications/devices/{device}/delete").status_code == 404


def test_another_users_device_cannot_be_removed(push_app, push_service, auth_client, other_user):
    device, _ = add_device(push_app, other_user["id"], push_service, "Ben's phone")
    assert auth_client.post(f"/notifications/devices/{device}/delete", headers=HX).status_code == 404
    assert [name for name, _ in _devices(push_app)] == ["Ben's phone"]


def test_the_push_setting_is_saved_and_left_alone_without_keys(app, push_app, auth_client, user, monkeypatch):
    data = {"in_app_enabled": "y", "reminder_before_hours": "24"}  # push_enabled unticked
    assert auth_client.post("/notifications/settings", data=data).status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(NotificationSettings.push_enabled)) is False
    assert auth_client.post("/notifications/settings", data={**data, "push_enabled": "y"}).status_code == 303
    monkeypatch.setitem(app.config, "VAPID_PUBLIC_KEY", None)
    # Without keys the box is not on the form; saving must not turn push off behind the user's back.
    assert auth_client.post("/notifications/settings", data=data).status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(NotificationSettings.push_enabled)) is True


def test_the_device_list_shows_the_last_use(push_app, push_service, auth_client, user):
    from datetime import UTC, datetime

    device, _ = add_device(push_app, user["id"], push_service, "Phone")
    with push_app.app_context():
        db.session.get(PushSubscription, device).last_used_at = datetime(2026, 12, 1, 18, 5, tzinfo=UTC)
        db.session.commit()
    page = auth_client.get("/notifications/settings").get_data(as_text=True)
    assert "last notified 1 Dec 2026, 18:05" in page


def _add(app, user_id, name) -> str:
    endpoint = f"https://fcm.googleapis.com/fcm/send/{name}"
    with app.app_context():
        db.session.add(PushSubscription(user_id=user_id, endpoint=endpoint, p256dh="k", auth="a", name=name))
        db.session.commit()
    return endpoint


def test_logging_out_forgets_the_device_that_logs_out_and_only_it(app, auth_client, user, other_user):
    phone = _add(app, user["id"], "phone")
    _add(app, user["id"], "laptop")
    bens = _add(app, other_user["id"], "bens-tablet")
    assert auth_client.post("/logout", data={"push_endpoint": phone}).status_code in (200, 302, 303)
    assert _devices(app, user["id"]) == [("laptop", "https://fcm.googleapis.com/fcm/send/laptop")]
    # Naming another account's device (a forged form) removes nothing of theirs.
    auth_client.login(user["username"])
    auth_client.post("/logout", data={"push_endpoint": bens})
    assert len(_devices(app, other_user["id"])) == 1
    # A browser without push sends the field empty: every device stays.
    auth_client.login(user["username"])
    auth_client.post("/logout", data={"push_endpoint": ""})
    assert len(_devices(app, user["id"])) == 1
