"""The schema the migrations built: tables, columns, keys, timestamps, foreign keys and indexes."""

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from manifest.extensions import db
from manifest.models import Goal, Habit, User
from tests.db.helpers import DATA_MODEL_TABLES, SYSTEM_TABLES

# The columns of the data model (besides id, created_at and updated_at, which every table has).
DATA_MODEL_COLUMNS = {
    "users": ("email", "username", "password_hash", "first_name", "last_name", "avatar_url", "bio", "timezone",
              "is_active", "is_verified", "email_verified_at", "last_login_at"),
    "goals": ("user_id", "parent_goal_id", "title", "description", "goal_type", "category", "target_value",
              "target_unit", "current_value", "start_date", "end_date", "status", "priority", "is_recurring",
              "recurrence_pattern", "completed_at"),
    "goal_progress": ("goal_id", "progress_date", "value", "percentage", "notes"),
    "habits": ("user_id", "name", "description", "frequency", "target_days", "category", "color", "icon",
               "reminder_time", "is_active", "current_streak", "longest_streak", "total_completions"),
    "habit_entries": ("habit_id", "entry_date", "completed", "completed_at", "notes", "mood"),
    "foods": ("user_id", "meal_date", "meal_time", "meal_type", "food_name", "portion_size", "calories",
              "protein_grams", "carbs_grams", "fats_grams", "fiber_grams", "sugar_grams", "sodium_mg", "notes",
              "is_favorite"),
    "workouts": ("user_id", "workout_date", "workout_time", "workout_type", "workout_name", "duration_minutes",
                 "calories_burned", "intensity", "location", "notes", "mood_before", "mood_after"),
    "workout_exercises": ("workout_id", "exercise_name", "exercise_type", "sets", "reps", "weight", "weight_unit",
                          "distance", "distance_unit", "duration_seconds", "rest_seconds", "notes", "order_index"),
    "daily_reviews": ("user_id", "review_date", "mood_rating", "energy_level", "productivity_rating",
                      "sleep_quality", "sleep_hours", "water_intake_ml", "accomplishments", "challenges",
                      "lessons_learned", "gratitude", "tomorrow_intentions", "highlights"),
    "blog_entries": ("user_id", "title", "content", "excerpt", "slug", "status", "is_public", "is_featured",
                     "view_count", "published_at"),
    "tags": ("user_id", "name", "slug", "category", "color", "description", "usage_count"),
    "taggables": ("tag_id", "taggable_id", "taggable_type"),
    "media": ("user_id", "file_name", "file_path", "file_type", "file_size", "width", "height", "alt_text",
              "related_to_type", "related_to_id", "is_public", "uploaded_at"),
    "progress_snapshots": ("user_id", "snapshot_date", "snapshot_type", "total_goals", "completed_goals",
                           "active_habits", "habit_completion_rate", "total_workouts", "total_workout_minutes",
                           "average_daily_mood", "average_energy_level", "total_blog_entries", "weight",
                           "weight_unit", "body_fat_percentage", "notes"),
}

# (table, column) -> referred table. Every one cascades except the sub-goal link.
DATA_MODEL_FOREIGN_KEYS = {
    ("goals", "user_id"): "users",
    ("goals", "parent_goal_id"): "goals",
    ("goal_progress", "goal_id"): "goals",
    ("habits", "user_id"): "users",
    ("habit_entries", "habit_id"): "habits",
    ("foods", "user_id"): "users",
    ("workouts", "user_id"): "users",
    ("workout_exercises", "workout_id"): "workouts",
    ("daily_reviews", "user_id"): "users",
    ("blog_entries", "user_id"): "users",
    ("tags", "user_id"): "users",
    ("taggables", "tag_id"): "tags",
    ("media", "user_id"): "users",
    ("progress_snapshots", "user_id"): "users",
}
SET_NULL = {("goals", "parent_goal_id")}

# The access paths the pages use: (table, columns, unique).
COMPOSITE_INDEXES = [
    ("foods", ("user_id", "meal_date"), False),
    ("workouts", ("user_id", "workout_date"), False),
    ("goals", ("user_id", "status"), False),
    ("habits", ("user_id", "is_active"), False),
    ("goal_progress", ("goal_id", "progress_date"), False),
    ("workout_exercises", ("workout_id", "order_index"), False),
    ("blog_entries", ("user_id", "status", "published_at"), False),
    ("media", ("user_id", "uploaded_at"), False),
    ("media", ("related_to_type", "related_to_id"), False),
    ("taggables", ("taggable_type", "taggable_id"), False),
    ("habit_entries", ("habit_id", "entry_date"), True),
    ("daily_reviews", ("user_id", "review_date"), True),
    ("progress_snapshots", ("user_id", "snapshot_date", "snapshot_type"), True),
    ("blog_entries", ("user_id", "slug"), True),
    ("tags", ("user_id", "slug"), True),
    ("taggables", ("tag_id", "taggable_type", "taggable_id"), True),
]

# Columns holding the id of another row without a foreign key (polymorphic links).
POLYMORPHIC_ID_COLUMNS = {("taggables", "taggable_id"), ("media", "related_to_id"), ("goals", "source_id")}


@pytest.fixture
def inspector(app):
    with app.app_context():
        yield sa.inspect(db.engine)


@pytest.fixture
def dialect(app):
    with app.app_context():
        return db.engine.dialect.name


def app_tables(inspector) -> list[str]:
    return [name for name in inspector.get_table_names() if name != "alembic_version"]


def pg_columns(where: str = "true") -> list[sa.Row]:
    return db.session.execute(sa.text(
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
        f"WHERE table_schema = current_schema() AND table_name != 'alembic_version' AND ({where})"
    )).all()


