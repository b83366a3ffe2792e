"""Shared by the database tests: which database runs, scratch databases, and rows in every table."""

import os
import shutil
import uuid
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from config import normalise_database_url
from manifest.extensions import db
from manifest.models import (
    ApiIdempotencyKey,
    ApiToken,
    BlogEntry,
    BlogEntryView,
    DailyReview,
    DataExport,
    DataImport,
    Food,
    Goal,
    GoalMilestone,
    GoalProgress,
    Habit,
    HabitEntry,
    HabitPause,
    ImportedRow,
    Measurement,
    Media,
    Notification,
    NotificationSettings,
    ProgressSnapshot,
    PushDelivery,
    PushSubscription,
    Tag,
    Taggable,
    Workout,
    WorkoutExercise,
    WorkoutSet,
    YearReview,
)

TEST_URL = normalise_database_url(os.environ.get("TEST_DATABASE_URL")) or ""
ON_POSTGRES = TEST_URL.startswith("postgresql")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_only(test):
    return pytest.mark.postgres(pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL")(test))


def require_pg_tools() -> None:
    """Skip without pg_dump/pg_restore on a developer machine; in CI their absence is a failure."""
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if shutil.which(tool) is None]
    if missing:
        if IN_CI:
            pytest.fail(f"{', '.join(missing)} not installed, and CI must run the backup check")
        pytest.skip(f"{', '.join(missing)} not installed")


# The fourteen tables of the data model; every one of them belongs to a user.
DATA_MODEL_TABLES = (
    "users", "goals", "goal_progress", "habits", "habit_entries", "foods", "workouts", "workout_exercises",
    "daily_reviews", "blog_entries", "tags", "taggables", "media", "progress_snapshots",
)
# Tables that hold no user's data.
SYSTEM_TABLES = ("login_failures", "job_runs")


def user_tables() -> list[str]:
    """Every table holding a user's rows: the data model and whatever has been added since."""
    return [t.name for t in db.metadata.sorted_tables if t.name not in SYSTEM_TABLES]


