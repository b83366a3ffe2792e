"""A push notification's buttons: a signed, single-use, short-lived token is the only authority.
Replayed, expired, tampered, naming another user's habit, or sent without a token: refused, and
nothing changes."""

import time as clock
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Goal, GoalProgress, Habit, HabitEntry, Notification
from manifest.notifications import actions
from tests.conftest import calm_zone


@pytest.fixture
def ana(make_user):
    return make_user("ana", timezone=calm_zone())


def _local_today(app, user_id):
    from manifest.models import User
    from manifest.timeutil import local_today

    with app.app_context():
        return local_today(db.session.get(User, user_id))


def _reminder(app, user_id, habit=None, goal=None, day=None) -> dict[str, str]:
    """A reminder notification for the habit (or goal) and its buttons' tokens by action."""
    day = day or _local_today(app, user_id)
    with app.app_context():
        subject = habit or goal
        kind = "habit" if habit else "goal"
        key = f"habit:{habit}:{day}" if habit else f"goal:{goal}:{day}"
        notification = Notification(user_id=user_id, kind=kind, dedupe_key=key, title="Reminder", message="Now.",
                                    link="/", scheduled_at=datetime.now(UTC), status="sent")
        db.session.add(notification)
        db.session.commit()
        row = db.session.get(Habit if habit else Goal, subject)
        buttons = actions.buttons(notification, habit=row if habit else None, goal=row if goal else None)
        return {b["action"]: b["token"] for b in buttons} | {"notification": str(notification.id)}


def _habit(app, user_id, name="Meditate", **values) -> uuid.UUID:
    with app.app_context():
        habit = Habit(user_id=user_id, name=name, **values)
        db.session.add(habit)
        db.session.commit()
        return habit.id


def _entries(app, habit_id) -> list[tuple]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            sa.select(HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped, HabitEntry.value)
            .where(HabitEntry.habit_id == habit_id))]


def _acted(app, notification_id) -> bool:
    with app.app_context():
        return db.session.get(Notification, uuid.UUID(notification_id)).acted_at is not None


def act(client, token, **kwargs):
    return client.post("/notifications/push/act", json={"token": token}, **kwargs)


def test_done_ticks_the_habit_without_a_session(app, client, ana):
    habit = _habit(app, ana["id"])
    tokens = _reminder(app, ana["id"], habit=habit)
    response = act(client, tokens["done"])
    assert response.status_code == 200
    assert response.json == {"message": "Meditate: done", "event": "habit-checked"}
    assert _entries(app, habit) == [(_local_today(app, ana["id"]), True, False, None)]
    assert _acted(app, tokens["notification"])
    with app.app_context():
        assert db.session.get(Notification, uuid.UUID(tokens["notification"])).is_read


def test_skip_skips_the_day(app, client, ana):
    habit = _habit(app, ana["id"])
    tokens = _reminder(app, ana["id"], habit=habit)
    assert act(client, tokens["skip"]).json["message"] == "Meditate: skipped"
    assert _entries(app, habit) == [(_local_today(app, ana["id"]), False, True, None)]


def test_done_on_a_number_habit_records_its_target(app, client, ana):
    habit = _habit(app, ana["id"], name="Water", habit_type="numeric", target_value=Decimal(8), unit="glasses")
    tokens = _reminder(app, ana["id"], habit=habit)
    assert act(client, tokens["done"]).status_code == 200
    assert _entries(app, habit) == [(_local_today(app, ana["id"]), True, False, Decimal(8))]


def test_plus_one_adds_to_a_goal(app, client, ana):
    with app.app_context():
        goal = Goal(user_id=ana["id"], title="Read 12 books", goal_type="yearly", measure="entries",
                    target_value=Decimal(12))
        db.session.add(goal)
        db.session.commit()
        goal_id = goal.id
    tokens = _reminder(app, ana["id"], goal=goal_id)
    assert set(tokens) == {"plus1", "notification"}
    response = act(client, tokens["plus1"])
    assert response.json == {"message": "Read 12 books: +1", "event": "goal-progress"}
    with app.app_context():
        assert db.session.scalars(sa.select(GoalProgress.value).where(GoalProgress.goal_id == goal_id)).all() == [1]


def test_a_goal_that_fills_itself_gets_no_button(app, ana):
    with app.app_context():
        goal = Goal(user_id=ana["id"], title="Workouts", goal_type="monthly", measure="milestones")
        db.session.add(goal)
        db.session.commit()
        goal_id = goal.id
    assert set(_reminder(app, ana["id"], goal=goal_id)) == {"notification"}


