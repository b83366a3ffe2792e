"""The in-app notifications list, and marking them read as the bell does."""

import sqlalchemy as sa
from marshmallow import fields

from manifest.api import core
from manifest.api.schemas import PageArgs, Schema, model_schema, page_schema
from manifest.models import Notification
from manifest.notifications import services
from manifest.ownership import owned

blp = core.api_blueprint("notifications", "Your in-app notifications, newest first, and marking them read.")

NotificationOut = model_schema(Notification, "Notification", exclude=(
    "user_id", "dedupe_key", "attempts", "last_error", "in_app", "email", "status", "sent_at"))
NotificationPage = page_schema(NotificationOut, "NotificationPage")


class ReadAllOut(Schema):
    marked = fields.Integer(required=True, metadata={"description": "How many were unread until now."})
    unread = fields.Integer(required=True, metadata={"description": "How many the bell counts now."})


@blp.get("")
@blp.arguments(PageArgs, location="query")
@blp.response(200, NotificationPage)
def list_notifications(args):
    statement = sa.select(Notification).where(Notification.user_id == core.user().id, Notification.in_app)
    return core.page(statement, [Notification.scheduled_at, Notification.id], args,
                     "api_notifications.list_notifications")


@blp.post("/<uuid:notification_id>/read")
@blp.response(200, NotificationOut)
def mark_read(notification_id):
    """Mark one read (marking it again changes nothing)."""
    notification = owned(core.user(), Notification, notification_id)
    services.mark_read(core.user(), notification)
    return notification


@blp.post("/read-all")
@blp.response(200, ReadAllOut)
def mark_all_read():
    marked = services.mark_all_read(core.user())
    return {"marked": marked, "unread": services.unread_count(core.user())}