def test_every_table_exists_with_its_columns(inspector):
    assert set(DATA_MODEL_TABLES) | set(SYSTEM_TABLES) <= set(app_tables(inspector))
    for table, columns in DATA_MODEL_COLUMNS.items():
        present = {c["name"] for c in inspector.get_columns(table)}
        missing = {"id", "created_at", "updated_at", *columns} - present
        assert not missing, f"{table} lacks {sorted(missing)}"


def test_primary_keys_are_uuids(app, inspector, dialect):
    for table in app_tables(inspector):
        assert inspector.get_pk_constraint(table)["constrained_columns"] == ["id"], table
    if dialect == "postgresql":
        with app.app_context():
            id_columns = pg_columns("column_name = 'id' OR column_name LIKE '%\\_id'")
        assert len(id_columns) > len(DATA_MODEL_TABLES)
        assert {(r.table_name, r.column_name): r.data_type for r in id_columns if r.data_type != "uuid"} == {}
        # Ids come from the application (uuid4), never from a sequence.
        assert [r for r in id_columns if r.column_name == "id" and r.column_default is not None] == []
    else:
        for table in app_tables(inspector):
            id_column = next(c for c in inspector.get_columns(table) if c["name"] == "id")
            assert str(id_column["type"]) == "CHAR(32)", table


def test_new_rows_get_random_uuid_v4_keys(app, make_user):
    ana, ben = make_user("ana"), make_user("ben")
    with app.app_context():
        goals = [Goal(user_id=ana["id"], title=f"Goal {i}", goal_type="daily") for i in range(3)]
        db.session.add_all(goals)
        db.session.flush()
        # A plain INSERT that names no id gets one too.
        habit_id = db.session.execute(sa.insert(Habit).values(user_id=ben["id"], name="Read").returning(Habit.id)).scalar()
        db.session.commit()
        ids = [ana["id"], ben["id"], habit_id, *(goal.id for goal in goals)]
        assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)
        assert len(set(ids)) == len(ids)

        stored = db.session.execute(sa.text("SELECT id FROM users UNION ALL SELECT id FROM goals")).scalars().all()
        stored = [value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)) for value in stored]
        assert sorted(stored) == sorted([ana["id"], ben["id"], *(goal.id for goal in goals)])
        assert {value.version for value in stored} == {4}


def test_timestamps_are_required_timezone_aware_and_filled_by_the_database(app, inspector, dialect, user):
    for table in app_tables(inspector):
        columns = {c["name"]: c for c in inspector.get_columns(table)}
        for name in ("created_at", "updated_at"):
            assert columns[name]["nullable"] is False, (table, name)
            assert columns[name]["default"] in ("now()", "CURRENT_TIMESTAMP"), (table, name)
    # Every timestamp column in the models is declared with a time zone...
    naive = [f"{t.name}.{c.name}" for t in db.metadata.tables.values() for c in t.columns
             if isinstance(c.type, sa.DateTime) and not c.type.timezone]
    assert naive == []
    with app.app_context():
        if dialect == "postgresql":
            # ...and PostgreSQL stores every one of them as timestamptz.
            kinds = {(r.table_name, r.column_name): r.data_type for r in pg_columns("data_type LIKE 'timestamp%'")}
            assert kinds
            assert {key: kind for key, kind in kinds.items() if kind != "timestamp with time zone"} == {}
        # A row written by plain SQL, naming no timestamp, gets both.
        db.session.execute(sa.text("INSERT INTO login_failures (id, scope, key) VALUES (:id, 'address', 'x')"),
                           {"id": uuid.uuid4() if dialect == "postgresql" else uuid.uuid4().hex})
        row = db.session.execute(sa.text("SELECT created_at, updated_at FROM login_failures")).one()
        assert row.created_at is not None and row.updated_at is not None
        stored_user = db.session.get(User, user["id"])
        if dialect == "postgresql":
            assert stored_user.created_at.utcoffset() is not None
        db.session.rollback()


def test_foreign_keys_cascade_in_the_database(inspector):
    found = {}
    for table in app_tables(inspector):
        for fk in inspector.get_foreign_keys(table):
            assert len(fk["constrained_columns"]) == 1, fk
            found[(table, fk["constrained_columns"][0])] = (fk["referred_table"], fk["options"].get("ondelete"))
    for key, referred in DATA_MODEL_FOREIGN_KEYS.items():
        assert key in found, f"no foreign key on {key}"
        assert found[key][0] == referred, key
    # Tables added since the data model follow the same rule.
    wrong = {key: rule for key, (_, rule) in found.items() if rule != ("SET NULL" if key in SET_NULL else "CASCADE")}
    assert wrong == {}
    assert not POLYMORPHIC_ID_COLUMNS & set(found)


def test_composite_indexes_exist(inspector):
    for table, columns, unique in COMPOSITE_INDEXES:
        indexes = {tuple(i["column_names"]) for i in inspector.get_indexes(table) if bool(i["unique"]) == unique}
        if unique:
            indexes |= {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
        assert columns in indexes, f"{table} has no {'unique ' if unique else ''}index on {columns}"


def test_every_foreign_key_column_leads_an_index(inspector):
    # Cascading deletes and per-owner queries look rows up by these columns.
    unindexed = []
    for table in app_tables(inspector):
        leading = {i["column_names"][0] for i in inspector.get_indexes(table)}
        leading |= {u["column_names"][0] for u in inspector.get_unique_constraints(table)}
        unindexed += [(table, fk["constrained_columns"][0]) for fk in inspector.get_foreign_keys(table)
                      if fk["constrained_columns"][0] not in leading]
    assert unindexed == []


def test_foreign_keys_are_enforced(app, dialect):
    with app.app_context():
        if dialect == "sqlite":
            assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        db.session.add(Goal(user_id=uuid.uuid4(), title="Orphan", goal_type="daily"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