def test_a_replayed_token_is_refused_and_changes_nothing(app, client, ana):
    habit = _habit(app, ana["id"])
    tokens = _reminder(app, ana["id"], habit=habit)
    assert act(client, tokens["done"]).status_code == 200
    before = _entries(app, habit)
    replay = act(client, tokens["done"])
    assert replay.status_code == 409 and "acted on already" in replay.json["message"]
    # The other button of the same notification is spent too.
    assert act(client, tokens["skip"]).status_code == 409
    assert _entries(app, habit) == before


def test_an_expired_token_is_refused_and_changes_nothing(app, client, ana):
    habit = _habit(app, ana["id"])
    max_age = app.config["PUSH_ACTION_MAX_AGE_MINUTES"] * 60
    with mock.patch("itsdangerous.timed.time.time", return_value=clock.time() - max_age - 5):
        tokens = _reminder(app, ana["id"], habit=habit)
    response = act(client, tokens["done"])
    assert response.status_code == 410 and "expired" in response.json["message"]
    assert _entries(app, habit) == [] and not _acted(app, tokens["notification"])


def test_a_token_naming_another_users_habit_is_refused_and_changes_nothing(app, client, ana, make_user):
    ben = make_user("ben")
    bens_habit = _habit(app, ben["id"], "Ben's run")
    anas_habit = _habit(app, ana["id"])
    tokens = _reminder(app, ana["id"], habit=anas_habit)
    with app.app_context():  # a token the server signed, but for Ana's notification and Ben's habit
        notification = db.session.get(Notification, uuid.UUID(tokens["notification"]))
        forged = actions.make_token(notification, "done", actions.Target("habit", bens_habit,
                                                                        _local_today(app, ana["id"])))
    response = act(client, forged)
    assert response.status_code == 404
    assert _entries(app, bens_habit) == [] and not _acted(app, tokens["notification"])
    assert act(client, tokens["done"]).status_code == 200  # the notification's own token still works


def test_a_token_for_another_users_notification_changes_nothing(app, client, ana, make_user):
    ben = make_user("ben")
    habit = _habit(app, ana["id"])
    tokens = _reminder(app, ana["id"], habit=habit)
    with app.app_context():
        notification = db.session.get(Notification, uuid.UUID(tokens["notification"]))
        notification.user_id = ben["id"]  # as if the token named Ben's notification id
        forged = actions.make_token(notification, "done", actions.Target("habit", habit, _local_today(app, ana["id"])))
        db.session.rollback()
    assert act(client, forged).status_code == 404
    assert _entries(app, habit) == []


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature
    lambda t: "x" + t[1:],  # payload
    lambda t: t.split(".")[0],  # no signature at all
    lambda t: "",
])
def test_a_tampered_token_is_refused_and_changes_nothing(app, client, ana, tamper):
    habit = _habit(app, ana["id"])
    tokens = _reminder(app, ana["id"], habit=habit)
    response = act(client, tamper(tokens["done"]))
    assert response.status_code in (400, 403)
    assert _entries(app, habit) == [] and not _acted(app, tokens["notification"])


def test_a_token_signed_for_another_purpose_is_refused(app, client, ana):
    from manifest.models import User
    from manifest.notifications.services import unsubscribe_token

    with app.app_context():
        token = unsubscribe_token(db.session.get(User, ana["id"]))
    assert act(client, token).status_code == 403


def test_a_logged_in_session_without_a_token_changes_nothing(app, auth_client, user):
    habit = _habit(app, user["id"])
    for response in (auth_client.post("/notifications/push/act", json={}),
                     auth_client.post("/notifications/push/act", data={"habit_id": str(habit), "action": "done"}),
                     auth_client.post("/notifications/push/act", json={"token": 42}),
                     auth_client.post("/notifications/push/act", json=["token"])):
        assert response.status_code == 400
    assert _entries(app, habit) == []


def test_an_archived_habit_refuses_its_buttons(app, client, ana):
    habit = _habit(app, ana["id"])
    tokens = _reminder(app, ana["id"], habit=habit)
    with app.app_context():
        db.session.get(Habit, habit).is_active = False
        db.session.commit()
    assert act(client, tokens["done"]).status_code == 404
    assert _entries(app, habit) == [] and not _acted(app, tokens["notification"])


def test_a_future_day_is_refused_with_the_reason(app, client, ana):
    habit = _habit(app, ana["id"])
    tokens = _reminder(app, ana["id"], habit=habit, day=_local_today(app, ana["id"]) + timedelta(days=2))
    response = act(client, tokens["done"])
    assert response.status_code == 422 and "Future days" in response.json["message"]
    assert _entries(app, habit) == [] and not _acted(app, tokens["notification"])


def test_the_action_answers_with_the_security_headers(app, client, ana):
    habit = _habit(app, ana["id"])
    tokens = _reminder(app, ana["id"], habit=habit)
    response = act(client, tokens["done"])
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
