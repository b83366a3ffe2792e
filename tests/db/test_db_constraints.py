"""Every CHECK and UNIQUE constraint refuses a bad row and accepts its boundary values,
and the ones a user can reach answer with a clear message instead of a 500."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from manifest.account import services as account_services
from manifest.auth import services as auth_services
from manifest.extensions import db
from manifest.models import User
from manifest.models.goal import GOAL_MEASURES, GOAL_ROLLUPS, GOAL_STATUSES, GOAL_TYPES
from manifest.models.habit import HABIT_TYPES, TARGET_DIRECTIONS
from manifest.models.journal import ENTRY_STATUSES
from manifest.models.measurement import WAIST_UNITS
from manifest.models.notification import NOTIFICATION_KINDS, NOTIFICATION_STATUSES
from manifest.models.nutrition import MEAL_TYPES
from manifest.models.push import PUSH_DELIVERY_STATUSES
from manifest.models.snapshot import SNAPSHOT_TYPES
from manifest.models.tag import TAGGABLE_TYPES
from manifest.models.transfer import EXPORT_STATUSES, IMPORT_SOURCES, IMPORT_STATUSES
from manifest.models.user import (
    DISTANCE_PREFERENCES,
    NUTRITION_TARGETS,
    WEIGHT_PREFERENCES,
)
from manifest.models.workout import DISTANCE_UNITS, INTENSITIES, SET_TYPES, WEIGHT_UNITS
from tests.conftest import HX, PASSWORD

DAY = date(2024, 3, 1)
USER, OTHER_USER, GOAL, HABIT, WORKOUT, TAG = "$user", "$other_user", "$goal", "$habit", "$workout", "$tag"
EXERCISE, ENTRY, TOKEN, NOTIFICATION, DEVICE = "$exercise", "$entry", "$token", "$notification", "$device"


class Rows:
    """Inserts minimal valid rows with plain SQL (no ORM rules in the way), one transaction each."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.n = 0
        self.refs: dict[str, uuid.UUID] = {}
        self.refs[USER] = self.insert("users")
        self.refs[OTHER_USER] = self.insert("users")
        self.refs[GOAL] = self.insert("goals")
        self.refs[HABIT] = self.insert("habits")
        self.refs[WORKOUT] = self.insert("workouts")
        self.refs[TAG] = self.insert("tags")
        self.refs[EXERCISE] = self.insert("workout_exercises")
        self.refs[ENTRY] = self.insert("blog_entries")
        self.refs[TOKEN] = self.insert("api_tokens")
        self.refs[NOTIFICATION] = self.insert("notifications")
        self.refs[DEVICE] = self.insert("push_subscriptions")
        self.refs["$other_notification"] = self.insert("notifications")

    def template(self, table: str) -> dict:
        n = self.n = self.n + 1
        day = DAY + timedelta(days=n)
        if table == "notification_settings":
            return {"user_id": self.insert("users")}  # one row per user
        if table == "push_deliveries":
            return {"notification_id": NOTIFICATION, "subscription_id": self.insert("push_subscriptions")}
        return {
            "users": {"email": f"user{n}@example.com", "username": f"user{n}", "password_hash": "x"},
            "goals": {"user_id": USER, "title": "Goal", "goal_type": "daily"},
            "goal_progress": {"goal_id": GOAL, "progress_date": day, "value": 1},
            "goal_milestones": {"goal_id": GOAL, "title": "Milestone"},
            "habits": {"user_id": USER, "name": "Habit"},
            "habit_entries": {"habit_id": HABIT, "entry_date": day},
            "habit_pauses": {"habit_id": HABIT, "start_date": day, "end_date": day},
            "foods": {"user_id": USER, "meal_date": day, "meal_type": "lunch", "food_name": "Soup"},
            "workouts": {"user_id": USER, "workout_date": day},
            "workout_exercises": {"workout_id": WORKOUT, "exercise_name": "Squat"},
            "workout_sets": {"workout_exercise_id": EXERCISE},
            "daily_reviews": {"user_id": USER, "review_date": day},
            "blog_entries": {"user_id": USER, "title": "Entry", "slug": f"entry-{n}"},
            "blog_entry_views": {"blog_entry_id": ENTRY, "visitor_key": f"visitor{n}", "viewed_on": day},
            "tags": {"user_id": USER, "name": f"Tag {n}", "slug": f"tag-{n}"},
            "taggables": {"tag_id": TAG, "taggable_type": "goal", "taggable_id": uuid.uuid4()},
            "media": {"user_id": USER, "file_name": "a.jpg", "file_path": f"{n}.jpg", "file_type": "image/jpeg",
                      "file_size": 1},
            "progress_snapshots": {"user_id": USER, "snapshot_date": day, "snapshot_type": "weekly"},
            "body_measurements": {"user_id": USER, "measured_on": day, "weight": 70, "weight_unit": "kg",
                                  "body_fat_percentage": 20},
            "year_reviews": {"user_id": USER, "year": 2000 + n % 900},
            "login_failures": {"scope": "account", "key": f"key{n}"},
            "notifications": {"user_id": USER, "kind": "habit", "dedupe_key": f"key{n}", "title": "Meditate",
                              "message": "Time for Meditate.", "scheduled_at": datetime(2024, 3, 1, tzinfo=UTC)},
            "job_runs": {"name": f"job{n}", "last_run_at": datetime(2024, 3, 1, tzinfo=UTC)},
            "api_tokens": {"user_id": USER, "name": "Script", "token_hash": f"{n:064x}", "prefix": "lm_abc",
                           "scopes": "read"},
            "api_idempotency_keys": {"token_id": TOKEN, "key": f"key{n}", "route": "POST /api/v1/foods",
                                     "request_hash": "0" * 64},
            "data_exports": {"user_id": USER},
            "data_imports": {"user_id": USER, "label": "loop.zip"},
            "imported_rows": {"user_id": USER, "area": "habits", "source_id": uuid.uuid4(), "row_id": uuid.uuid4()},
            "push_subscriptions": {"user_id": USER, "endpoint": f"https://fcm.googleapis.com/fcm/send/{n}",
                                   "p256dh": "key", "auth": "secret", "name": "Phone"},
        }[table]

    def insert(self, table: str, **overrides) -> uuid.UUID:
        values = {**self.template(table), **overrides}
        values = {k: self.refs.get(v, v) if isinstance(v, str) else v for k, v in values.items()}
        values.setdefault("id", uuid.uuid4())
        with self.engine.begin() as conn:
            conn.execute(db.metadata.tables[table].insert().values(**values))
        return values["id"]


