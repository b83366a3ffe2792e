"""The reminder job against the database: what it records, once, and what it leaves alone."""

import threading
from datetime import date, time
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import (
    DailyReview,
    Goal,
    GoalProgress,
    HabitEntry,
    HabitPause,
    Notification,
    Workout,
)
from tests.db.helpers import postgres_only
from tests.notifications.conftest import utc

DAY = date(2026, 12, 8)  # a Tuesday: no weekly summary in the way


def test_a_due_habit_reminder_is_recorded_once_however_often_the_job_runs(app, kit, user):
    habit_id = kit.habit(user["id"], "Meditate", time(7, 0))
    kit.last_run(utc(2026, 12, 8, 6, 55))
    assert kit.run(utc(2026, 12, 8, 6, 59)) == []
    assert kit.notifications() == []

    kit.run(utc(2026, 12, 8, 7, 0, 30))
    kit.run(utc(2026, 12, 8, 7, 1))
    kit.last_run(utc(2026, 12, 8, 6, 0))  # a re-run over the same window
    kit.run(utc(2026, 12, 8, 7, 2))
    [row] = kit.notifications()
    assert row["dedupe_key"] == f"habit:{habit_id}:2026-12-08"
    assert (row["title"], row["kind"], row["status"]) == ("Meditate", "habit", "sent")
    assert row["link"] == f"/?day=2026-12-08#habit-{habit_id}"
    assert row["in_app"] and not row["email"]  # no SMTP server configured: in the app only


def test_no_reminder_for_a_habit_done_skipped_or_paused_that_day(app, kit, user):
    done = kit.habit(user["id"], "Done", time(7, 0))
    skipped = kit.habit(user["id"], "Skipped", time(7, 0))
    paused = kit.habit(user["id"], "Paused", time(7, 0))
    kit.habit(user["id"], "Archived", time(7, 0), is_active=False)
    kit.habit(user["id"], "No reminder", None)
    open_ = kit.habit(user["id"], "Open", time(7, 0))
    with app.app_context():
        db.session.add_all([
            HabitEntry(habit_id=done, entry_date=DAY, completed=True),
            HabitEntry(habit_id=skipped, entry_date=DAY, skipped=True),
            HabitPause(habit_id=paused, start_date=DAY, end_date=DAY),
        ])
        db.session.commit()
    kit.last_run(utc(2026, 12, 8, 6))
    kit.run(utc(2026, 12, 8, 8))
    assert [r["dedupe_key"] for r in kit.notifications()] == [f"habit:{open_}:2026-12-08"]


def test_worker_down_for_three_hours_sends_what_is_within_grace_and_skips_the_rest(app, kit, user, make_user):
    early = kit.habit(user["id"], "Stretch", time(5, 30))
    later = kit.habit(user["id"], "Meditate", time(7, 0))
    kit.last_run(utc(2026, 12, 8, 5, 0))  # then the worker stopped
    kit.run(utc(2026, 12, 8, 8, 0))  # back three hours later (grace: 2 hours)
    rows = {r["dedupe_key"]: r for r in kit.notifications()}
    assert rows[f"habit:{early}:2026-12-08"]["status"] == "skipped"
    assert rows[f"habit:{later}:2026-12-08"]["status"] == "sent"
    kit.run(utc(2026, 12, 8, 8, 1))
    kit.last_run(utc(2026, 12, 8, 4, 0))
    kit.run(utc(2026, 12, 8, 8, 2))
    assert len(kit.notifications()) == 2


def test_skipped_reminders_are_listed_but_not_counted(app, kit, user, auth_client):
    kit.habit(user["id"], "Stretch", time(5, 30))
    kit.last_run(utc(2026, 12, 8, 5, 0))
    kit.run(utc(2026, 12, 8, 8, 0))
    page = auth_client.get("/notifications").get_data(as_text=True)
    assert "Stretch" in page and "Not sent: found too late" in page
    assert 'class="bell-count"' not in auth_client.get("/notifications/bell", headers={"HX-Request": "true"}).get_data(as_text=True)


