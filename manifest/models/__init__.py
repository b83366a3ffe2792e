"""Every model, imported here so Alembic's autogenerate sees the whole schema."""

from manifest.models.api import ApiIdempotencyKey, ApiToken
from manifest.models.goal import Goal, GoalMilestone, GoalProgress
from manifest.models.habit import Habit, HabitEntry, HabitPause
from manifest.models.hooks import register_taggable
from manifest.models.journal import BlogEntry, BlogEntryView
from manifest.models.login_failure import LoginFailure
from manifest.models.measurement import Measurement, YearReview
from manifest.models.media import Media
from manifest.models.notification import JobRun, Notification, NotificationSettings
from manifest.models.nutrition import Food
from manifest.models.push import PushDelivery, PushSubscription
from manifest.models.review import DailyReview
from manifest.models.snapshot import ProgressSnapshot
from manifest.models.tag import TAGGABLE_TYPES, Tag, Taggable
from manifest.models.transfer import DataExport, DataImport, ImportedRow
from manifest.models.user import User
from manifest.models.workout import Workout, WorkoutExercise, WorkoutSet

for _model, _type in (
    (Goal, "goal"), (Habit, "habit"), (BlogEntry, "blog_entry"),
    (Workout, "workout"), (Food, "food"), (DailyReview, "daily_review"),
):
    register_taggable(_model, _type)

__all__ = [
    "TAGGABLE_TYPES",
    "ApiIdempotencyKey",
    "ApiToken",
    "BlogEntry",
    "BlogEntryView",
    "DailyReview",
    "DataExport",
    "DataImport",
    "Food",
    "Goal",
    "GoalMilestone",
    "GoalProgress",
    "Habit",
    "HabitEntry",
    "HabitPause",
    "ImportedRow",
    "JobRun",
    "LoginFailure",
    "Measurement",
    "Media",
    "Notification",
    "NotificationSettings",
    "ProgressSnapshot",
    "PushDelivery",
    "PushSubscription",
    "Tag",
    "Taggable",
    "User",
    "Workout",
    "WorkoutExercise",
    "WorkoutSet",
    "YearReview",
]
