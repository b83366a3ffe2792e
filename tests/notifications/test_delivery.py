"""Email delivery to a real SMTP server in-process: the message, once, retried and recorded."""

import uuid
from datetime import time

import pytest

from manifest.extensions import db
from manifest.models import Notification
from manifest.notifications import services, tasks
from tests.notifications.conftest import utc


def _remind(kit, user, **settings):
    kit.habit(user["id"], "Meditate", time(7, 0))
    if settings:
        kit.settings(user["id"], **settings)
    kit.last_run(utc(2026, 12, 8, 6, 55))


def test_a_reminder_arrives_by_email_once_with_text_html_and_one_click_unsubscribe(
        mail_app, kit, user, smtp, immediate_jobs):
    _remind(kit, user)
    with mail_app.app_context():
        tasks.enqueue_deliveries(kit.run(utc(2026, 12, 8, 7, 1)))
        kit.last_run(utc(2026, 12, 8, 6, 0))
        tasks.enqueue_deliveries(kit.run(utc(2026, 12, 8, 7, 2)))  # the same window again
    [message] = smtp.wait_for(1)
    assert message["To"] == user["email"] and message["Subject"] == "Meditate"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Time for Meditate (07:00)." in text and "Time for Meditate (07:00)." in html
    [row] = kit.notifications()
    assert "http://127.0.0.1:5000/?day=2026-12-08#habit-" in text
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://127.0.0.1:5000/notifications/unsubscribe/") and unsubscribe in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # As sent: a plain URL on one line, not an RFC 2047 encoded word mail clients cannot follow.
    assert f"List-Unsubscribe: <{unsubscribe}>\r\n".encode() in smtp.raw[0]
    assert (row["status"], row["attempts"], row["email"]) == ("sent", 1, True) and row["sent_at"] is not None
    # Delivering it again (a retry, a second consumer) sends nothing more.
    with mail_app.app_context():
        assert services.deliver_email(row["id"], retries_left=3) == "already handled"
    assert len(smtp.wait_for(2, timeout=1)) == 1


def test_a_failing_smtp_server_is_retried_then_shown_as_failed_never_raising_on_the_last_try(
        mail_app, kit, user, smtp, auth_client):
    _remind(kit, user)
    smtp.refuse = True
    with mail_app.app_context():
        [notification_id] = kit.run(utc(2026, 12, 8, 7, 1))
        for retries_left in (2, 1):
            with pytest.raises(services.DeliveryFailed):
                services.deliver_email(notification_id, retries_left)
            assert db.session.get(Notification, notification_id).status == "pending"
            db.session.rollback()
        assert services.deliver_email(notification_id, 0) == "failed"
    [row] = kit.notifications()
    assert (row["status"], row["attempts"]) == ("failed", 3)
    assert "451" in row["last_error"] and smtp.refused == 3 and smtp.messages == []
    page = auth_client.get("/notifications").get_data(as_text=True)
    assert "Meditate" in page and "Email could not be sent" in page


def test_the_task_is_declared_with_retries_and_backoff():
    assert tasks.MAIL_RETRIES >= 1 and tasks.MAIL_RETRY_DELAY > 0
    task = tasks.deliver_email.s(uuid.uuid4())
    assert task.retries == tasks.MAIL_RETRIES and task.retry_backoff == 2


def test_an_unreachable_smtp_server_fails_without_crashing(mail_app, kit, user, monkeypatch):
    from tests.notifications.conftest import free_port

    monkeypatch.setitem(mail_app.config, "MAIL_PORT", free_port())  # nothing listens there
    _remind(kit, user)
    with mail_app.app_context():
        [notification_id] = kit.run(utc(2026, 12, 8, 7, 1))
        assert services.deliver_email(notification_id, 0) == "failed"
    assert kit.notifications()[0]["last_error"].startswith("ConnectionRefusedError")


def test_no_email_after_unsubscribing_and_none_with_email_off(mail_app, kit, user, smtp, immediate_jobs):
    _remind(kit, user, email_enabled=False)
    with mail_app.app_context():
        assert kit.run(utc(2026, 12, 8, 7, 1)) == []
    [row] = kit.notifications()
    assert (row["status"], row["email"]) == ("sent", False)
    assert smtp.wait_for(1, timeout=0.5) == []