def test_the_review_reminder_only_when_the_days_review_is_not_done(app, kit, user, other_user):
    kit.settings(user["id"], review_reminder_time=time(21, 30))
    kit.settings(other_user["id"], review_reminder_time=time(21, 30))
    with app.app_context():
        db.session.add(DailyReview(user_id=other_user["id"], review_date=DAY, mood_rating=7))
        db.session.add(DailyReview(user_id=user["id"], review_date=DAY))  # opened, nothing answered
        db.session.commit()
    kit.last_run(utc(2026, 12, 8, 21))
    kit.run(utc(2026, 12, 8, 21, 31))
    assert [(r["user_id"], r["dedupe_key"], r["link"]) for r in kit.notifications()] == [
        (user["id"], "review:2026-12-08", "/reviews/2026-12-08")]


def test_goal_reminders_before_the_deadline_unless_reached(app, kit, user):
    with app.app_context():
        open_goal = Goal(user_id=user["id"], title="Run 100 km", goal_type="monthly", target_value=Decimal(100),
                         end_date=date(2026, 12, 9))
        reached = Goal(user_id=user["id"], title="Read 2 books", goal_type="monthly", target_value=Decimal(2),
                       current_value=Decimal(2), end_date=date(2026, 12, 9))
        db.session.add_all([open_goal, reached])
        db.session.commit()
        open_id = open_goal.id
    kit.last_run(utc(2026, 12, 8, 23, 50))
    kit.run(utc(2026, 12, 9, 0, 1))  # 24 hours before the end of 9 December
    [row] = kit.notifications()
    assert row["dedupe_key"] == f"goal:{open_id}:2026-12-09"
    assert row["link"] == f"/goals/{open_id}" and "24 hours left" in row["message"]


def test_a_recurring_goal_behind_pace_is_reminded_before_its_period_closes(app, kit, user):
    with app.app_context():
        weekly = Goal(user_id=user["id"], title="Swim 3 times", goal_type="weekly", is_recurring=True,
                      target_value=Decimal(3))
        db.session.add(weekly)
        db.session.commit()
        db.session.add(GoalProgress(goal_id=weekly.id, progress_date=DAY, value=Decimal(1)))
        db.session.commit()
    kit.last_run(utc(2026, 12, 12, 23, 50))
    kit.run(utc(2026, 12, 13, 0, 1))  # the week ends with Sunday 13 December
    [row] = kit.notifications()
    assert row["dedupe_key"].endswith(":2026-12-13") and "closes in 24 hours" in row["message"]


def test_a_daily_goal_with_a_reminder_longer_than_a_day_is_reminded_as_the_day_opens(app, kit, user):
    with app.app_context():
        daily = Goal(user_id=user["id"], title="Walk 8000 steps", goal_type="daily", is_recurring=True,
                     target_value=Decimal(8000))
        db.session.add(daily)
        db.session.commit()
    kit.settings(user["id"], reminder_before_hours=72)
    kit.last_run(utc(2026, 12, 9, 23, 50))
    kit.run(utc(2026, 12, 10, 0, 1))
    [row] = kit.notifications()
    assert row["dedupe_key"].endswith(":2026-12-10") and "closes in 24 hours" in row["message"]


def test_the_weekly_summary_counts_last_week(app, kit, user):
    habit = kit.habit(user["id"], "Meditate", None)
    with app.app_context():
        db.session.add_all([
            HabitEntry(habit_id=habit, entry_date=date(2026, 12, 1), completed=True),
            HabitEntry(habit_id=habit, entry_date=date(2026, 12, 2), completed=True),
            HabitEntry(habit_id=habit, entry_date=date(2026, 12, 8), completed=True),  # this week: not counted
            Workout(user_id=user["id"], workout_date=date(2026, 12, 3), workout_type="strength"),
            DailyReview(user_id=user["id"], review_date=date(2026, 12, 4), mood_rating=6),
            DailyReview(user_id=user["id"], review_date=date(2026, 12, 5), mood_rating=9),
        ])
        db.session.commit()
    kit.last_run(utc(2026, 12, 7, 7, 55))
    kit.run(utc(2026, 12, 7, 8, 0))
    [row] = kit.notifications()
    assert row["dedupe_key"] == "digest:2026-12-07" and row["title"] == "Your week in review"
    assert "2 habit check-ins, 0 goals moved, 1 workouts, average mood 7.5/10" in row["message"]


