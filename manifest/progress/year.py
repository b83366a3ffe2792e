"""The year in review: one year of a user's rows gathered once, and its public switch.

A constant number of grouped queries whatever the history; the monthly figures come from the
snapshots (computed first when missing).
"""

from __future__ import annotations

import calendar
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from manifest import queries
from manifest.extensions import db
from manifest.habits import logic as habit_logic
from manifest.habits.rules import schedule_from
from manifest.models import (
    BlogEntry,
    DailyReview,
    Food,
    Habit,
    HabitEntry,
    HabitPause,
    Measurement,
    Tag,
    Taggable,
    User,
    Workout,
    WorkoutExercise,
    WorkoutSet,
    YearReview,
)
from manifest.progress import logic, services
from manifest.timeutil import local_date, local_today, zone
from manifest.units import convert_distance, convert_weight


@dataclass(frozen=True)
class Streak:
    name: str
    days: int
    unit: str  # "days" or "weeks"


@dataclass(frozen=True)
class Record:
    exercise: str
    kind: str  # "heaviest" or "longest"
    value: Decimal
    unit: str
    day: date


@dataclass(frozen=True)
class MonthFigures:
    month: date
    values: logic.Values


@dataclass
class YearInReview:
    user: User
    year: int
    today: date
    in_progress: bool
    public: bool
    streaks: list[Streak] = field(default_factory=list)
    totals: list[tuple[str, str]] = field(default_factory=list)  # (area, what)
    months: list[MonthFigures] = field(default_factory=list)
    best_month: MonthFigures | None = None
    records: list[Record] = field(default_factory=list)
    tags: list[tuple[str, int]] = field(default_factory=list)
    moods: dict[date, int] = field(default_factory=dict)
    entries: list[BlogEntry] = field(default_factory=list)
    complete: bool = True  # False when some month had no snapshot yet

    @property
    def mood_months(self) -> list[tuple[date, list[list[date | None]]]]:
        """Each month as weeks of days (None outside the month), Monday first: the mood calendar."""
        result = []
        for month in range(1, 13):
            weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(self.year, month)
            result.append((date(self.year, month, 1),
                           [[d if d.month == month else None for d in week] for week in weeks]))
        return result


def _streaks(user: User, first: date, last: date) -> list[Streak]:
    habits = db.session.execute(
        sa.select(Habit.id, Habit.name, Habit.frequency, Habit.target_days, Habit.weekday_mask)
        .where(Habit.user_id == user.id)).all()
    marks: dict = defaultdict(dict)
    for habit_id, day, completed, skipped in db.session.execute(
            sa.select(HabitEntry.habit_id, HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped)
            .join(Habit, Habit.id == HabitEntry.habit_id)
            .where(Habit.user_id == user.id, HabitEntry.entry_date.between(first, last))):
        marks[habit_id][day] = habit_logic.Mark.SKIPPED if skipped else (
            habit_logic.Mark.DONE if completed else habit_logic.Mark.MISSED)
    pauses: dict = defaultdict(list)
    for habit_id, start, end in db.session.execute(
            sa.select(HabitPause.habit_id, HabitPause.start_date, HabitPause.end_date)
            .join(Habit, Habit.id == HabitPause.habit_id).where(Habit.user_id == user.id)):
        pauses[habit_id].append(habit_logic.Pause(start, end))
    found = []
    for habit in habits:
        schedule = schedule_from(habit.frequency, habit.target_days, habit.weekday_mask)
        longest = habit_logic.compute_streaks(schedule, marks[habit.id], last, pauses[habit.id]).longest
        if longest:
            found.append(Streak(habit.name, longest, "weeks" if schedule.kind == "weekly" else "days"))
    return sorted(found, key=lambda s: (-s.days, s.name))[:5]


