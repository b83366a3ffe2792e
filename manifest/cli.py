"""Command-line tools: `flask seed-demo` fills a demo account with a believable history."""

import itertools
import random
import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from manifest import demo_life
from manifest.auth.services import register
from manifest.extensions import db
from manifest.goals import logic as goal_logic
from manifest.goals import progress as goal_progress
from manifest.goals import services as goal_services
from manifest.goals.sources import HABIT_COMPLETIONS, HABIT_VALUES
from manifest.habits import services as habit_services
from manifest.models import (
    Goal,
    GoalMilestone,
    GoalProgress,
    Habit,
    HabitEntry,
    HabitPause,
    ProgressSnapshot,
    Taggable,
    User,
)
from manifest.security import hash_password, verify_password
from manifest.timeutil import local_today, zone

DEMO_EMAIL = "demo@example.com"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password-123"
MAX_HABITS = 100
MAX_DAYS = 3650
# Fixed so that two runs on the same day build the same history.
SEED = 20240101

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WORKDAYS = (MON, TUE, WED, THU, FRI)


@dataclass(frozen=True)
class DemoHabit:
    name: str
    category: str
    color: str
    icon: str
    frequency: str = "daily"  # daily, weekly (times_per_week) or custom (weekdays)
    times_per_week: int | None = None
    weekdays: tuple[int, ...] = ()
    target: tuple[int, str, str] | None = None  # numeric habits: (target, unit, direction)
    start: float = 0.5  # how often it got done when the history begins...
    end: float = 0.85  # ...and lately
    weekend: float = 1.0  # weekends are harder (or easier) for some habits
    hour: int = 8  # usual local hour of the check-in
    physical: bool = False  # skipped while ill
    vacation: bool = True  # paused during the holiday
    description: str | None = None
    notes: tuple[str, ...] = ()