@dataclass
class Check:
    name: str
    table: str
    bad: list[dict]
    good: list[dict] = field(default_factory=list)


def allowed(table, column, values, *, bad, nullable=False):
    good = [{column: v} for v in values] + ([{column: None}] if nullable else [])
    # A known value in the wrong case is refused too: the checks compare exactly.
    return Check(f"ck_{table}_{column}_allowed", table, [{column: bad}, {column: values[-1].upper()}], good)


def null_if_allowed(table, column) -> list[dict]:
    # The range checks let NULL ("not recorded") through wherever the column allows it.
    return [{column: None}] if db.metadata.tables[table].c[column].nullable else []


def non_negative(table, *columns):
    return [
        Check(f"ck_{table}_{c}_non_negative", table, [{c: -1}], [{c: 0}, *null_if_allowed(table, c)]) for c in columns
    ]


def between(table, column, low, high, step=1):
    return Check(f"ck_{table}_{column}_range", table, [{column: low - step}, {column: high + step}],
                 [{column: low}, {column: high}, *null_if_allowed(table, column)])


def hex_color(table):
    bad = [{"color": "red"}, {"color": "#12345"}, {"color": "1234567"}, {"color": "#zzzzzz"}, {"color": "#12345g"}]
    return Check(f"ck_{table}_color_hex", table, bad,
                 [{"color": "#a1b2c3"}, {"color": "#A1B2C3"}, {"color": None}])