def _records(user: User, first: date, last: date) -> list[Record]:
    weight_unit, distance_unit = user.weight_unit or "kg", user.distance_unit or "km"
    best: dict[tuple[str, str], Record] = {}
    lifts = db.session.execute(
        sa.select(WorkoutExercise.exercise_name, WorkoutSet.weight, WorkoutSet.weight_unit, Workout.workout_date)
        .join(WorkoutExercise, WorkoutExercise.id == WorkoutSet.workout_exercise_id)
        .join(Workout, Workout.id == WorkoutExercise.workout_id)
        .where(Workout.user_id == user.id, Workout.workout_date.between(first, last), WorkoutSet.weight.is_not(None),
               WorkoutSet.set_type != "warmup"))
    for name, weight, unit, day in lifts:
        value = convert_weight(weight, unit or weight_unit, weight_unit).quantize(Decimal("0.1"))
        key = (name.strip().lower(), "heaviest")
        if key not in best or value > best[key].value:
            best[key] = Record(name.strip(), "heaviest", value, weight_unit, day)
    runs = db.session.execute(
        sa.select(WorkoutExercise.exercise_name, WorkoutExercise.distance, WorkoutExercise.distance_unit,
                  Workout.workout_date)
        .join(Workout, Workout.id == WorkoutExercise.workout_id)
        .where(Workout.user_id == user.id, Workout.workout_date.between(first, last),
               WorkoutExercise.distance.is_not(None)))
    for name, distance, unit, day in runs:
        value = convert_distance(distance, unit or distance_unit, distance_unit).quantize(Decimal("0.01"))
        key = (name.strip().lower(), "longest")
        if key not in best or value > best[key].value:
            best[key] = Record(name.strip(), "longest", value, distance_unit, day)
    return sorted(best.values(), key=lambda r: (r.exercise.lower(), r.kind))


def _local_midnight(user: User, day: date) -> datetime:
    """The moment the user's ``day`` begins, in UTC (stored timestamps are UTC)."""
    return datetime.combine(day, time(0), tzinfo=zone(user.timezone)).astimezone(UTC)


def _tags(user: User, first: date, last: date) -> list[tuple[str, int]]:
    """Tags most used on rows made this year (by when the tag was put on)."""
    rows = db.session.execute(
        sa.select(Tag.name, sa.func.count()).join(Taggable, Taggable.tag_id == Tag.id)
        .where(Tag.user_id == user.id,
               Taggable.created_at >= _local_midnight(user, first),
               Taggable.created_at < _local_midnight(user, date(first.year + 1, 1, 1)))
        .group_by(Tag.name).order_by(sa.func.count().desc(), Tag.name).limit(8))
    return [(name, count) for name, count in rows]


def _totals(user: User, first: date, last: date) -> list[tuple[str, str]]:
    def count(model, *where):
        return sa.select(sa.func.count()).select_from(model).where(*where).scalar_subquery()

    row = db.session.execute(sa.select(
        count(HabitEntry, HabitEntry.completed, HabitEntry.entry_date.between(first, last),
              HabitEntry.habit_id.in_(sa.select(Habit.id).where(Habit.user_id == user.id))),
        count(Workout, Workout.user_id == user.id, Workout.workout_date.between(first, last)),
        sa.select(sa.func.coalesce(sa.func.sum(Workout.duration_minutes), 0))
        .where(Workout.user_id == user.id, Workout.workout_date.between(first, last)).scalar_subquery(),
        count(DailyReview, DailyReview.user_id == user.id, DailyReview.review_date.between(first, last)),
        sa.select(sa.func.count(sa.distinct(Food.meal_date)))
        .where(Food.user_id == user.id, Food.meal_date.between(first, last)).scalar_subquery(),
        count(Measurement, Measurement.user_id == user.id, Measurement.measured_on.between(first, last)),
    )).one()
    checks, workouts, minutes, reviews, food_days, weigh_ins = row
    return [
        ("Habits", f"{checks} check-ins"),
        ("Workouts", f"{workouts} workouts, {minutes} minutes"),
        ("Reviews", f"{reviews} days reviewed"),
        ("Food", f"{food_days} days logged"),
        ("Body", f"{weigh_ins} measurements"),
    ]


