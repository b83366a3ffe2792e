"""The reminder job's reads and writes: find what fell due since the last run, record each reminder
once, and say which ones need an email.

Idempotent by construction: every notification has a deterministic key per user (``habit:<id>:<local
day>``) under a UNIQUE constraint and is inserted with ON CONFLICT DO NOTHING, so the same window run
twice, or by two consumers at once, records each reminder once; only the run that inserted a row
enqueues its email.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from manifest import queries
from manifest.extensions import db
from manifest.goals import logic as goal_logic
from manifest.goals import services as goals
from manifest.habits.services import pauses_of, schedule_of
from manifest.models import (
    DailyReview,
    Goal,
    GoalProgress,
    Habit,
    HabitEntry,
    JobRun,
    Notification,
    NotificationSettings,
    User,
    Workout,
)
from manifest.notifications import logic, pages, push
from manifest.reviews.services import FIELD_COLUMNS
from manifest.timeutil import as_utc, week_start, zone

JOB = "reminders"
# A worker down for longer than this does not dig further back: those reminders are simply gone.
LOOKBACK = timedelta(hours=24)


def utc_now() -> datetime:
    return datetime.now(UTC)


def grace() -> timedelta:
    return timedelta(minutes=current_app.config["REMINDER_GRACE_MINUTES"])


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def settings_of(user: User, row: NotificationSettings | None) -> logic.Settings:
    timezone = zone(user.timezone).key  # an unknown name reads as UTC, as everywhere else
    if row is None:
        return logic.Settings(timezone=timezone)
    return logic.Settings(
        timezone=timezone, habits=row.habit_reminders, review=row.review_reminders,
        goals=row.goal_reminders, digest=row.weekly_digest, review_time=row.review_reminder_time,
        goal_hours=row.reminder_before_hours, quiet_start=row.quiet_start, quiet_end=row.quiet_end,
    )


@dataclass
class Account:
    user: User
    row: NotificationSettings | None
    settings: logic.Settings
    habits: list[Habit]
    goals: list[Goal]


def _accounts() -> list[Account]:
    """Every active user with their settings, reminder habits and open goals: three statements."""
    pairs = db.session.execute(
        sa.select(User, NotificationSettings)
        .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(User.is_active).order_by(User.id)  # one order for every consumer: no deadlocks between them
    ).all()
    habits = defaultdict(list)
    for habit in db.session.scalars(
        sa.select(Habit).options(selectinload(Habit.pauses))
        .where(Habit.is_active, Habit.reminder_time.is_not(None))
    ):
        habits[habit.user_id].append(habit)
    open_goals = defaultdict(list)
    for goal in db.session.scalars(sa.select(Goal).where(
        Goal.status == "active",
        sa.or_(Goal.end_date.is_not(None), sa.and_(Goal.is_recurring, Goal.goal_type.in_(goal_logic.PERIOD_KINDS))),
    )):
        open_goals[goal.user_id].append(goal)
    return [
        Account(user, row, settings_of(user, row), habits[user.id], open_goals[user.id])
        for user, row in pairs
    ]


def _habit_plan(habit: Habit, closed=frozenset(), week_done=None) -> logic.HabitPlan:
    return logic.HabitPlan(habit.id, habit.reminder_time, schedule_of(habit), tuple(pauses_of(habit)),
                           frozenset(closed), week_done or {})


def _goal_window(goal: Goal, today: date) -> tuple[date | None, date | None]:
    """The goal's deadline and, for a recurring goal, the first day of its current period."""
    if goal.is_recurring and goal.goal_type in goal_logic.PERIOD_KINDS:
        period = goal_logic.period_of(goal.goal_type, today)
        if goal.end_date and goal.end_date < period.start:
            return None, None
        return period.end, period.start
    return goal.end_date, None


def _goal_plans(account: Account, today: date, *, facts: bool) -> list[logic.GoalPlan]:
    tree = goals.load_tree(account.user, today) if facts and account.goals else None
    plans = []
    for goal in account.goals:
        deadline, opens = _goal_window(goal, today)
        if deadline is None:
            continue
        open_ = True
        if tree is not None:
            view = tree.views.get(goal.id)
            open_ = view is not None and view.active and not view.progress.reached and not view.upcoming
        plans.append(logic.GoalPlan(goal.id, deadline, open_, goal.is_recurring, opens))
    return plans