CATALOGUE = (
    DemoHabit("Meditate", "Mind", "#7c3aed", "🧘", start=0.35, end=0.85, hour=7,
              description="Ten minutes, first thing after waking up.",
              notes=("Calmer all morning.", "Mind wandered a lot, still sat through it.", "Tried the body-scan session.")),
    DemoHabit("Read 20 pages", "Mind", "#2563eb", "📚", start=0.5, end=0.8, hour=22, vacation=False,
              notes=("Finished “Atomic Habits”.", "Started “Deep Work”.", "Read on the train instead of scrolling.")),
    DemoHabit("Gym", "Health", "#dc2626", "🏋️", frequency="custom", weekdays=(MON, WED, FRI),
              start=0.45, end=0.85, hour=18, physical=True,
              notes=("New best on squats: 80 kg.", "Short session, legs still sore.", "Went with Sam.")),
    DemoHabit("Run", "Health", "#ea580c", "🏃", frequency="weekly", times_per_week=3, start=0.35, end=0.8,
              hour=7, physical=True, description="Three runs a week, any days.",
              notes=("5 km in 27:40.", "Rainy but glad I went.", "Long run along the river, 10 km.")),
    DemoHabit("Water", "Health", "#0891b2", "💧", target=(8, "glasses", "at_least"), start=0.4, end=0.8,
              hour=21, vacation=False),
    DemoHabit("Coffee", "Health", "#92400e", "☕", target=(2, "cups", "at_most"), start=0.3, end=0.75,
              hour=16, vacation=False, notes=("Long night before, needed a third.",)),
    DemoHabit("Journal", "Mind", "#db2777", "✍️", start=0.3, end=0.7, hour=22, weekend=0.8,
              notes=("Wrote about the week's wins.",)),
    DemoHabit("Plan the day", "Work", "#4f46e5", "🗓️", frequency="custom", weekdays=WORKDAYS,
              start=0.6, end=0.9, hour=9),
    DemoHabit("Stretch", "Health", "#16a34a", "🤸", start=0.4, end=0.75, hour=19, physical=True),
    DemoHabit("Deep work, 2 hours", "Work", "#0f766e", "🎯", frequency="custom", weekdays=WORKDAYS,
              start=0.4, end=0.75, hour=12, notes=("Shipped the report draft.", "Meetings ate the morning.")),
    DemoHabit("In bed by 23:00", "Health", "#1e3a8a", "😴", start=0.3, end=0.7, weekend=0.6, hour=23),
    DemoHabit("Practise Spanish", "Mind", "#ca8a04", "🗣️", start=0.4, end=0.8, hour=20,
              notes=("Finished unit 4.", "Watched an episode without subtitles.")),
    DemoHabit("Steps", "Health", "#65a30d", "👟", target=(8000, "steps", "at_least"), start=0.45, end=0.75, hour=21),
    DemoHabit("Walk outside", "Health", "#15803d", "🚶", start=0.55, end=0.8, hour=13),
    DemoHabit("Call family", "Mind", "#be185d", "📞", frequency="weekly", times_per_week=1, start=0.6, end=0.85,
              hour=19, vacation=False),
    DemoHabit("Learn something new", "Work", "#9333ea", "💡", frequency="weekly", times_per_week=2,
              start=0.4, end=0.7, hour=17),
    DemoHabit("Vitamins", "Health", "#f59e0b", "💊", start=0.7, end=0.9, hour=8, vacation=False),
    DemoHabit("Floss", "Health", "#06b6d4", "🦷", start=0.35, end=0.7, hour=22),
    DemoHabit("Gratitude", "Mind", "#e11d48", "🙏", start=0.4, end=0.75, hour=22),
    DemoHabit("Cook at home", "Health", "#b45309", "🍳", frequency="weekly", times_per_week=4, start=0.45,
              end=0.75, hour=19),
    DemoHabit("Screen time", "Mind", "#475569", "📱", target=(2, "hours", "at_most"), start=0.35, end=0.65, hour=22),
    DemoHabit("Review goals", "Work", "#0369a1", "🧭", frequency="custom", weekdays=(SUN,), start=0.5, end=0.85,
              hour=18),
    DemoHabit("Tidy the desk", "Work", "#57534e", "🧹", frequency="custom", weekdays=(FRI,), start=0.5,
              end=0.8, hour=17),
    DemoHabit("Yoga", "Health", "#a21caf", "🧘", frequency="custom", weekdays=(TUE, THU), start=0.3, end=0.7,
              hour=19, physical=True),
    DemoHabit("Protein", "Health", "#9f1239", "🥚", target=(100, "g", "at_least"), start=0.35, end=0.7, hour=21),
    DemoHabit("No sugar", "Health", "#84cc16", "🍏", start=0.3, end=0.6, weekend=0.7, hour=21),
    DemoHabit("Side project", "Work", "#7e22ce", "💻", frequency="weekly", times_per_week=3, start=0.3,
              end=0.6, hour=21),
    DemoHabit("Push-ups", "Health", "#b91c1c", "💪", target=(50, "reps", "at_least"), start=0.3, end=0.7,
              hour=7, physical=True),
    DemoHabit("No phone after 22:00", "Mind", "#334155", "📵", start=0.25, end=0.6, hour=22),
    DemoHabit("Inbox zero", "Work", "#0284c7", "📥", frequency="custom", weekdays=WORKDAYS, start=0.3, end=0.65,
              hour=17),
)


def register_cli(app: Flask) -> None:
    from manifest.progress.cli import snapshots

    app.cli.add_command(seed_demo)
    app.cli.add_command(vapid_keys)
    app.cli.add_command(snapshots)


@click.command("vapid-keys")
def vapid_keys() -> None:
    """Print a new VAPID key pair for Web Push, as the two environment variables to set.

    Keep the private key secret. Replacing the pair later stops pushes to every device until each
    one is added again from the settings.
    """
    from manifest.notifications.push import new_key_pair

    public, private = new_key_pair()
    click.echo(f"VAPID_PUBLIC_KEY={public}")
    click.echo(f"VAPID_PRIVATE_KEY={private}")


@click.command("seed-demo")
@click.option("--habits", "habit_count", type=click.IntRange(0, MAX_HABITS), default=12, show_default=True,
              help="How many habits the demo account gets.")
@click.option("--days", type=click.IntRange(1, MAX_DAYS), default=365, show_default=True,
              help="How many days of history, ending today.")
@click.option("--goals/--no-goals", "with_goals", default=True, show_default=True,
              help="Whether the demo account gets goals.")
@click.option("--life/--no-life", "with_life", default=True, show_default=True,
              help="Whether the demo account gets meals, workouts, daily reviews and journal entries.")
