"""The in-app notifications list."""

import sqlalchemy as sa

from manifest.api import core
from manifest.api.schemas import PageArgs, model_schema, page_schema
from manifest.models import Notification

blp = core.api_blueprint("notifications", "Your in-app notifications, newest first.")

NotificationOut = model_schema(Notification, "Notification", exclude=(
    "user_id", "dedupe_key", "attempts", "last_error", "in_app", "email", "status", "sent_at"))
NotificationPage = page_schema(NotificationOut, "NotificationPage")


@blp.get("")
@blp.arguments(PageArgs, location="query")
@blp.response(200, NotificationPage)
def list_notifications(args):
    statement = sa.select(Notification).where(Notification.user_id == core.user().id, Notification.in_app)
    return core.page(statement, [Notification.scheduled_at, Notification.id], args,
                     "api_notifications.list_notifications")