def _habit_facts(habits: list[Habit], days: set[date]) -> list[logic.HabitPlan]:
    """The habits' plans with the done and skipped days around ``days`` (one statement)."""
    if not habits or not days:
        return [_habit_plan(h) for h in habits]
    first, last = week_start(min(days)), week_start(max(days)) + timedelta(days=6)
    closed, week_done = defaultdict(set), defaultdict(lambda: defaultdict(int))
    for habit_id, day, completed, skipped in db.session.execute(
        sa.select(HabitEntry.habit_id, HabitEntry.entry_date, HabitEntry.completed, HabitEntry.skipped).where(
            HabitEntry.habit_id.in_([h.id for h in habits]), HabitEntry.entry_date.between(first, last),
            sa.or_(HabitEntry.completed, HabitEntry.skipped),
        )
    ):
        closed[habit_id].add(day)
        if completed:
            week_done[habit_id][week_start(day)] += 1
    return [_habit_plan(h, closed[h.id], dict(week_done[h.id])) for h in habits]


def _reviewed(user: User, days: set[date]) -> frozenset[date]:
    if not days:
        return frozenset()
    filled = sa.or_(*(column.is_not(None) for column in FIELD_COLUMNS))
    return frozenset(db.session.scalars(sa.select(DailyReview.review_date).where(
        DailyReview.user_id == user.id, DailyReview.review_date.in_(days), filled)))


def week_summary(user: User, monday: date) -> pages.WeekSummary:
    """Last week (from ``monday``) in numbers, for the weekly summary."""
    end = monday + timedelta(days=6)
    habits_done = db.session.scalar(
        sa.select(sa.func.count()).select_from(HabitEntry).join(Habit, Habit.id == HabitEntry.habit_id)
        .where(Habit.user_id == user.id, HabitEntry.completed, HabitEntry.entry_date.between(monday, end)))
    goals_moved = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(GoalProgress.goal_id))).join(Goal, Goal.id == GoalProgress.goal_id)
        .where(Goal.user_id == user.id, GoalProgress.progress_date.between(monday, end)))
    workouts = db.session.scalar(sa.select(sa.func.count()).select_from(Workout).where(
        Workout.user_id == user.id, Workout.workout_date.between(monday, end)))
    mood = db.session.scalar(sa.select(sa.func.avg(DailyReview.mood_rating)).where(
        DailyReview.user_id == user.id, DailyReview.review_date.between(monday, end)))
    return pages.WeekSummary(monday, habits_done or 0, goals_moved or 0, workouts or 0,
                             None if mood is None else round(mood, 1))


def _text(account: Account, reminder: logic.Reminder) -> pages.Text:
    if reminder.kind == "habit":
        habit = next(h for h in account.habits if h.id == reminder.ref.id)
        return pages.habit_text(habit.id, habit.name, habit.reminder_time, reminder.day)
    if reminder.kind == "review":
        return pages.review_text(reminder.day)
    if reminder.kind == "goal":
        goal = next(g for g in account.goals if g.id == reminder.ref.id)
        hours = logic.hours_left(reminder, zone(account.settings.timezone))
        return pages.goal_text(goal.id, goal.title, reminder.ref.deadline, reminder.ref.recurring, hours)
    return pages.digest_text(week_summary(account.user, reminder.day - timedelta(days=7)))


def channels(user: User, row: NotificationSettings | None) -> tuple[bool, bool]:
    """(in the app, by email) for this user's notifications."""
    in_app = row is None or row.in_app_enabled
    email = (row is None or row.email_enabled) and mail_configured() and bool(user.email)
    return in_app, email


def record(user: User, kind: str, key: str, text: pages.Text, at: datetime, *, in_app: bool, email: bool,
           late: bool, now: datetime) -> uuid.UUID | None:
    """Insert one notification unless its key exists; its id when this call inserted it."""
    status = "skipped" if late else ("pending" if email else "sent")
    statement = queries.insert(Notification).values(
        id=uuid.uuid4(), user_id=user.id, kind=kind, dedupe_key=key, title=text.title[:200],
        message=text.message, link=text.link, scheduled_at=at, status=status, in_app=in_app, email=email,
        sent_at=now if status == "sent" else None,
    ).on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"]).returning(Notification.id)
    return db.session.execute(statement).scalar()


def _known_keys(user_ids, keys) -> set[tuple]:
    if not keys:
        return set()
    return set(db.session.execute(sa.select(Notification.user_id, Notification.dedupe_key).where(
        Notification.user_id.in_(user_ids), Notification.dedupe_key.in_(keys))).all())


def last_run() -> datetime | None:
    moment = db.session.scalar(sa.select(JobRun.last_run_at).where(JobRun.name == JOB))
    return as_utc(moment) if moment is not None else None