CENT, TENTH = Decimal("0.01"), Decimal("0.1")
RATINGS = ("mood_rating", "energy_level", "productivity_rating", "sleep_quality")

CHECKS = [
    allowed("goals", "goal_type", GOAL_TYPES, bad="hourly"),
    allowed("goals", "status", GOAL_STATUSES, bad="deleted"),
    between("goals", "priority", 0, 5),
    *non_negative("goals", "target_value"),
    Check("ck_goals_dates_ordered", "goals", [{"start_date": DAY, "end_date": DAY - timedelta(days=1)}],
          [{"start_date": DAY, "end_date": DAY}, {"start_date": None, "end_date": DAY}]),
    Check("ck_goals_measure_allowed", "goals", [{"measure": "manual"}, {"measure": "ENTRIES"}],
          [{"measure": m} for m in GOAL_MEASURES if m != "source"]
          + [{"measure": "source", "source_key": "habit", "source_id": uuid.UUID(int=7)}]),
    allowed("goals", "rollup", GOAL_ROLLUPS, bad="max"),
    Check("ck_goals_source_linked", "goals",
          [{"measure": "source", "source_key": None, "source_id": uuid.UUID(int=7)},
           {"measure": "source", "source_key": "habit", "source_id": None}],
          [{"measure": "source", "source_key": "habit", "source_id": uuid.UUID(int=7)},
           {"measure": "entries", "source_key": None, "source_id": None}]),
    Check("ck_goals_life_not_recurring", "goals", [{"goal_type": "life", "is_recurring": True}],
          [{"goal_type": "life", "is_recurring": False}, {"goal_type": "yearly", "is_recurring": True}]),
    *non_negative("goal_progress", "percentage"),
    *non_negative("goal_milestones", "position"),
    Check("ck_habits_frequency_allowed", "habits", [{"frequency": "monthly"}, {"frequency": "DAILY"}],
          [{"frequency": "daily"}, {"frequency": "weekly", "target_days": 1},
           {"frequency": "custom", "weekday_mask": 1}]),
    hex_color("habits"),
    Check("ck_habits_target_days_positive", "habits", [{"target_days": 0}], [{"target_days": 1}]),
    *non_negative("habits", "current_streak", "longest_streak", "total_completions", "longest_before_period"),
    Check("ck_habits_habit_type_allowed", "habits", [{"habit_type": "boolean"}, {"habit_type": "YES_NO"}],
          [{"habit_type": HABIT_TYPES[0]}, {"habit_type": HABIT_TYPES[1], "target_value": 1}]),
    allowed("habits", "target_direction", TARGET_DIRECTIONS, bad="exactly"),
    Check("ck_habits_weekly_times", "habits", [{"frequency": "weekly", "target_days": 8}],
          [{"frequency": "weekly", "target_days": 1}, {"frequency": "weekly", "target_days": 7},
           {"frequency": "daily", "target_days": 8}]),
    Check("ck_habits_custom_weekdays", "habits",
          [{"frequency": "custom", "weekday_mask": 0}, {"frequency": "custom", "weekday_mask": 128}],
          [{"frequency": "custom", "weekday_mask": 1}, {"frequency": "custom", "weekday_mask": 127}]),
    Check("ck_habits_numeric_target", "habits", [{"habit_type": "numeric", "target_value": 0}],
          [{"habit_type": "numeric", "target_value": CENT}, {"habit_type": "yes_no", "target_value": 0}]),
    between("habit_entries", "mood", 1, 10),
    *non_negative("habit_entries", "value"),
    Check("ck_habit_entries_done_or_skipped", "habit_entries", [{"completed": True, "skipped": True}],
          [{"completed": True, "skipped": False}, {"completed": False, "skipped": True}]),
    Check("ck_habit_pauses_dates_ordered", "habit_pauses", [{"start_date": DAY, "end_date": DAY - timedelta(days=1)}],
          [{"start_date": DAY, "end_date": DAY}]),
    allowed("foods", "meal_type", MEAL_TYPES, bad="brunch"),
    *non_negative("foods", "calories", "protein_grams", "carbs_grams", "fats_grams", "fiber_grams", "sugar_grams",
                  "sodium_mg"),
    allowed("workouts", "intensity", INTENSITIES, bad="extreme", nullable=True),
    *non_negative("workouts", "duration_minutes", "calories_burned"),
    between("workouts", "mood_before", 1, 10),
    between("workouts", "mood_after", 1, 10),
    allowed("workout_exercises", "weight_unit", WEIGHT_UNITS, bad="oz", nullable=True),
    allowed("workout_exercises", "distance_unit", DISTANCE_UNITS, bad="yards", nullable=True),
    *non_negative("workout_exercises", "sets", "reps", "weight", "distance", "duration_seconds", "rest_seconds"),
    allowed("workout_sets", "weight_unit", WEIGHT_UNITS, bad="oz", nullable=True),
    allowed("workout_sets", "set_type", SET_TYPES, bad="super"),
    *non_negative("workout_sets", "reps", "weight", "position"),
    allowed("users", "weight_unit", WEIGHT_PREFERENCES, bad="st"),
    allowed("users", "distance_unit", DISTANCE_PREFERENCES, bad="yd"),
    *non_negative("users", *NUTRITION_TARGETS),
    *(between("daily_reviews", rating, 1, 10) for rating in RATINGS),
    between("daily_reviews", "sleep_hours", 0, 24, step=TENTH),
    *non_negative("daily_reviews", "water_intake_ml", "steps"),
    between("daily_reviews", "screen_time_minutes", 0, 1440),
    allowed("blog_entries", "status", ENTRY_STATUSES, bad="deleted"),
    *non_negative("blog_entries", "view_count"),
    hex_color("tags"),
    *non_negative("tags", "usage_count"),
    allowed("taggables", "taggable_type", TAGGABLE_TYPES, bad="media"),
    *non_negative("media", "file_size"),
    Check("ck_media_width_positive", "media", [{"width": 0}], [{"width": 1}, {"width": None}]),
    Check("ck_media_height_positive", "media", [{"height": 0}], [{"height": 1}, {"height": None}]),
    allowed("media", "related_to_type", TAGGABLE_TYPES, bad="media", nullable=True),
    allowed("progress_snapshots", "snapshot_type", SNAPSHOT_TYPES, bad="daily"),
    allowed("progress_snapshots", "weight_unit", WEIGHT_UNITS, bad="oz", nullable=True),
    *non_negative("progress_snapshots", "total_goals", "completed_goals", "active_habits", "total_workouts",
                  "total_workout_minutes", "total_blog_entries", "weight"),
    between("progress_snapshots", "habit_completion_rate", 0, 100, step=CENT),
    between("progress_snapshots", "average_daily_mood", 1, 10, step=CENT),
    between("progress_snapshots", "average_energy_level", 1, 10, step=CENT),
    between("progress_snapshots", "body_fat_percentage", 0, 100, step=TENTH),
    Check("ck_body_measurements_weight_unit_allowed", "body_measurements", [{"weight_unit": "oz"}, {"weight_unit": "KG"}],
          [{"weight_unit": "kg"}, {"weight_unit": "lbs"}, {"weight": None, "weight_unit": None}]),
    allowed("body_measurements", "waist_unit", WAIST_UNITS, bad="mm", nullable=True),
    *non_negative("body_measurements", "weight"),
    Check("ck_body_measurements_waist_non_negative", "body_measurements", [{"waist": -1, "waist_unit": "cm"}],
          [{"waist": 0, "waist_unit": "cm"}, {"waist": None}]),
    between("body_measurements", "body_fat_percentage", 0, 100, step=TENTH),
    Check("ck_body_measurements_something_measured", "body_measurements",
          [{"weight": None, "body_fat_percentage": None}],
          [{"weight": None, "body_fat_percentage": None, "waist": 80, "waist_unit": "cm"}]),
    Check("ck_body_measurements_weight_has_unit", "body_measurements", [{"weight_unit": None}], [{"weight_unit": "lbs"}]),
    Check("ck_body_measurements_waist_has_unit", "body_measurements", [{"waist": 80}], [{"waist": 80, "waist_unit": "in"}]),
    between("year_reviews", "year", 1900, 2999),
    allowed("login_failures", "scope", ("account", "address"), bad="user"),
    allowed("notifications", "kind", NOTIFICATION_KINDS, bad="push"),
    allowed("notifications", "status", NOTIFICATION_STATUSES, bad="lost"),
    *non_negative("notifications", "attempts"),
    between("notification_settings", "reminder_before_hours", 1, 720),
    Check("ck_habits_rhythm_valid", "habits",
          [{"rhythm_times": 2, "rhythm_days": None}, {"rhythm_times": 0, "rhythm_days": 3},
           {"rhythm_times": 4, "rhythm_days": 3}, {"rhythm_times": 1, "rhythm_days": 367}],
          [{"rhythm_times": 2, "rhythm_days": 3}, {"rhythm_times": 3, "rhythm_days": 3},
           {"rhythm_times": 1, "rhythm_days": 366}, {"rhythm_times": None, "rhythm_days": None}]),
    allowed("data_exports", "status", EXPORT_STATUSES, bad="lost"),
    *non_negative("data_exports", "done_units", "total_units", "file_size"),
    allowed("data_imports", "status", IMPORT_STATUSES, bad="lost"),
    allowed("data_imports", "source", IMPORT_SOURCES, bad="excel", nullable=True),
    *non_negative("data_imports", "done_units", "total_units", "file_size"),
    allowed("push_deliveries", "status", PUSH_DELIVERY_STATUSES, bad="gone"),
    *non_negative("push_deliveries", "attempts"),
]


