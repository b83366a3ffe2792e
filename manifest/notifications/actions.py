"""The buttons of a push notification (Done and Skip on a habit reminder, +1 on a goal reminder).

The service worker presses them without opening the app, so no session cookie comes along, and
none is wanted: each button carries a token signed by the server that names the user, the
notification, the action and its target. The token is short-lived (PUSH_ACTION_MAX_AGE_MINUTES)
and single-use: the first action taken from a notification stamps it (``acted_at``) in the same
transaction as the change, so a replay, or the other button of the same notification, changes
nothing. The action runs through the same services as the buttons on Today, as its owner.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.exceptions import NotFound

from manifest.extensions import db
from manifest.forms import FieldError
from manifest.models import Goal, Habit, Notification, User
from manifest.ownership import owned
from manifest.timeutil import local_today

SALT = "push-action"
# action -> (target kind, button label, event Today's regions listen for)
ACTIONS = {
    "done": ("habit", "Done", "habit-checked"),
    "skip": ("habit", "Skip", "habit-checked"),
    "plus1": ("goal", "+1", "goal-progress"),
}


class ActionRefused(Exception):
    """The token is no good, or the action cannot be done; nothing changed."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Target:
    """What a notification's buttons act on: a habit on a day, or a goal."""

    kind: str  # "habit" or "goal"
    id: uuid.UUID
    day: date | None = None


def target_of(notification: Notification) -> Target | None:
    """A reminder's subject, read from its key (``habit:<id>:<day>``, ``goal:<id>:<deadline>``,
    see manifest/notifications/reminders.py); None for notifications without buttons."""
    parts = notification.dedupe_key.split(":")
    try:
        if notification.kind == "habit" and len(parts) == 3:
            return Target("habit", uuid.UUID(parts[1]), date.fromisoformat(parts[2]))
        if notification.kind == "goal" and len(parts) == 3:
            return Target("goal", uuid.UUID(parts[1]))
    except ValueError:
        return None
    return None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def make_token(notification: Notification, action: str, target: Target) -> str:
    return _serializer().dumps({
        "n": str(notification.id), "u": str(notification.user_id), "a": action,
        "o": str(target.id), "d": target.day.isoformat() if target.day else None,
    })


def buttons(notification: Notification, habit: Habit | None = None, goal: Goal | None = None) -> list[dict]:
    """The notification's actions with their tokens, as the service worker reads them."""
    target = target_of(notification)
    if target is None:
        return []
    if target.kind == "habit" and habit is not None and habit.is_active:
        names = ("done", "skip")
    elif target.kind == "goal" and goal is not None and goal.measure == "entries":
        names = ("plus1",)  # a goal that fills itself from other areas takes no entries by hand
    else:
        return []
    return [{"action": name, "title": ACTIONS[name][1], "token": make_token(notification, name, target)}
            for name in names]


@dataclass(frozen=True)
class Outcome:
    message: str
    event: str


def _read(token: str) -> dict:
    max_age = current_app.config["PUSH_ACTION_MAX_AGE_MINUTES"] * 60
    try:
        claims = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise ActionRefused("This notification's buttons have expired: open the app instead.", 410) from error
    except BadSignature as error:
        raise ActionRefused("This action is not valid.", 403) from error
    if not isinstance(claims, dict) or claims.get("a") not in ACTIONS:
        raise ActionRefused("This action is not valid.", 403)
    return claims


def _claim(notification_id: uuid.UUID, user: User) -> None:
    """Stamp the notification as acted upon; refused when it already was (a replay)."""
    result = db.session.execute(
        sa.update(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id, Notification.acted_at.is_(None),
        ).values(acted_at=datetime.now(UTC), is_read=True, updated_at=sa.func.now())
    )
    if result.rowcount != 1:
        mine = db.session.scalar(sa.select(Notification.id).where(
            Notification.id == notification_id, Notification.user_id == user.id))
        if mine is None:
            raise ActionRefused("That is no longer there.", 404)
        raise ActionRefused("This notification has been acted on already.", 409)


def perform(token: str) -> Outcome:
    """Carry out the action a token names, once; ActionRefused (nothing changed) otherwise."""
    from manifest.goals import progress
    from manifest.habits import services as habits

    claims = _read(token)
    try:
        user = db.session.get(User, uuid.UUID(claims["u"]))
        notification_id, target_id = uuid.UUID(claims["n"]), uuid.UUID(claims["o"])
        day = date.fromisoformat(claims["d"]) if claims.get("d") else None
    except (KeyError, TypeError, ValueError) as error:
        raise ActionRefused("This action is not valid.", 403) from error
    if user is None or not user.is_active:
        raise ActionRefused("This action is not valid.", 403)
    action = claims["a"]
    kind, _, event = ACTIONS[action]
    today = local_today(user)
    try:
        _claim(notification_id, user)
        if kind == "habit":
            if day is None:
                raise ActionRefused("This action is not valid.", 403)
            options = {"skip": True} if action == "skip" else _done_values(user, target_id)
            habits.check_in(user, target_id, day, today, **options)
            name = db.session.get(Habit, target_id).name
            message = f"{name}: {'skipped' if action == 'skip' else 'done'}"
        else:
            goal = owned(user, Goal, target_id)
            title = goal.title
            progress.add_entry(user, goal, "1", today, None, today)
            message = f"{title}: +1"
        db.session.commit()
    except NotFound as error:
        db.session.rollback()
        raise ActionRefused("That is no longer there.", 404) from error
    except FieldError as error:
        db.session.rollback()
        raise ActionRefused(str(error), 422) from error
    except Exception:
        db.session.rollback()
        raise
    return Outcome(message, event)


def _done_values(user: User, habit_id: uuid.UUID) -> dict:
    """Done: a yes/no habit is done; a number habit gets its target amount."""
    habit = owned(user, Habit, habit_id)
    if habit.habit_type == "numeric":
        return {"value": str(habit.target_value)}
    return {"state": "done"}