@contextmanager
def scratch_postgres_database():
    """A brand-new, empty database on the test server, dropped afterwards; yields its URL."""
    name = f"manifest_scratch_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(TEST_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(TEST_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def populate(user_id: uuid.UUID, day: date = date(2024, 3, 1)) -> dict[str, set[uuid.UUID]]:
    """Give a user rows in every table through the ORM (tags pointing at every taggable kind).

    Returns the ids created, by table name. Call inside an app context; commits.
    """
    made = []

    def add(*rows):
        db.session.add_all(rows)
        db.session.flush()
        made.extend(rows)
        return rows

    goal, = add(Goal(user_id=user_id, title="Run a marathon", goal_type="yearly", target_value=Decimal("42.2")))
    sub_goal, = add(Goal(user_id=user_id, parent_goal_id=goal.id, title="Run 10 km", goal_type="monthly"))
    add(
        GoalMilestone(goal_id=goal.id, title="Half marathon", position=0, done_at=datetime(2024, 2, 1, tzinfo=UTC)),
        GoalMilestone(goal_id=goal.id, title="30 km long run", position=1, target_date=date(2024, 5, 1)),
        GoalProgress(goal_id=goal.id, progress_date=day, value=Decimal(5), percentage=Decimal("11.85")),
        GoalProgress(goal_id=sub_goal.id, progress_date=day, value=Decimal(5), percentage=Decimal(50)),
    )
    habit, = add(Habit(user_id=user_id, name="Meditate", frequency="weekly", target_days=3, color="#336699"))
    add(
        HabitEntry(habit_id=habit.id, entry_date=day, completed=True, completed_at=datetime(2024, 3, 1, 7, tzinfo=UTC)),
        HabitEntry(habit_id=habit.id, entry_date=date(2024, 3, 2), skipped=True, notes="Travelling"),
        HabitPause(habit_id=habit.id, start_date=date(2024, 3, 10), end_date=date(2024, 3, 12)),
    )
    breakfast, _ = add(
        Food(user_id=user_id, meal_date=day, meal_type="breakfast", food_name="Oats", calories=Decimal(350)),
        Food(user_id=user_id, meal_date=day, meal_time=time(13), meal_type="lunch", food_name="Soup"),
    )
    workout, = add(Workout(user_id=user_id, workout_date=day, workout_name="Intervals", duration_minutes=40))
    _, squat = add(
        WorkoutExercise(workout_id=workout.id, exercise_name="Sprint", sets=8, distance=Decimal("0.4"),
                        distance_unit="km", order_index=0),
        WorkoutExercise(workout_id=workout.id, exercise_name="Squat", sets=3, reps=10, weight=Decimal(60),
                        weight_unit="kg", order_index=1),
    )
    add(
        WorkoutSet(workout_exercise_id=squat.id, position=0, reps=10, weight=Decimal(60), weight_unit="kg"),
        WorkoutSet(workout_exercise_id=squat.id, position=1, reps=6, weight=Decimal(70), weight_unit="kg"),
    )
    review, = add(DailyReview(user_id=user_id, review_date=day, mood_rating=7, sleep_hours=Decimal("7.5")))
    entry, = add(BlogEntry(user_id=user_id, title="Week one", slug="week-one", content="Going well."))
    add(BlogEntryView(blog_entry_id=entry.id, visitor_key="a" * 64, viewed_on=day))
    tag, = add(Tag(user_id=user_id, name="Health", slug="health", color="#00aa55"))
    targets = {"goal": goal, "habit": habit, "blog_entry": entry, "workout": workout, "food": breakfast,
               "daily_review": review}
    add(*(Taggable(tag_id=tag.id, taggable_type=kind, taggable_id=row.id) for kind, row in targets.items()))
    # Before the snapshot: a weigh-in in a past period removes that period's snapshots.
    add(
        Measurement(user_id=user_id, measured_on=day, weight=Decimal("70.5"), weight_unit="kg",
                    body_fat_percentage=Decimal("18.5"), waist=Decimal(80), waist_unit="cm", note="Morning"),
        YearReview(user_id=user_id, year=day.year, is_public=True),
    )
    add(
        Media(user_id=user_id, file_name="finish.jpg", file_path=f"{user_id}/{uuid.uuid4()}.jpg",
              file_type="image/jpeg", file_size=123_456, width=800, height=600,
              related_to_type="goal", related_to_id=goal.id),
        ProgressSnapshot(user_id=user_id, snapshot_date=day, snapshot_type="weekly", total_goals=2,
                         habit_completion_rate=Decimal("66.67"), weight=Decimal("70.5"), weight_unit="kg"),
    )
    notification, *_ = add(
        Notification(user_id=user_id, kind="habit", dedupe_key=f"habit:{habit.id}:{day}", title="Meditate",
                     message="Time for Meditate.", link="/", scheduled_at=datetime(2024, 3, 1, 7, tzinfo=UTC)),
        NotificationSettings(user_id=user_id, review_reminder_time=time(21, 30)),
        DataExport(user_id=user_id, status="done", file_name=f"{uuid.uuid4().hex}.zip", file_size=1024),
        DataImport(user_id=user_id, status="done", source="loop", label="loop.zip", result={"added": {}}),
        ImportedRow(user_id=user_id, area="habits", source_id=uuid.uuid4(), row_id=habit.id),
    )
    token, = add(ApiToken(user_id=user_id, name="Phone", token_hash=uuid.uuid4().hex * 2, prefix="lm_abcdefg",
                          scopes="read write"))
    add(ApiIdempotencyKey(token_id=token.id, key="tap-1", route="POST /api/v1/foods", request_hash="0" * 64,
                          status_code=201, response_body="{}"))
    device, = add(PushSubscription(user_id=user_id, endpoint=f"https://fcm.googleapis.com/fcm/send/{user_id}",
                                   p256dh="key", auth="secret", name="Phone"))
    add(PushDelivery(notification_id=notification.id, subscription_id=device.id))
    db.session.commit()

    ids = defaultdict(set)
    ids["users"].add(user_id)
    for row in made:
        ids[row.__table__.name].add(row.id)
    return dict(ids)


def surviving(ids: dict[str, set[uuid.UUID]]) -> dict[str, int]:
    """How many of the given rows still exist, by table."""
    tables = db.metadata.tables
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(tables[name]).where(tables[name].c.id.in_(row_ids)))
        for name, row_ids in ids.items()
    }


def table_counts() -> dict[str, int]:
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(db.metadata.tables[name]))
        for name in user_tables()
    }
