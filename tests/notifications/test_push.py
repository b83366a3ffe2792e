"""Web Push to a real (local) push service: encrypted per RFC 8291 and signed per RFC 8292, once
per device, under the same settings and quiet hours as every channel; gone devices are forgotten."""

import time as clock
from datetime import time

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import PushDelivery, PushSubscription, User
from manifest.notifications import push, reminders, tasks
from tests.notifications.conftest import add_device, utc


def _habit_at_seven(kit, user, **settings):
    habit_id = kit.habit(user["id"], "Meditate", time(7, 0))
    if settings:
        kit.settings(user["id"], **settings)
    kit.last_run(utc(2026, 12, 8, 6, 55))
    return habit_id


def _run(app, now):
    with app.app_context():
        due = reminders.run_all(now)
        tasks.enqueue_pushes(due.pushes)
        return due


def _deliveries(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(sa.select(PushDelivery.status, PushDelivery.attempts)).all()


def test_a_habit_reminder_reaches_every_device_encrypted_signed_and_once(
        push_app, push_service, kit, user, vapid_pair, immediate_jobs):
    habit_id = _habit_at_seven(kit, user)
    phone, _ = add_device(push_app, user["id"], push_service, "Phone")
    add_device(push_app, user["id"], push_service, "Laptop")

    _run(push_app, utc(2026, 12, 8, 7, 1))
    kit.last_run(utc(2026, 12, 8, 6, 0))
    _run(push_app, utc(2026, 12, 8, 7, 2))  # the same window again: nothing more

    received = push_service.wait_for(2)
    assert len(received) == 2 and len(push_service.wait_for(3, timeout=0.5)) == 2
    assert {r.path for r in received} == set(push_service.browsers)
    for item in received:
        assert item.error is None, item.error
        assert item.vapid_key == vapid_pair[0]
        assert item.claims["aud"] == push_service.origin and item.claims["sub"] == "mailto:admin@example.com"
        assert clock.time() < item.claims["exp"] <= clock.time() + 24 * 3600
        assert int(item.headers["ttl"]) > 0
        payload = push_service.decrypt(item)
        assert payload["title"] == "Meditate" and payload["body"] == "Time for Meditate (07:00)."
        assert payload["url"] == f"/?day=2026-12-08#habit-{habit_id}"
        assert [(a["action"], a["title"]) for a in payload["actions"]] == [("done", "Done"), ("skip", "Skip")]
        assert all(len(a["token"]) > 40 for a in payload["actions"])
    assert _deliveries(push_app) == [("sent", 1), ("sent", 1)]
    with push_app.app_context():
        assert db.session.get(PushSubscription, phone).last_used_at is not None
        [delivery_id] = db.session.scalars(sa.select(PushDelivery.id).where(PushDelivery.subscription_id == phone))
        assert push.deliver(delivery_id, retries_left=3) == "already handled"
    assert len(push_service.wait_for(3, timeout=0.5)) == 2


def test_push_follows_the_settings_and_quiet_hours(push_app, push_service, kit, user, immediate_jobs):
    _habit_at_seven(kit, user, quiet_start=time(6, 30), quiet_end=time(7, 30))
    add_device(push_app, user["id"], push_service)
    _run(push_app, utc(2026, 12, 8, 7, 1))
    assert push_service.wait_for(1, timeout=0.5) == []  # quiet: it waits for their end
    _run(push_app, utc(2026, 12, 8, 7, 31))
    [item] = push_service.wait_for(1)
    assert push_service.decrypt(item)["title"] == "Meditate"


def test_push_turned_off_sends_nothing_to_devices(push_app, push_service, kit, user, immediate_jobs):
    _habit_at_seven(kit, user, push_enabled=False)
    add_device(push_app, user["id"], push_service)
    _run(push_app, utc(2026, 12, 8, 7, 1))
    [notification] = kit.notifications()
    assert notification["in_app"]  # the bell still has it
    assert push_service.wait_for(1, timeout=0.5) == [] and _deliveries(push_app) == []


def test_without_vapid_keys_nothing_is_pushed(app, push_service, kit, user, immediate_jobs, monkeypatch):
    _habit_at_seven(kit, user)
    with app.app_context():  # a device from when the server had keys
        db.session.add(PushSubscription(user_id=user["id"], endpoint=push_service.origin + "/push/x", p256dh="k",
                                        auth="a", name="Phone"))
        db.session.commit()
    _run(app, utc(2026, 12, 8, 7, 1))
    assert len(kit.notifications()) == 1 and _deliveries(app) == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_the_push_service_says_is_gone_is_removed(push_app, push_service, kit, user, status, immediate_jobs):
    _habit_at_seven(kit, user)
    _, browser = add_device(push_app, user["id"], push_service, "Old phone")
    kept, _ = add_device(push_app, user["id"], push_service, "New phone")
    gone_path = next(path for path, b in push_service.browsers.items() if b is browser)
    push_service.status[gone_path] = status
    _run(push_app, utc(2026, 12, 8, 7, 1))
    assert len(push_service.wait_for(2)) == 2
    with push_app.app_context():
        assert db.session.scalars(sa.select(PushSubscription.id)).all() == [kept]
    assert _deliveries(push_app) == [("sent", 1)]


def test_a_failing_push_service_is_retried_then_recorded_as_failed(push_app, push_service, kit, user):
    _habit_at_seven(kit, user)
    device, _ = add_device(push_app, user["id"], push_service)
    push_service.default_status = 503
    due = _run(push_app, utc(2026, 12, 8, 7, 1))
    [delivery_id] = due.pushes
    with push_app.app_context():
        with pytest.raises(push.DeliveryFailed):
            push.deliver(delivery_id, retries_left=1)
        assert _deliveries(push_app) == [("pending", 1)]
        assert push.deliver(delivery_id, retries_left=0) == "failed"
        assert db.session.get(PushSubscription, device).last_error == "The push service answered 503."
    assert _deliveries(push_app) == [("failed", 2)]
    assert len(push_service.wait_for(2)) == 2


def test_a_lost_delivery_is_found_again_and_sent_once(push_app, push_service, kit, user, immediate_jobs):
    _habit_at_seven(kit, user)
    add_device(push_app, user["id"], push_service)
    with push_app.app_context():
        reminders.run_all(utc(2026, 12, 8, 7, 1))  # recorded, but its task never ran
        db.session.execute(sa.update(PushDelivery).values(created_at=utc(2026, 12, 8, 7, 1), updated_at=utc(2026, 12, 8, 7, 1)))
        db.session.commit()
        found = push.stalled(now=utc(2026, 12, 8, 7, 30))
        assert len(found) == 1
        tasks.enqueue_pushes(found + found)
    assert len(push_service.wait_for(2, timeout=1)) == 1


def test_the_test_notification_reaches_every_device(push_app, push_service, auth_client, user, immediate_jobs):
    add_device(push_app, user["id"], push_service, "Phone")
    add_device(push_app, user["id"], push_service, "Laptop")
    response = auth_client.post("/notifications/test", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "check the bell and your 2 devices" in response.get_data(as_text=True)
    received = push_service.wait_for(2)
    assert len(received) == 2
    for item in received:
        payload = push_service.decrypt(item)
        assert payload["title"] == "Test notification" and payload["actions"] == []
        assert payload["url"] == "/notifications/settings"


def test_a_name_that_does_not_resolve_when_sending_is_tried_again(push_app, push_service, kit, user, monkeypatch):
    from manifest.notifications import endpoints

    _habit_at_seven(kit, user)
    add_device(push_app, user["id"], push_service)
    [delivery_id] = _run(push_app, utc(2026, 12, 8, 7, 1)).pushes

    def no_dns(host, port):
        raise endpoints.Unresolved(f"The push service's address ({host}) could not be found.")

    monkeypatch.setattr(endpoints, "resolve", no_dns)
    with push_app.app_context(), pytest.raises(push.DeliveryFailed):
        push.deliver(delivery_id, retries_left=2)
    assert _deliveries(push_app) == [("pending", 1)] and push_service.received == []


def test_a_device_that_moves_to_another_account_never_gets_the_first_accounts_pushes(
        push_app, push_service, kit, user, other_user):
    """A shared browser subscribes for Ana, then for Ben: Ana's push still on its way (queued, or
    waiting for a retry) is not sent to the device that is now Ben's."""
    _habit_at_seven(kit, user)
    device, browser = add_device(push_app, user["id"], push_service)
    due = _run(push_app, utc(2026, 12, 8, 7, 1))
    [delivery_id] = due.pushes
    with push_app.app_context():
        endpoint = db.session.get(PushSubscription, device).endpoint
        push.subscribe(db.session.get(User, other_user["id"]), endpoint, browser.p256dh, browser.auth, "Tablet")
        assert db.session.get(PushDelivery, delivery_id) is None
    assert len(push_service.wait_for(1, timeout=0.5)) == 0


def test_a_delivery_for_a_device_now_owned_by_another_account_is_not_sent(push_app, push_service, kit, user, other_user):
    _habit_at_seven(kit, user)
    device, _ = add_device(push_app, user["id"], push_service)
    [delivery_id] = _run(push_app, utc(2026, 12, 8, 7, 1)).pushes
    with push_app.app_context():
        # The device changed hands between the fan-out and the send.
        db.session.execute(sa.update(PushSubscription).where(PushSubscription.id == device)
                           .values(user_id=other_user["id"]))
        db.session.commit()
        assert push.deliver(delivery_id, retries_left=3) == "moved"
    assert _deliveries(push_app) == [("failed", 1)]
    assert len(push_service.wait_for(1, timeout=0.5)) == 0