def test_nothing_is_recorded_with_every_channel_off_or_the_kind_off(app, kit, user, other_user):
    kit.habit(user["id"], "Meditate", time(7, 0))
    kit.habit(other_user["id"], "Meditate", time(7, 0))
    kit.settings(user["id"], in_app_enabled=False, email_enabled=False)
    kit.settings(other_user["id"], habit_reminders=False)
    kit.last_run(utc(2026, 12, 8, 6))
    kit.run(utc(2026, 12, 8, 8))
    assert kit.notifications() == []


def test_each_user_gets_reminders_at_their_own_local_time(app, kit, user, other_user):
    kit.set_timezone(user["id"], "Europe/Berlin")
    kit.set_timezone(other_user["id"], "America/New_York")
    kit.habit(user["id"], "Ana's", time(7, 0))
    kit.habit(other_user["id"], "Ben's", time(7, 0))
    kit.last_run(utc(2026, 12, 8, 5, 59))
    kit.run(utc(2026, 12, 8, 6, 0))  # 07:00 in Berlin, 01:00 in New York
    assert [(r["user_id"], r["title"]) for r in kit.notifications()] == [(user["id"], "Ana's")]
    kit.last_run(utc(2026, 12, 8, 11, 59))
    kit.run(utc(2026, 12, 8, 12, 0))  # 07:00 in New York
    assert [r["user_id"] for r in kit.notifications(other_user["id"])] == [other_user["id"]]


def test_the_first_run_ever_looks_back_only_over_the_grace_window(app, kit, user):
    kit.habit(user["id"], "Long ago", time(1, 0))
    kit.habit(user["id"], "Just now", time(7, 0))
    kit.run(utc(2026, 12, 8, 7, 30))
    assert [r["title"] for r in kit.notifications()] == ["Just now"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1


def test_one_users_failure_does_not_hold_up_anyone_elses_reminders(app, kit, user, other_user, monkeypatch):
    from manifest.notifications import reminders

    kit.habit(user["id"], "Broken", time(7, 0))
    kit.habit(other_user["id"], "Meditate", time(7, 0))
    real_text = reminders._text

    def text(account, reminder):
        if account.user.id == user["id"]:
            raise RuntimeError("a bad row")
        return real_text(account, reminder)

    monkeypatch.setattr(reminders, "_text", text)
    kit.last_run(utc(2026, 12, 8, 6, 55))
    kit.run(utc(2026, 12, 8, 7, 1))
    assert [(r["user_id"], r["title"]) for r in kit.notifications()] == [(other_user["id"], "Meditate")]
    with app.app_context():
        # The window stays open for the failed user's reminders (bounded by the lookback); the
        # other user's, already recorded, are known by their key and never sent twice.
        assert reminders.last_run() == utc(2026, 12, 8, 6, 55)
    kit.run(utc(2026, 12, 8, 7, 2))
    assert [(r["user_id"], r["title"]) for r in kit.notifications()] == [(other_user["id"], "Meditate")]


def test_an_unknown_time_zone_reads_as_utc(app, kit, user):
    kit.set_timezone(user["id"], "Mars/Olympus_Mons")
    kit.habit(user["id"], "Meditate", time(7, 0))
    kit.last_run(utc(2026, 12, 8, 6, 55))
    kit.run(utc(2026, 12, 8, 7, 1))
    assert [r["title"] for r in kit.notifications()] == ["Meditate"]


@postgres_only
def test_runs_racing_on_postgresql_record_and_enqueue_each_reminder_once(mail_app, kit, user, other_user):
    from manifest.notifications import reminders

    for owner in (user, other_user):
        kit.habit(owner["id"], "Meditate", time(7, 0))
    kit.last_run(utc(2026, 12, 8, 6, 55))
    barrier, enqueued, errors = threading.Barrier(4), [], []

    def consumer():
        try:
            with mail_app.app_context():
                barrier.wait(timeout=30)
                enqueued.extend(reminders.run(utc(2026, 12, 8, 7, 1)))
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=consumer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    rows = kit.notifications()
    assert len(rows) == 2 and {r["user_id"] for r in rows} == {user["id"], other_user["id"]}
    # Only the run that inserted a row asks for its email.
    assert sorted(enqueued) == sorted(r["id"] for r in rows)
