"""The export format, version 1: which tables make up an account, in what order, and how their rows
point at each other. docs/export-format.md describes the same thing for people; this is the
contract the writer and the importer share.

Every area is one table. A row's owner is either the user (``user_id``, never exported) or a parent
row of another area (``parent``); ``links`` are other columns holding ids of the account's rows, and
``polymorphic`` a (type column, id column) pair whose type names the area the id points into.
Areas are listed parents first, so an import can insert them in this order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from manifest.models import (
    BlogEntry,
    DailyReview,
    Food,
    Goal,
    GoalMilestone,
    GoalProgress,
    Habit,
    HabitEntry,
    HabitPause,
    Measurement,
    Media,
    Notification,
    NotificationSettings,
    ProgressSnapshot,
    Tag,
    Taggable,
    Workout,
    WorkoutExercise,
    WorkoutSet,
    YearReview,
)

FORMAT_NAME = "lets-manifest-export"
FORMAT_VERSION = 1

# taggables.taggable_type and media.related_to_type -> the area of the row they point at.
TYPE_AREAS = {
    "goal": "goals", "habit": "habits", "blog_entry": "journal", "workout": "workouts",
    "food": "foods", "daily_review": "daily_reviews",
}


@dataclass(frozen=True)
class Area:
    name: str  # the file stem in the archive: habits.json, habits.csv
    model: type
    parent: tuple[str, str] | None = None  # (column, area) owning the row; None: the user owns it
    links: dict[str, str] = field(default_factory=dict)  # column -> area its id points into
    polymorphic: tuple[str, str] | None = None  # (type column, id column), type from TYPE_AREAS
    # Columns that make a row the same as one already in the account (with the owner or parent).
    natural_key: tuple[str, ...] = ()
    # Whether rows of one file with the same natural key are all kept (a table without a unique key,
    # where two equal readings on one day are both real): only rows already in the account match.
    keep_repeats: bool = False
    # Rows of this area are counted in the summary under this label; None: not shown on their own.
    label: str | None = None

    @property
    def table(self) -> sa.Table:
        return self.model.__table__

    @property
    def columns(self) -> list[sa.Column]:
        """Every column but the owner's id, in the table's order."""
        return [c for c in self.table.columns if c.name != "user_id"]

    @property
    def owned_by_user(self) -> bool:
        return self.parent is None


AREAS: tuple[Area, ...] = (
    Area("tags", Tag, natural_key=("slug",), label="tags"),
    Area("habits", Habit, label="habits"),
    Area("habit_pauses", HabitPause, parent=("habit_id", "habits"), label="habit pauses"),
    Area("habit_entries", HabitEntry, parent=("habit_id", "habits"), natural_key=("entry_date",),
         label="check-ins"),
    Area("goals", Goal, links={"parent_goal_id": "goals"}, label="goals"),
    Area("goal_progress", GoalProgress, parent=("goal_id", "goals"), label="goal progress entries"),
    Area("goal_milestones", GoalMilestone, parent=("goal_id", "goals"), label="milestones"),
    Area("foods", Food, label="foods"),
    Area("workouts", Workout, label="workouts"),
    Area("workout_exercises", WorkoutExercise, parent=("workout_id", "workouts"), label="exercises"),
    Area("workout_sets", WorkoutSet, parent=("workout_exercise_id", "workout_exercises"), label="sets"),
    Area("daily_reviews", DailyReview, natural_key=("review_date",), label="daily reviews"),
    Area("journal", BlogEntry, label="journal entries"),
    Area("body_measurements", Measurement,
         natural_key=("measured_on", "weight", "weight_unit", "body_fat_percentage", "waist", "waist_unit", "note"),
         keep_repeats=True, label="body measurements"),
    Area("year_reviews", YearReview, natural_key=("year",), label="year-in-review choices"),
    Area("progress_snapshots", ProgressSnapshot, natural_key=("snapshot_date", "snapshot_type"),
         label="progress snapshots"),
    Area("notification_settings", NotificationSettings, natural_key=(), label="notification settings"),
    Area("notifications", Notification, natural_key=("dedupe_key",), label="notifications"),
    Area("media", Media, polymorphic=("related_to_type", "related_to_id"), label="attachments"),
    Area("taggables", Taggable, parent=("tag_id", "tags"), polymorphic=("taggable_type", "taggable_id"),
         natural_key=("taggable_type", "taggable_id"), label="tag links"),
)
AREAS_BY_NAME = {area.name: area for area in AREAS}
# One per user: an account that has one keeps its own.
SINGLETONS = {"notification_settings"}
# Columns written by us from other data, refreshed after an import rather than trusted.
DERIVED = {"tags": ("usage_count",)}
# Account settings, exported for reference in account.json (never secrets); an import keeps the
# receiving account's own.
ACCOUNT_FIELDS = (
    "email", "username", "first_name", "last_name", "bio", "avatar_url", "timezone", "weight_unit",
    "distance_unit", "target_calories", "target_protein_g", "target_carbs_g", "target_fat_g",
    "target_fiber_g", "target_sugar_g", "target_sodium_mg", "created_at",
)
ATTACHMENTS_DIR = "attachments"