@with_appcontext
def seed_demo(habit_count: int, days: int, with_goals: bool, with_life: bool) -> None:
    """Create or refresh the demo account (demo@example.com) with a realistic history."""
    started = time.perf_counter()
    try:
        user = _demo_account()
        # Goals first: linked goals point at the habits about to be replaced.
        _clear_goals(user)
        _clear_habits(user)
        # The history is replaced: its snapshots are computed again on the first visit.
        db.session.execute(sa.delete(ProgressSnapshot).where(ProgressSnapshot.user_id == user.id))
        today = local_today(user)
        entries = _seed_habits(user, habit_count, days, today)
        life = _seed_life(user, days, today) if with_life else ""
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if db.session.get_bind().dialect.name == "postgresql":
        # Thousands of rows just arrived: give the planner statistics that know it.
        db.session.execute(sa.text(
            "ANALYZE habits, habit_entries, habit_pauses, foods, workouts, workout_exercises, workout_sets,"
            " daily_reviews, blog_entries"))
        db.session.commit()
    goals = _seed_goals(user, today) if with_goals else 0
    click.echo(
        f"Demo account {DEMO_EMAIL} / {DEMO_PASSWORD}: {habit_count} habits, {entries} check-ins "
        f"over {days} days, {goals} goals{life} ({time.perf_counter() - started:.1f} s)."
    )
    click.echo("Anyone who knows this published password can sign in: do not seed a public server.")


def _seed_life(user: User, days: int, today: date) -> str:
    foods = demo_life.seed_food(user, days, today)
    workouts = demo_life.seed_workouts(user, days, today)
    reviews = demo_life.seed_reviews(user, days, today)
    entries = demo_life.seed_journal(user, today)
    weigh_ins = demo_life.seed_measurements(user, days, today)
    return (f", {foods} foods, {workouts} workouts, {reviews} reviews, {entries} journal entries,"
            f" {weigh_ins} weigh-ins")


# --- the account -------------------------------------------------------------------------

def _demo_account() -> User:
    user = db.session.scalars(sa.select(User).where(User.email == DEMO_EMAIL)).first()
    if user is None:
        taken = db.session.scalars(sa.select(User).where(User.username == DEMO_USERNAME)).first()
        if taken is not None:
            raise click.ClickException(f"The username “{DEMO_USERNAME}” belongs to another account ({taken.email}).")
        return register(DEMO_EMAIL, DEMO_USERNAME, DEMO_PASSWORD, "UTC")
    # The published password must keep working, whatever happened to the account since.
    if not verify_password(user.password_hash, DEMO_PASSWORD):
        user.password_hash = hash_password(DEMO_PASSWORD)
    user.is_active = True
    return user


# --- habits ------------------------------------------------------------------------------

def _clear_habits(user: User) -> None:
    """Delete the user's habits; the database cascades to their entries and pauses."""
    ids = sa.select(Habit.id).where(Habit.user_id == user.id)
    # Taggables have no foreign key to their target, so they go explicitly.
    db.session.execute(sa.delete(Taggable).where(Taggable.taggable_type == "habit", Taggable.taggable_id.in_(ids)))
    db.session.execute(sa.delete(Habit).where(Habit.user_id == user.id))
    db.session.expire_all()


class Timeline:
    """Shared shape of the demo user's life: a slow improvement, two slumps, one illness, one holiday."""

    def __init__(self, days: int, today: date):
        self.days, self.today = days, today
        self.first = today - timedelta(days=days - 1)
        self.vacation = self._stretch(0.35, 9) if days >= 60 else None
        self.illness = self._stretch(0.6, 3) if days >= 30 else None
        self.slumps = [self._stretch(0.75, 12), self._stretch(0.45, 8)] if days >= 90 else []

    def _stretch(self, back: float, length: int) -> tuple[date, date]:
        """``length`` days starting a share ``back`` of the history before today."""
        start = self.today - timedelta(days=max(length + 1, round(self.days * back)))
        return start, start + timedelta(days=length - 1)

    def progress(self, day: date) -> float:
        return (day - self.first).days / max(1, self.days - 1)

    @staticmethod
    def within(span: tuple[date, date] | None, day: date) -> bool:
        return span is not None and span[0] <= day <= span[1]

    def chance(self, spec: DemoHabit, day: date) -> float:
        """How likely the habit gets done on ``day``, before momentum."""
        t = self.progress(day)
        chance = spec.start + (spec.end - spec.start) * t * t * (3 - 2 * t)  # eased: slow start, plateau
        if day.weekday() >= SAT:
            chance *= spec.weekend
        if any(self.within(slump, day) for slump in self.slumps):
            chance *= 0.5
        if day == self.today:
            chance *= 0.6  # the day is not over yet
        return chance


