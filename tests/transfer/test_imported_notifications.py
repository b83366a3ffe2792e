"""Notifications in an archive are history: one still waiting for its email where it was exported
(pending, or claimed by a delivery that stopped) is not emailed again from the receiving account."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Notification
from manifest.notifications import reminders
from tests.transfer.helpers import import_file
from tests.transfer.test_own_import import _export


def test_imported_notifications_waiting_for_their_email_are_not_sent_again(app, user, other_user, auth_client,
                                                                         other_client, immediate_jobs):
    now = datetime.now(UTC)
    with app.app_context():
        for status in ("pending", "sending", "sent", "failed"):
            db.session.add(Notification(
                user_id=user["id"], kind="habit", dedupe_key=f"habit:{status}", title="Read", message="Time to read",
                scheduled_at=now - timedelta(hours=1), status=status, email=True, in_app=True,
                sent_at=now - timedelta(hours=1) if status == "sent" else None,
                created_at=now - timedelta(hours=1), updated_at=now - timedelta(hours=1)))
        db.session.commit()
    archive = _export(auth_client)
    with app.app_context():
        # The exporting account's own rows are out of the way: only the imported ones are looked at.
        db.session.execute(sa.delete(Notification))
        db.session.commit()
    import_file(app, other_client, ("export.zip", archive))
    with app.app_context():
        statuses = dict(db.session.execute(sa.select(Notification.dedupe_key, Notification.status)
                                           .where(Notification.user_id == other_user["id"])).all())
        assert statuses == {"habit:pending": "skipped", "habit:sending": "skipped",
                            "habit:sent": "sent", "habit:failed": "failed"}
        assert reminders.stalled_deliveries(now) == []
        assert reminders.stalled_deliveries(now + timedelta(hours=1)) == []
