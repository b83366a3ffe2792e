"""Snapshots in the database: backfill, the periodic job, the CLI, and edits of past days."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Goal, Habit, ProgressSnapshot, Workout
from manifest.progress import freshness, logic, services, tasks
from manifest.timeutil import local_today
from tests.conftest import HX
from tests.progress.conftest import (
    add_habit,
    add_review,
    add_weight,
    add_workout,
    age_account,
    load_user,
    snapshots,
)


def _today(app, user_id) -> date:
    with app.app_context():
        return local_today(load_user(user_id))


def _backfill(app, user_id) -> int:
    with app.app_context():
        count = services.backfill(load_user(user_id))
        db.session.commit()
        return count


def _seed(app, user_id, today: date, days: int = 70):
    for back in range(days, 0, -3):
        add_workout(app, user_id, today - timedelta(days=back), minutes=back)
    for back in range(days, 0, -2):
        add_review(app, user_id, today - timedelta(days=back), mood=1 + back % 10, energy=10 - back % 10)
    add_weight(app, user_id, today - timedelta(days=days), "81.5")
    add_weight(app, user_id, today - timedelta(days=10), "180", unit="lbs")
    add_habit(app, user_id, today - timedelta(days=days), [today - timedelta(days=b) for b in range(days, 0, -2)])


def test_backfill_stores_every_closed_period_once_and_again_changes_nothing(app, user):
    today = _today(app, user["id"])
    _seed(app, user["id"], today)
    first = _backfill(app, user["id"])
    stored = snapshots(app, user["id"])
    with app.app_context():
        start = services.first_day(load_user(user["id"]))
    expected = sum(len({p.start for p in logic.closed_periods(kind, start, today)}
                       | {p.start for p in services.charted_closed(kind, today)}) for kind in logic.KINDS)
    assert first == expected == len(stored)
    assert all(kind in logic.KINDS and day == logic.period(kind, day).start for kind, day in stored)
    assert all(logic.period(kind, day).end < today for kind, day in stored)

    again = _backfill(app, user["id"])
    restored = snapshots(app, user["id"])
    assert again == first and set(restored) == set(stored)
    for key, row in stored.items():
        assert restored[key].id == row.id  # updated in place on the unique key, never duplicated
        assert all(getattr(restored[key], f) == getattr(row, f) for f in logic.FIELDS)


def test_a_snapshot_holds_what_the_rows_say(app, user):
    today = _today(app, user["id"])
    _seed(app, user["id"], today)
    _backfill(app, user["id"])
    week = logic.previous("weekly", logic.period("weekly", today))
    row = snapshots(app, user["id"], "weekly")[("weekly", week.start)]
    with app.app_context():
        workouts = db.session.execute(sa.select(sa.func.count(), sa.func.sum(Workout.duration_minutes)).where(
            Workout.user_id == user["id"], Workout.workout_date.between(week.start, week.end))).one()
    assert (row.total_workouts, row.total_workout_minutes or 0) == (workouts[0], workouts[1] or 0)
    moods = [1 + b % 10 for b in range(70, 0, -2) if week.start <= today - timedelta(days=b) <= week.end]
    assert float(row.average_daily_mood) == round(sum(moods) / len(moods), 2)
    # 180 lbs ten days ago is the latest weight of the month holding it; stored in the user's unit (kg).
    month = logic.period("monthly", today - timedelta(days=10))
    if month.end < today:
        monthly = snapshots(app, user["id"], "monthly")[("monthly", month.start)]
        assert (monthly.weight, monthly.weight_unit) == (Decimal("81.65"), "kg")


def test_an_edit_of_a_past_day_removes_its_periods_snapshots_and_a_visit_computes_them_again(
        app, user, auth_client, immediate_jobs):
    today = _today(app, user["id"])
    _seed(app, user["id"], today)
    _backfill(app, user["id"])
    past = today - timedelta(days=15)
    week, month = logic.period("weekly", past), logic.period("monthly", past)
    other_week = logic.previous("weekly", week)
    before = snapshots(app, user["id"])
    old_count = before[("weekly", week.start)].total_workouts

    response = auth_client.post("/workouts/new", data={"workout_date": past.isoformat(), "workout_type": "strength",
                                                        "duration_minutes": "45"})
    assert response.status_code == 303
    after = snapshots(app, user["id"])
    assert ("weekly", week.start) not in after
    assert (month.end >= today) or ("monthly", month.start) not in after
    assert ("weekly", other_week.start) in after  # the rest of the history stays

    assert auth_client.get("/progress/?period=weekly").status_code == 200
    recomputed = snapshots(app, user["id"])[("weekly", week.start)]
    assert recomputed.total_workouts == old_count + 1


def test_a_late_review_and_a_past_check_in_reach_the_snapshots_through_bulk_statements(app, user, auth_client):
    today = _today(app, user["id"])
    habit_id = add_habit(app, user["id"], today - timedelta(days=60), name="Stretch")
    _seed(app, user["id"], today)
    _backfill(app, user["id"])
    review_day, check_day = today - timedelta(days=9), today - timedelta(days=23)
    assert auth_client.post(f"/reviews/{review_day.isoformat()}", data={"mood_rating": "9"}, headers=HX).status_code == 200
    assert auth_client.post(f"/habits/{habit_id}/days/{check_day.isoformat()}", data={"state": "done"}, headers=HX).status_code == 200
    left = snapshots(app, user["id"], "weekly")
    assert ("weekly", logic.period("weekly", review_day).start) not in left
    assert ("weekly", logic.period("weekly", check_day).start) not in left


def test_habits_goals_and_entries_inserted_with_their_past_reach_the_periods_since(app, user, other_user):
    today = _today(app, user["id"])
    _seed(app, user["id"], today, days=400)
    _backfill(app, user["id"])
    start = today - timedelta(days=200)
    moment = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    with app.app_context():
        db.session.execute(sa.insert(Habit), [{"id": uuid.uuid4(), "user_id": user["id"], "name": "Old",
                                              "created_at": moment, "updated_at": moment}])
        db.session.execute(sa.insert(Goal), [{"id": uuid.uuid4(), "user_id": user["id"], "title": "Old goal", "goal_type": "life",
                                             "created_at": moment, "updated_at": moment}])
        db.session.commit()
    left = snapshots(app, user["id"])
    early = today - timedelta(days=300)
    assert ("monthly", logic.period("monthly", early).start) in left
    assert all(start - timedelta(days=1) > logic.period(kind, day).end for kind, day in left)
    assert not any(day >= logic.period("monthly", start).start for kind, day in left if kind == "monthly")


def test_writes_dated_in_open_periods_touch_no_snapshot():
    now_day = date.today()
    far_past = now_day - timedelta(days=400)
    assert freshness.could_be_closed(far_past)
    assert not freshness.could_be_closed(now_day + timedelta(days=30))


def test_deleting_a_past_measurement_removes_the_months_snapshot(app, user, auth_client):
    today = _today(app, user["id"])
    _seed(app, user["id"], today)
    _backfill(app, user["id"])
    with app.app_context():
        [row] = services.measurements(load_user(user["id"]), until=today - timedelta(days=60))
        day, row_id = row.measured_on, row.id
    assert ("monthly", logic.period("monthly", day).start) in snapshots(app, user["id"])
    assert auth_client.post(f"/progress/measurements/{row_id}/delete").status_code == 303
    assert ("monthly", logic.period("monthly", day).start) not in snapshots(app, user["id"])


def test_the_periodic_job_stores_the_periods_that_closed_and_is_idempotent(app, user, other_user):
    today = _today(app, user["id"])
    age_account(app, user["id"], 40)
    add_workout(app, user["id"], today - timedelta(days=8))
    with app.app_context():
        first = tasks.refresh_all()
    stored = snapshots(app, user["id"])
    last_week = logic.previous("weekly", logic.period("weekly", today))
    assert stored[("weekly", last_week.start)].total_workouts == (1 if (today - timedelta(days=8)) in last_week else 0)
    assert first >= len(stored)
    with app.app_context():
        assert tasks.refresh_all() == 0  # nothing new closed
    assert snapshots(app, user["id"]).keys() == stored.keys()
    assert snapshots(app, other_user["id"])  # every active user


def test_flask_snapshots_backfill(app, user):
    today = _today(app, user["id"])
    add_workout(app, user["id"], today - timedelta(days=100))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["snapshots", "backfill"])
    assert result.exit_code == 0, result.output
    assert "ana:" in result.output
    count = len(snapshots(app, user["id"]))
    assert count >= 14 + 3
    result = runner.invoke(args=["snapshots", "backfill", "--user", "ana"])
    assert result.exit_code == 0 and len(snapshots(app, user["id"])) == count
    assert runner.invoke(args=["snapshots", "backfill", "--user", "nobody"]).exit_code != 0


def test_deleting_the_user_deletes_their_snapshots(app, user):
    _backfill(app, user["id"])
    with app.app_context():
        db.session.execute(sa.text("DELETE FROM users WHERE id = :id"), {"id": user["id"].hex if app.config[
            "SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else str(user["id"])})
        db.session.commit()
        assert not db.session.scalar(sa.select(sa.func.count()).select_from(ProgressSnapshot))


def test_a_habits_new_schedule_or_pause_or_a_new_time_zone_recomputes_every_period(app, user, auth_client):
    today = _today(app, user["id"])
    habit_id = add_habit(app, user["id"], today - timedelta(days=90))
    _backfill(app, user["id"])
    assert snapshots(app, user["id"])
    start = (today - timedelta(days=60)).isoformat()
    response = auth_client.post(f"/habits/{habit_id}/pauses", data={"start_date": start, "end_date": start})
    assert response.status_code in (200, 303)
    assert not snapshots(app, user["id"])

    _backfill(app, user["id"])
    with app.app_context():
        load_user(user["id"]).timezone = "Asia/Tokyo"
        db.session.commit()
    assert not snapshots(app, user["id"])


def test_completing_a_goal_today_keeps_the_stored_history(app, user):
    from manifest.models import Goal

    _seed(app, user["id"], _today(app, user["id"]))
    _backfill(app, user["id"])
    before = len(snapshots(app, user["id"]))
    with app.app_context():
        goal = Goal(user_id=user["id"], title="Run", goal_type="life")
        db.session.add(goal)
        db.session.commit()
        from datetime import UTC, datetime

        goal.status, goal.completed_at = "completed", datetime.now(UTC)
        db.session.commit()
    assert len(snapshots(app, user["id"])) == before


def test_periods_are_the_users_own_days_whatever_their_time_zone(app, make_user):
    """A journal entry published at 10:30 UTC on Sunday 29 November is Monday 30 November in
    Kiritimati (UTC+14): it belongs to the week starting that Monday there, and to the week
    before in Honolulu (UTC-10), where it is still Sunday 00:30."""
    from datetime import UTC, datetime

    from manifest.models import BlogEntry

    moment = datetime(2026, 11, 29, 10, 30, tzinfo=UTC)
    weeks = {}
    for name, zone in (("kiri", "Pacific/Kiritimati"), ("hono", "Pacific/Honolulu")):
        person = make_user(name, timezone=zone)
        with app.app_context():
            db.session.add(BlogEntry(user_id=person["id"], title="Late", slug="late", status="published",
                                     published_at=moment))
            db.session.commit()
            owner = load_user(person["id"])
            summariser = logic.Summariser(services.load_history(owner, date(2026, 11, 1)))
            today = date(2026, 12, 20)
            weeks[name] = {p.start: summariser.values(p, today).total_blog_entries
                           for p in logic.periods_between("weekly", date(2026, 11, 23), date(2026, 12, 6))}
    assert weeks["kiri"] == {date(2026, 11, 23): 0, date(2026, 11, 30): 1}
    assert weeks["hono"] == {date(2026, 11, 23): 1, date(2026, 11, 30): 0}