def months(user: User, year: int, today: date) -> tuple[list[MonthFigures], bool]:
    """The year's months from their snapshots (any missing computed from the rows), the current
    month live; and whether every closed month had its snapshot."""
    spans = [p for p in (logic.period("monthly", date(year, m, 1)) for m in range(1, 13)) if p.start <= today]
    closed = [p for p in spans if p.end < today]
    current = spans[-1] if spans and spans[-1].end >= today else None
    values, live, complete = services.values_for(user, "monthly", closed, current, today)
    figures = [MonthFigures(p.start, values[p.start]) for p in closed]
    if current is not None:
        figures.append(MonthFigures(current.start, live))
    return figures, complete


def best_month(figures: list[MonthFigures]) -> MonthFigures | None:
    """The month with the highest habit completion, then the most workouts."""
    rated = [f for f in figures if f.values.habit_completion_rate is not None or f.values.total_workouts]
    if not rated:
        return None
    return max(rated, key=lambda f: (f.values.habit_completion_rate or Decimal(-1), f.values.total_workouts))


def is_public(user: User, year: int) -> bool:
    return bool(db.session.scalar(sa.select(YearReview.is_public).where(
        YearReview.user_id == user.id, YearReview.year == year)))


def set_public(user: User, year: int, public: bool) -> None:
    statement = queries.insert(YearReview).values(id=uuid.uuid4(), user_id=user.id, year=year, is_public=public)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["user_id", "year"], set_={"is_public": public, "updated_at": sa.func.now()}))
    db.session.commit()


def review(user: User, year: int, *, public_view: bool = False) -> YearInReview:
    today = local_today(user)
    first, last = date(year, 1, 1), min(date(year, 12, 31), today)
    if first > today:
        raise NotFound()
    entries_query = sa.select(BlogEntry).where(
        BlogEntry.user_id == user.id, BlogEntry.status == "published",
        BlogEntry.published_at >= _local_midnight(user, first),
        BlogEntry.published_at < _local_midnight(user, date(year + 1, 1, 1)))
    if public_view:
        entries_query = entries_query.where(BlogEntry.is_public.is_(True))
    entries = list(db.session.scalars(entries_query.order_by(BlogEntry.published_at)))
    figures, complete = months(user, year, today)
    if public_view:
        figures = public_months(user, figures, entries)
    return YearInReview(
        user=user, year=year, today=today, in_progress=last >= today, public=is_public(user, year), complete=complete,
        streaks=_streaks(user, first, last), totals=_totals(user, first, last), months=figures,
        # A month still running is not compared with whole ones.
        best_month=best_month(figures[:-1] if len(figures) > 1 and last >= today else figures),
        records=_records(user, first, last),
        tags=[] if public_view else _tags(user, first, last),
        moods={day: mood for day, mood in db.session.execute(
            sa.select(DailyReview.review_date, DailyReview.mood_rating).where(
                DailyReview.user_id == user.id, DailyReview.review_date.between(first, last),
                DailyReview.mood_rating.is_not(None)))},
        entries=entries,
    )


def public_months(user: User, figures: list[MonthFigures], public_entries: list[BlogEntry]) -> list[MonthFigures]:
    """The months as the public page shows them: a month's entries are its public published ones
    (the snapshots count every entry written, drafts and private ones too)."""
    by_month: dict[date, int] = defaultdict(int)
    for entry in public_entries:
        by_month[local_date(user, entry.published_at).replace(day=1)] += 1
    return [MonthFigures(f.month, replace(f.values, total_blog_entries=by_month[f.month])) for f in figures]


def public_author(username: str, year: int) -> User:
    """An active user who chose to publish this year's review, or 404 exactly as an unknown name."""
    author = db.session.scalar(sa.select(User).join(YearReview, YearReview.user_id == User.id).where(
        User.username == username.strip().lower(), User.is_active.is_(True),
        YearReview.year == year, YearReview.is_public.is_(True)))
    if author is None:
        raise NotFound()
    return author


def first_year(user: User) -> int:
    return services.first_day(user).year