def _spec(index: int) -> DemoHabit:
    spec = CATALOGUE[index % len(CATALOGUE)]
    lap = index // len(CATALOGUE)
    return spec if lap == 0 else replace(spec, name=f"{spec.name} ({lap + 1})")


def _local_moment(day: date, hour: int, rng: random.Random, tz) -> datetime:
    minutes = min(23 * 60 + 59, max(0, hour * 60 + rng.randint(-50, 50)))
    local = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=tz)
    return min(local.astimezone(UTC), datetime.now(UTC))


def _seed_habits(user: User, count: int, days: int, today: date) -> int:
    rng = random.Random(SEED)
    timeline = Timeline(days, today)
    tz = zone(user.timezone)
    habits, rows = [], []
    for position in range(count):
        spec = _spec(position)
        habit = _new_habit(user, spec, position, timeline, tz)
        db.session.add(habit)
        habits.append(habit)
        rows.extend(_history(habit, spec, timeline, rng, tz))
    db.session.flush()
    if rows:
        # One executemany: SQLAlchemy batches it into multi-row INSERTs.
        db.session.execute(sa.insert(HabitEntry.__table__), rows)
    for habit in habits:
        habit_services.recompute(habit, today)
    return len(rows)


def _new_habit(user: User, spec: DemoHabit, position: int, timeline: Timeline, tz) -> Habit:
    created = _local_moment(timeline.first - timedelta(days=1), 20, random.Random(spec.name), tz)
    habit = Habit(
        id=uuid.uuid4(), user_id=user.id, name=spec.name, description=spec.description, category=spec.category,
        color=spec.color, icon=spec.icon, frequency=spec.frequency, position=position,
        created_at=created, updated_at=created,
    )
    if spec.frequency == "weekly":
        habit.target_days = spec.times_per_week
    elif spec.frequency == "custom":
        habit.weekday_mask = sum(1 << d for d in spec.weekdays)
    if spec.target:
        target, unit, direction = spec.target
        habit.habit_type, habit.target_value, habit.unit, habit.target_direction = (
            "numeric", Decimal(target), unit, direction,
        )
    if spec.vacation and timeline.vacation:
        start, end = timeline.vacation
        habit.pauses.append(HabitPause(start_date=start, end_date=end))
    return habit


def _history(habit: Habit, spec: DemoHabit, timeline: Timeline, rng: random.Random, tz) -> list[dict]:
    """One row per day with a check-in: done, skipped, a logged value, or an explicit "not done"."""
    rows = []
    momentum = 0.0  # streaks feed themselves, a miss makes the next one likelier
    week_done, week = 0, None
    day = timeline.first
    while day <= timeline.today:
        if spec.vacation and timeline.within(timeline.vacation, day):
            day += timedelta(days=1)
            continue
        if spec.frequency == "custom" and day.weekday() not in spec.weekdays:
            day += timedelta(days=1)
            continue
        monday = day - timedelta(days=day.weekday())
        if monday != week:
            week, week_done = monday, 0
        chance = min(0.97, max(0.03, timeline.chance(spec, day) + momentum))
        if spec.frequency == "weekly":
            # Spread the week's sessions: likelier as the week runs out with sessions still owed.
            owed = spec.times_per_week - week_done
            chance = chance * owed / (7 - day.weekday()) if owed > 0 else 0.05
        row = None
        if (spec.physical and timeline.within(timeline.illness, day)) or rng.random() < 0.015:
            row = _row(habit, day, skipped=True, rng=rng, tz=tz, hour=spec.hour,
                       notes="Ill, resting." if spec.physical and timeline.within(timeline.illness, day) else None)
        elif spec.target:
            row = _numeric_row(habit, spec, day, rng.random() < chance, rng, tz)
        elif rng.random() < chance:
            note = rng.choice(spec.notes) if spec.notes and rng.random() < 0.04 else None
            row = _row(habit, day, completed=True, rng=rng, tz=tz, hour=spec.hour, notes=note)
        elif day != timeline.today and rng.random() < 0.05:
            row = _row(habit, day, rng=rng, tz=tz, hour=spec.hour)  # ticked, then unticked
        done = row is not None and row["completed"]
        if row is None or not row["skipped"]:
            momentum = min(0.1, momentum + 0.03) if done else max(-0.1, momentum - 0.05)
        week_done += done
        if row is not None:
            rows.append(row)
        day += timedelta(days=1)
    return rows