@dataclass
class Unique:
    name: str
    table: str
    columns: tuple[str, ...]
    shared: dict  # the values two rows may not both have
    varied: dict  # changing these makes the second row acceptable


UNIQUES = [
    Unique("uq_users_email", "users", ("email",), {"email": "ana@example.com"}, {"email": "ana2@example.com"}),
    Unique("uq_users_username", "users", ("username",), {"username": "ana"}, {"username": "ana2"}),
    Unique("uq_blog_entries_user_id_slug", "blog_entries", ("user_id", "slug"), {"slug": "hello"},
           {"user_id": OTHER_USER}),
    Unique("uq_daily_reviews_user_id_review_date", "daily_reviews", ("user_id", "review_date"),
           {"review_date": DAY}, {"user_id": OTHER_USER}),
    Unique("uq_progress_snapshots_user_id_snapshot_date_snapshot_type", "progress_snapshots",
           ("user_id", "snapshot_date", "snapshot_type"), {"snapshot_date": DAY, "snapshot_type": "weekly"},
           {"snapshot_type": "monthly"}),
    Unique("uq_blog_entry_views_blog_entry_id_visitor_key_viewed_on", "blog_entry_views",
           ("blog_entry_id", "visitor_key", "viewed_on"), {"visitor_key": "v", "viewed_on": DAY},
           {"viewed_on": DAY + timedelta(days=-1)}),
    Unique("uq_tags_user_id_slug", "tags", ("user_id", "slug"), {"slug": "health"}, {"user_id": OTHER_USER}),
    Unique("uq_habit_entries_habit_id_entry_date", "habit_entries", ("habit_id", "entry_date"),
           {"entry_date": DAY}, {"entry_date": DAY + timedelta(days=-1)}),
    Unique("uq_taggables_tag_id_taggable_type_taggable_id", "taggables", ("tag_id", "taggable_type", "taggable_id"),
           {"taggable_type": "goal", "taggable_id": uuid.UUID(int=1)}, {"taggable_type": "habit"}),
    Unique("uq_notifications_user_id_dedupe_key", "notifications", ("user_id", "dedupe_key"),
           {"dedupe_key": "habit:1:2024-03-01"}, {"user_id": OTHER_USER}),
    Unique("uq_notification_settings_user_id", "notification_settings", ("user_id",), {"user_id": USER},
           {"user_id": OTHER_USER}),
    Unique("uq_imported_rows_user_id_area_source_id", "imported_rows", ("user_id", "area", "source_id"),
           {"area": "habits", "source_id": uuid.UUID(int=5)}, {"area": "foods"}),
    Unique("uq_job_runs_name", "job_runs", ("name",), {"name": "reminders"}, {"name": "snapshots"}),
    Unique("uq_push_subscriptions_endpoint", "push_subscriptions", ("endpoint",),
           {"endpoint": "https://fcm.googleapis.com/fcm/send/a"}, {"endpoint": "https://fcm.googleapis.com/fcm/send/b"}),
    Unique("uq_push_deliveries_notification_id_subscription_id", "push_deliveries",
           ("notification_id", "subscription_id"), {"subscription_id": DEVICE}, {"notification_id": "$other_notification"}),
    Unique("uq_year_reviews_user_id_year", "year_reviews", ("user_id", "year"), {"year": 2024}, {"user_id": OTHER_USER}),
    Unique("uq_workouts_user_id_repeat_key", "workouts", ("user_id", "repeat_key"),
           {"repeat_key": uuid.UUID(int=7)}, {"user_id": OTHER_USER}),
    Unique("uq_api_tokens_token_hash", "api_tokens", ("token_hash",), {"token_hash": "a" * 64},
           {"token_hash": "b" * 64}),
    Unique("uq_api_idempotency_keys_token_id_key_route", "api_idempotency_keys", ("token_id", "key", "route"),
           {"key": "retry-1"}, {"route": "POST /api/v1/habits"}),
]