def _mark_run(now: datetime) -> None:
    statement = queries.insert(JobRun).values(id=uuid.uuid4(), name=JOB, last_run_at=now)
    # Two consumers may finish out of order: the later instant wins.
    db.session.execute(statement.on_conflict_do_update(index_elements=["name"], set_={
        "last_run_at": sa.case((JobRun.last_run_at < statement.excluded.last_run_at,
                                statement.excluded.last_run_at), else_=JobRun.last_run_at),
        "updated_at": sa.func.now(),
    }))


@dataclass
class Deliveries:
    """What a run recorded that still has to be sent: notifications by email, deliveries by push."""

    emails: list[uuid.UUID]
    pushes: list[uuid.UUID]


def run(now: datetime | None = None) -> list[uuid.UUID]:
    """Record every reminder due since the last run; returns the notifications whose email should
    be sent (``run_all`` also says which pushes)."""
    return run_all(now).emails


def run_all(now: datetime | None = None) -> Deliveries:
    """Record every reminder due since the last run (at most the lookback ago, at least the grace
    window ago on the very first run); returns what should be sent."""
    now = now or utc_now()
    since = max(last_run() or now - grace(), now - LOOKBACK)
    deliver = Deliveries([], [])
    failed = False
    if since < now:
        accounts = _accounts()
        found = []
        for account in accounts:
            today = now.astimezone(zone(account.settings.timezone)).date()
            candidates = logic.scheduled(account.settings, [_habit_plan(h) for h in account.habits],
                                         _goal_plans(account, today, facts=False), since, now)
            if candidates:
                found.append((account, today, candidates))
        known = _known_keys([a.user.id for a, _, _ in found], [r.key for _, _, rs in found for r in rs])
        for account, today, candidates in found:
            candidates = [r for r in candidates if (account.user.id, r.key) not in known]
            if not candidates:
                continue
            # One user's bad row must not hold up everyone else's reminders, run after run.
            try:
                with db.session.begin_nested():
                    emails, pushes = _record_due(account, today, candidates, since, now)
                    deliver.emails += emails
                    deliver.pushes += pushes
            except Exception:
                failed = True
                current_app.logger.exception("Reminders for user %s failed", account.user.id)
    # After a failure the window is looked at again next run: what was recorded already is known
    # by its key and skipped, what failed gets another chance instead of being lost.
    if not failed:
        _mark_run(now)
    db.session.commit()
    return deliver


def _record_due(account: Account, today: date, candidates, since: datetime,
                now: datetime) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    kinds = {r.kind for r in candidates}
    days = {r.day for r in candidates}
    habit_days = {r.day for r in candidates if r.kind == "habit"}
    plans = _habit_facts(account.habits, habit_days) if "habit" in kinds else []
    goal_plans = _goal_plans(account, today, facts=True) if "goal" in kinds else []
    reviewed = _reviewed(account.user, days) if "review" in kinds else frozenset()
    keys = {r.key for r in candidates}
    due = [r for r in logic.due_reminders(account.settings, plans, goal_plans, reviewed, since, now) if r.key in keys]
    in_app, email = channels(account.user, account.row)
    pushed = push.channel_on(account.row)
    if not (in_app or email or pushed):
        return [], []
    emails, pushes = [], []
    for reminder in due:
        late = logic.is_late(reminder, now, grace())
        new_id = record(account.user, reminder.kind, reminder.key, _text(account, reminder), reminder.at,
                        in_app=in_app, email=email, late=late, now=now)
        if new_id is None or late:
            continue
        if email:
            emails.append(new_id)
        if pushed:
            pushes += push.fan_out(account.user, new_id)
    return emails, pushes


def stalled_deliveries(now: datetime | None = None, older_than: timedelta = timedelta(minutes=15)) -> list[uuid.UUID]:
    """Emails still pending long after their last try: their task was lost (a consumer died between
    recording and enqueuing, or while sending). Enqueuing them again is harmless: a delivery claims
    its row first."""
    now = now or utc_now()
    # A consumer killed while sending leaves its claim behind: after a while it is pending again.
    db.session.execute(sa.update(Notification).where(
        Notification.status == "sending", Notification.updated_at < now - older_than,
    ).values(status="pending", updated_at=sa.func.now()))
    db.session.commit()
    return list(db.session.scalars(sa.select(Notification.id).where(
        Notification.status == "pending", Notification.email, Notification.updated_at < now - older_than,
        Notification.scheduled_at > now - LOOKBACK,
    ).limit(500)))