def _numeric_row(habit: Habit, spec: DemoHabit, day: date, success: bool, rng: random.Random, tz) -> dict | None:
    target, _, direction = spec.target
    if rng.random() < 0.06:
        return None  # forgot to log
    step = max(1, target // 40)  # counts of thousands are logged roughly
    if direction == "at_least":
        amount = rng.randint(target, target + max(1, target // 4)) if success else rng.randint(target // 3, target - 1)
    else:
        amount = rng.randint(max(0, target - 2), target) if success else rng.randint(target + 1, target + 2)
    value = Decimal(amount // step * step)
    met = value >= target if direction == "at_least" else value <= target
    note = rng.choice(spec.notes) if spec.notes and not met and rng.random() < 0.05 else None
    return _row(habit, day, completed=bool(met), value=value, rng=rng, tz=tz, hour=spec.hour, notes=note)


def _row(
    habit: Habit, day: date, *, rng: random.Random, tz, hour: int, completed: bool = False, skipped: bool = False,
    value: Decimal | None = None, notes: str | None = None,
) -> dict:
    logged = _local_moment(day, hour, rng, tz)
    return {
        "id": uuid.uuid4(), "habit_id": habit.id, "entry_date": day, "completed": completed, "skipped": skipped,
        "completed_at": logged if completed else None, "value": value, "notes": notes,
        "created_at": logged, "updated_at": logged,
    }


# --- goals -------------------------------------------------------------------------------

def _clear_goals(user: User) -> None:
    """Delete the user's goals; the database cascades to their progress and milestones."""
    ids = sa.select(Goal.id).where(Goal.user_id == user.id)
    db.session.execute(sa.delete(Taggable).where(Taggable.taggable_type == "goal", Taggable.taggable_id.in_(ids)))
    db.session.execute(sa.delete(Goal).where(Goal.user_id == user.id))
    db.session.expire_all()


BOOKS = (
    "Deep Work", "Atomic Habits", "The Midnight Library", "Sapiens", "Educated", "Project Hail Mary",
    "Thinking, Fast and Slow", "Klara and the Sun", "The Overstory", "Range", "Piranesi", "Four Thousand Weeks",
    "The Body Keeps the Score", "Born a Crime", "Station Eleven", "Stolen Focus", "The Power of Habit",
    "Circe", "Digital Minimalism", "A Gentleman in Moscow", "Quiet", "The Remains of the Day", "Outlive",
)
NOVEL_MILESTONES = (
    "Outline the plot and the main characters", "Write the first three chapters", "Finish the first draft",
    "Revise with feedback from the writing group", "Send the manuscript to five agents",
)


def _seed_goals(user: User, today: date) -> int:
    """The demo goals, made through the goal services as a user would make them.

    Each service call is its own transaction that keeps cached totals and statuses settled, so
    a failure part-way removes the goals made so far instead of leaving half a set behind.
    """
    try:
        return _create_goals(user, today)
    except Exception:
        db.session.rollback()
        _clear_goals(user)
        db.session.commit()
        raise


def _goal(user: User, today: date, title: str, **fields) -> uuid.UUID:
    data = {
        "title": title, "description": None, "category": None, "goal_type": "monthly", "is_recurring": False,
        "priority": 0, "status": "active", "parent_goal_id": None, "measure": "entries", "rollup": "average",
        "target_value": None, "target_unit": None, "source": "", "start_date": None, "end_date": None, **fields,
    }
    return goal_services.create_goal(user, data, today).goal_id


def _linked_habit(user: User, name: str) -> Habit | None:
    return db.session.scalars(sa.select(Habit).where(Habit.user_id == user.id, Habit.name == name)).first()


def _create_goals(user: User, today: date) -> int:
    made = 0

    # A yearly goal filled by its monthly sub-goals: every month so far, the past ones done.
    year = goal_logic.period_of("yearly", today)
    books = _goal(user, today, "Read 24 books", goal_type="yearly", measure="children", rollup="sum",
                  target_value=Decimal(24), target_unit="books", category="Mind", priority=4,
                  start_date=year.start, end_date=year.end,
                  description="Two books a month, fiction and non-fiction in turn.")
    made += 1
    titles = itertools.cycle(BOOKS)
    for month in goal_logic.periods_between("monthly", year.start, today):
        current = today in month
        sub = _goal(user, today, f"Read 2 books in {month.start:%B}", goal_type="monthly", measure="entries",
                    target_value=Decimal(2), target_unit="books", category="Mind", priority=3,
                    parent_goal_id=books, start_date=month.start, end_date=month.end)
        made += 1
        finished = [min(today, month.start + timedelta(days=11))] if current else [
            month.start + timedelta(days=12), month.end - timedelta(days=2),
        ]
        for day in finished:
            goal_progress.add_entry(user, db.session.get(Goal, sub), Decimal(1), day, f"Finished “{next(titles)}”.", today)

    meditate = _linked_habit(user, "Meditate")
    if meditate is not None:
        _goal(user, today, "Meditate 5 times a week", goal_type="weekly", is_recurring=True, measure="source",
              source=f"{HABIT_COMPLETIONS}:{meditate.id}", target_value=Decimal(5), target_unit="times",
              category="Mind", priority=3,
              start_date=goal_logic.period_of("weekly", today - timedelta(weeks=12)).start)
        made += 1
    water = _linked_habit(user, "Water")
    if water is not None:
        _goal(user, today, "Drink 8 glasses a day", goal_type="daily", is_recurring=True, measure="source",
              source=f"{HABIT_VALUES}:{water.id}", target_value=Decimal(8), target_unit="glasses",
              category="Health", priority=2, start_date=today - timedelta(days=27))
        made += 1

    # Runs on days already behind us, about every other day: few on the 3rd, eight by the 16th.
    month = goal_logic.period_of("monthly", today)
    run = _goal(user, today, "Run 100 km", goal_type="monthly", measure="entries", target_value=Decimal(100),
                target_unit="km", category="Health", priority=5, start_date=month.start, end_date=month.end)
    made += 1
    past = (today - month.start).days
    runs = min(8, (past + 1) // 2)
    for n in range(runs):
        day = month.start + timedelta(days=int(n * past / runs))
        goal_progress.add_entry(user, db.session.get(Goal, run), Decimal("7.5"), day, "Long run by the river." if n == 3 else None, today)

    novel = _goal(user, today, "Write a novel", goal_type="life", measure="milestones", category="Creativity",
                  priority=2, description="The mystery set in the lighthouse, finally on paper.")
    made += 1
    for position, title in enumerate(NOVEL_MILESTONES):
        target = today + timedelta(days=120) if position == 2 else None
        goal_progress.add_milestone(user, db.session.get(Goal, novel), title, target, today)
    done = db.session.scalars(
        sa.select(GoalMilestone.id).where(GoalMilestone.goal_id == novel).order_by(GoalMilestone.position).limit(2)
    ).all()
    for milestone in done:
        goal_progress.set_milestone_done(user, db.session.get(GoalMilestone, milestone), True, today)

    _goal(user, today, "File the tax return", goal_type="monthly", measure="entries", target_value=Decimal(1),
          category="Admin", priority=4, start_date=today - timedelta(days=33), end_date=today - timedelta(days=3),
          description="Receipts are in the blue folder.")
    made += 1
    _backdate_goals(user)
    return made


def _backdate_goals(user: User) -> None:
    """Goals the seed makes today read as made when their period began and finished on their last
    entry, so the progress pages count each in the week it belongs to, not all in this one."""
    where = zone(user.timezone)
    last_entry = dict(db.session.execute(
        sa.select(GoalProgress.goal_id, sa.func.max(GoalProgress.progress_date)).join(Goal)
        .where(Goal.user_id == user.id).group_by(GoalProgress.goal_id)).all())
    for goal in db.session.scalars(sa.select(Goal).where(Goal.user_id == user.id)):
        if goal.start_date is not None:
            goal.created_at = datetime.combine(goal.start_date, clock_time(8), tzinfo=where)
        if goal.completed_at is not None and goal.id in last_entry:
            goal.completed_at = datetime.combine(last_entry[goal.id], clock_time(20), tzinfo=where)
    db.session.commit()