@pytest.fixture
def rows(app):
    with app.app_context():
        yield Rows(db.engine)


def reflected_names(kind: str) -> set[str]:
    inspector = sa.inspect(db.engine)
    get = inspector.get_check_constraints if kind == "check" else inspector.get_unique_constraints
    return {c["name"] for table in inspector.get_table_names() if table != "alembic_version" for c in get(table)}


def declared_names(kind: str) -> set[str]:
    wanted = sa.CheckConstraint if kind == "check" else sa.UniqueConstraint
    return {c.name for t in db.metadata.tables.values() for c in t.constraints if isinstance(c, wanted)}


@pytest.mark.parametrize(("kind", "cases"), [("check", CHECKS), ("unique", UNIQUES)])
def test_every_constraint_has_a_case(app, kind, cases):
    with app.app_context():
        names = declared_names(kind) | reflected_names(kind)
    covered = [case.name for case in cases]
    assert len(covered) == len(set(covered)), "a constraint is listed twice"
    assert sorted(names) == sorted(covered), "add a case for each new constraint (and drop the gone ones)"


@pytest.mark.parametrize("case", CHECKS, ids=lambda case: case.name)
def test_check_constraint_refuses_bad_rows_and_accepts_boundaries(app, rows, case):
    with app.app_context():
        for values in case.bad:
            with pytest.raises(IntegrityError) as refused:
                rows.insert(case.table, **values)
            assert case.name in str(refused.value.orig), values
        for values in case.good:
            rows.insert(case.table, **values)
        table = db.metadata.tables[case.table]
        with db.engine.connect() as conn:
            stored = conn.scalar(sa.select(sa.func.count()).select_from(table).where(table.c.id.notin_(rows.refs.values())))
        assert stored == len(case.good)