def test_the_test_button_sends_to_the_bell_and_the_inbox(mail_app, user, auth_client, smtp, immediate_jobs):
    response = auth_client.post("/notifications/test", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "notifications-changed" in response.headers["HX-Trigger"]
    assert "check the bell and your inbox" in response.get_data(as_text=True)
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "Test notification"
    bell = auth_client.get("/notifications/bell", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'data-count="1"' in bell


def test_the_weekly_summary_links_to_each_area_it_sums_up(mail_app, kit, user, smtp, immediate_jobs, auth_client):
    kit.last_run(utc(2026, 12, 7, 7, 55))
    with mail_app.app_context():
        tasks.enqueue_deliveries(kit.run(utc(2026, 12, 7, 8, 0)))
    [message] = smtp.wait_for(1)
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content()
    assert message["Subject"] == "Your week in review"
    assert "Open it: http://127.0.0.1:5000/reviews/?month=2026-11\n" in text
    for label, path in (("Habits", "/habits/"), ("Goals", "/goals/"), ("Workouts", "/workouts/"),
                        ("Reviews", "/reviews/")):
        assert f"{label}: http://127.0.0.1:5000{path}\n" in text
        assert f'<a href="http://127.0.0.1:5000{path}">{label}</a>' in html
    page = auth_client.get("/notifications").get_data(as_text=True)
    assert '<a href="/workouts/">Workouts</a>' in page


def test_a_name_with_a_line_break_still_makes_a_one_line_subject_and_is_sent(mail_app, kit, user, smtp):
    kit.habit(user["id"], "Run\nfast", time(7, 0))
    kit.last_run(utc(2026, 12, 8, 6, 55))
    with mail_app.app_context():
        [notification_id] = kit.run(utc(2026, 12, 8, 7, 1))
        assert services.deliver_email(notification_id, retries_left=3) == "sent"
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "Run fast"


def test_an_unexpected_error_while_sending_is_retried_then_failed_never_left_sending(mail_app, kit, user, monkeypatch):
    _remind(kit, user)
    monkeypatch.setattr(services.mail, "build", lambda *args: (_ for _ in ()).throw(ValueError("bad header")))
    with mail_app.app_context():
        [notification_id] = kit.run(utc(2026, 12, 8, 7, 1))
        with pytest.raises(services.DeliveryFailed):
            services.deliver_email(notification_id, 1)
        assert db.session.get(Notification, notification_id).status == "pending"
        db.session.rollback()
        assert services.deliver_email(notification_id, 0) == "failed"
    [row] = kit.notifications()
    assert row["status"] == "failed" and "bad header" in row["last_error"]


def test_an_email_left_sending_by_a_killed_consumer_is_picked_up_again(mail_app, kit, user, smtp):
    import sqlalchemy as sa

    from manifest.notifications import reminders

    _remind(kit, user)
    with mail_app.app_context():
        [notification_id] = kit.run(utc(2026, 12, 8, 7, 1))
        assert services.claim(notification_id)  # the consumer claimed it, then died
        db.session.execute(sa.update(Notification).where(Notification.id == notification_id)
                           .values(updated_at=utc(2026, 12, 8, 7, 2)))
        db.session.commit()
        assert reminders.stalled_deliveries(utc(2026, 12, 8, 7, 30)) == [notification_id]
        assert services.deliver_email(notification_id, retries_left=3) == "sent"
    assert len(smtp.wait_for(1)) == 1


def test_a_user_whose_reminders_failed_gets_them_on_the_next_run(mail_app, kit, user, monkeypatch):
    from manifest.notifications import reminders

    _remind(kit, user)
    real = reminders._record_due
    monkeypatch.setattr(reminders, "_record_due", lambda *args: (_ for _ in ()).throw(RuntimeError("lock timeout")))
    with mail_app.app_context():
        assert kit.run(utc(2026, 12, 8, 7, 1)) == []
        assert reminders.last_run() == utc(2026, 12, 8, 6, 55)  # the window stays open
    monkeypatch.setattr(reminders, "_record_due", real)
    with mail_app.app_context():
        assert len(kit.run(utc(2026, 12, 8, 7, 2))) == 1
    [row] = kit.notifications()
    assert row["dedupe_key"].startswith("habit:")