@pytest.mark.parametrize("case", UNIQUES, ids=lambda case: case.name)
def test_unique_constraint_refuses_a_duplicate(app, rows, case):
    with app.app_context():
        rows.insert(case.table, **case.shared)
        with pytest.raises(IntegrityError) as refused:
            rows.insert(case.table, **case.shared)
        if db.engine.dialect.name == "sqlite":
            # SQLite names the columns, not the constraint.
            expected = ", ".join(f"{case.table}.{column}" for column in case.columns)
        else:
            expected = case.name
        assert expected in str(refused.value.orig)
        rows.insert(case.table, **{**case.shared, **case.varied})


# What a user can hit through a form today.

@pytest.mark.parametrize(("field", "value"), [
    ("email", "ANA@Example.COM"),
    ("username", "Ana"),
], ids=["email-other-case", "username-other-case"])
def test_signup_with_a_taken_name_shows_the_field_error(app, client, user, field, value):
    data = {"email": "new@example.com", "username": "newcomer", "password": PASSWORD, field: value}

    response = client.post("/signup", data=data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"An account with this {field} already exists." in page
    assert f'id="{field}-error"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert client.get("/").status_code == 302


def test_signup_losing_a_race_for_the_name_shows_the_field_error(app, client, user, monkeypatch):
    # The pre-check saw the name free; another sign-up took it before our INSERT, so the
    # database's unique constraint is what refuses it.
    real_taken_field = auth_services.taken_field
    calls = []

    def taken_after_check(*args, **kwargs):
        calls.append(args)
        return None if len(calls) == 1 else real_taken_field(*args, **kwargs)

    monkeypatch.setattr(auth_services, "taken_field", taken_after_check)

    response = client.post("/signup", data={"email": "Ana@example.com", "username": "newcomer", "password": PASSWORD})

    assert response.status_code == 422
    assert "An account with this email already exists." in response.get_data(as_text=True)
    assert len(calls) == 2
    with app.app_context():
        assert db.session.scalars(sa.select(User.username)).all() == ["ana"]


@pytest.mark.parametrize("headers", [{}, HX], ids=["form", "htmx"])
def test_profile_with_an_unknown_timezone_is_refused_and_nothing_changes(app, auth_client, user, headers):
    response = auth_client.post(
        "/settings/profile", data={"first_name": "Anna", "timezone": "Mars/Olympus_Mons"}, headers=headers
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="timezone-error"' in page
    assert 'aria-invalid="true"' in page
    assert ("<html" in page) is not bool(headers)
    with app.app_context():
        stored = db.session.get(User, user["id"])
        assert (stored.timezone, stored.first_name) == ("UTC", None)


@pytest.mark.parametrize("headers", [{}, HX], ids=["form", "htmx"])
def test_an_unexpected_integrity_error_answers_409_with_a_message(app, auth_client, user, other_user, monkeypatch,
                                                                  headers):
    def update_without_checks(current, data):
        # A service that forgot to check before writing: only the database's constraint stops it.
        current.username = other_user["username"]
        db.session.commit()

    monkeypatch.setattr(account_services, "update_profile", update_without_checks)

    response = auth_client.post("/settings/profile", data={"timezone": "UTC"}, headers=headers)

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "That change conflicts with data that already exists." in page
    assert "Traceback" not in page
    if headers:
        assert response.headers["HX-Retarget"] == "#flashes"
        assert "<html" not in page
    else:
        assert "<html" in page
    with app.app_context():
        assert db.session.get(User, user["id"]).username == user["username"]
    # The failed transaction was rolled back: the next request works.
    assert auth_client.get("/settings").status_code == 200
