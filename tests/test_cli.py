"""`flask seed-demo`: a demo account with a believable habit history and goals, refreshed in place."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.cli import DEMO_EMAIL, DEMO_PASSWORD, DEMO_USERNAME
from manifest.extensions import db
from manifest.goals import logic as goal_logic
from manifest.goals import progress as goal_progress
from manifest.habits import services
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
    Tag,
    Taggable,
    User,
    Workout,
    WorkoutExercise,
    WorkoutSet,
)
from manifest.timeutil import local_today, zone


def seed(app, *args: str):
    return app.test_cli_runner().invoke(args=["seed-demo", *args])


def demo_user() -> User | None:
    return db.session.scalars(sa.select(User).where(User.email == DEMO_EMAIL)).first()


def habits_of(user: User) -> list[Habit]:
    return list(db.session.scalars(sa.select(Habit).where(Habit.user_id == user.id).order_by(Habit.position)))


def entries_of(habit: Habit) -> list[HabitEntry]:
    return list(db.session.scalars(
        sa.select(HabitEntry).where(HabitEntry.habit_id == habit.id).order_by(HabitEntry.entry_date)
    ))


def counts() -> tuple[int, int, int, int]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, Habit, HabitEntry, HabitPause)
    )


def done_share(entries: list[HabitEntry], first, last) -> float:
    window = [e for e in entries if first <= e.entry_date <= last]
    return sum(e.completed for e in window) / max(1, (last - first).days + 1)


def test_seed_demo_creates_an_account_that_can_log_in(app):
    result = seed(app, "--habits", "6", "--days", "60")
    assert result.exit_code == 0, result.output
    assert "demo@example.com" in result.output and "6 habits" in result.output

    with app.app_context():
        user = demo_user()
        assert user is not None and user.username == DEMO_USERNAME and user.is_active

    for identifier in (DEMO_EMAIL, DEMO_USERNAME):
        client = app.test_client()
        client.login(identifier, DEMO_PASSWORD)
        page = client.get("/").get_data(as_text=True)
        assert "Good " in page and ", demo" in page
        assert "Meditate" in page and "Read 20 pages" in page


def test_seeded_habits_are_a_realistic_mix(app):
    assert seed(app, "--habits", "12", "--days", "120").exit_code == 0

    with app.app_context():
        user = demo_user()
        today = local_today(user)
        habits = {h.name: h for h in habits_of(user)}
        assert len(habits) == 12
        assert {h.category for h in habits.values()} == {"Health", "Mind", "Work"}
        assert all(h.color and h.color.startswith("#") and h.icon for h in habits.values())

        assert habits["Meditate"].frequency == "daily" and habits["Meditate"].habit_type == "yes_no"
        gym = habits["Gym"]
        assert gym.frequency == "custom" and gym.weekday_mask == 0b10101  # Mon, Wed, Fri
        assert {e.entry_date.weekday() for e in entries_of(gym)} <= {0, 2, 4}
        run = habits["Run"]
        assert (run.frequency, run.target_days) == ("weekly", 3)

        water, coffee = habits["Water"], habits["Coffee"]
        assert (water.habit_type, water.target_value, water.unit, water.target_direction) == (
            "numeric", Decimal(8), "glasses", "at_least",
        )
        assert (coffee.habit_type, coffee.target_value, coffee.unit, coffee.target_direction) == (
            "numeric", Decimal(2), "cups", "at_most",
        )
        for habit in (water, coffee):
            logged = [e for e in entries_of(habit) if not e.skipped]
            assert logged and all(e.value is not None for e in logged)
            # A numeric day is done exactly when its value meets the target.
            assert all(e.completed == services.meets_target(habit, e.value) for e in logged)
            assert {e.completed for e in logged} == {True, False}

        entries = [e for h in habits.values() for e in entries_of(h)]
        assert all(today - timedelta(days=119) <= e.entry_date <= today for e in entries)
        assert any(e.skipped for e in entries) and any(e.notes for e in entries)
        assert not any(e.completed and e.skipped for e in entries)
        assert all((e.completed_at is not None) == e.completed for e in entries)

        pauses = db.session.scalars(sa.select(HabitPause).join(Habit).where(Habit.user_id == user.id)).all()
        assert pauses and all(p.end_date < today for p in pauses)
        for pause in pauses:
            assert not [e for e in entries if e.habit_id == pause.habit_id and pause.start_date <= e.entry_date <= pause.end_date]


def test_adherence_improves_over_the_year(app):
    assert seed(app).exit_code == 0  # the defaults: 12 habits, 365 days

    with app.app_context():
        user = demo_user()
        today = local_today(user)
        habits = habits_of(user)
        assert len(habits) == 12
        entries = [e for h in habits for e in entries_of(h)]
        assert min(e.entry_date for e in entries) >= today - timedelta(days=364)
        first_quarter = done_share(entries, today - timedelta(days=364), today - timedelta(days=274))
        last_quarter = done_share(entries, today - timedelta(days=91), today - timedelta(days=1))
        assert 0 < first_quarter and last_quarter > first_quarter * 1.25
        # Still imperfect lately: some days the daily habits were missed.
        meditate = next(h for h in habits if h.name == "Meditate")
        recent = {e.entry_date for e in entries_of(meditate) if e.completed and e.entry_date > today - timedelta(days=91)}
        assert 30 < len(recent) < 90


def test_cached_streaks_match_a_recomputation(app):
    assert seed(app, "--habits", "8", "--days", "90").exit_code == 0

    with app.app_context():
        user = demo_user()
        today = local_today(user)
        habits = habits_of(user)
        cached = [(h.current_streak, h.longest_streak, h.total_completions, h.streak_valid_until) for h in habits]
        assert all(total > 0 for _, _, total, _ in cached)
        assert any(current > 0 for current, _, _, _ in cached)
        for habit in habits:
            services.recompute(habit, today)
        assert [(h.current_streak, h.longest_streak, h.total_completions, h.streak_valid_until) for h in habits] == cached
        assert [h.total_completions for h in habits] == [sum(e.completed for e in entries_of(h)) for h in habits]
        db.session.rollback()


def test_running_twice_refreshes_without_duplicating(app):
    assert seed(app, "--habits", "5", "--days", "40").exit_code == 0
    with app.app_context():
        first_counts = counts()
        user_id = demo_user().id
        old_habits = {h.id for h in habits_of(demo_user())}

    assert seed(app, "--habits", "5", "--days", "40").exit_code == 0
    with app.app_context():
        assert counts() == first_counts
        assert demo_user().id == user_id
        assert not old_habits & {h.id for h in habits_of(demo_user())}

    assert seed(app, "--habits", "3", "--days", "20").exit_code == 0
    with app.app_context():
        users, habits, entries, pauses = counts()
        assert (users, habits) == (1, 3)
        # Every entry belongs to one of the new habits: the old ones' history went with them.
        owned = db.session.scalar(sa.select(sa.func.count()).select_from(HabitEntry).join(Habit))
        assert entries == owned > 0
        assert pauses == 0  # too short a history for a holiday


def test_refresh_keeps_the_account_and_restores_its_password(app):
    assert seed(app, "--habits", "2", "--days", "10").exit_code == 0
    with app.app_context():
        user = demo_user()
        user_id = user.id
        user.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$c29tZWhhc2g"
        user.is_active = False
        user.timezone = "Pacific/Kiritimati"
        db.session.commit()

    assert seed(app, "--habits", "2", "--days", "10").exit_code == 0
    with app.app_context():
        user = demo_user()
        assert (user.id, user.is_active, user.timezone) == (user_id, True, "Pacific/Kiritimati")
        # History ends on the account's own today.
        last = db.session.scalar(sa.select(sa.func.max(HabitEntry.entry_date)).join(Habit).where(Habit.user_id == user_id))
        assert last <= local_today(user)
    app.test_client().login(DEMO_EMAIL, DEMO_PASSWORD)


def test_refresh_removes_the_tag_links_of_old_habits(app):
    assert seed(app, "--habits", "2", "--days", "10").exit_code == 0
    with app.app_context():
        user = demo_user()
        tag = Tag(user_id=user.id, name="Morning", slug="morning")
        db.session.add(tag)
        db.session.flush()
        for habit in habits_of(user):
            db.session.add(Taggable(tag_id=tag.id, taggable_type="habit", taggable_id=habit.id))
        db.session.commit()

    assert seed(app, "--habits", "2", "--days", "10").exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Taggable)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Tag)) == 1


def test_other_accounts_are_left_alone(app, user):
    with app.app_context():
        services.create_habit(db.session.get(User, user["id"]), {"name": "Ana's habit", "frequency": "daily", "habit_type": "yes_no"})

    assert seed(app, "--habits", "2", "--days", "10").exit_code == 0
    assert seed(app, "--habits", "2", "--days", "10").exit_code == 0
    with app.app_context():
        assert [h.name for h in habits_of(db.session.get(User, user["id"]))] == ["Ana's habit"]


@pytest.mark.parametrize(("args", "message"), [
    (["--days", "-5"], "Invalid value for '--days'"),
    (["--days", "0"], "Invalid value for '--days'"),
    (["--habits", "-1"], "Invalid value for '--habits'"),
    (["--days", "soon"], "'soon' is not a valid integer"),
])
def test_bad_options_fail_with_a_message(app, args, message):
    result = seed(app, *args)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert counts() == (0, 0, 0, 0)


def test_a_taken_demo_username_fails_without_changes(app, make_user):
    make_user(DEMO_USERNAME, email="someone@example.org")
    result = seed(app, "--habits", "2", "--days", "10")
    assert result.exit_code != 0
    assert "belongs to another account" in result.output
    with app.app_context():
        assert demo_user() is None
        assert counts() == (1, 0, 0, 0)


def test_history_is_written_in_bulk(app):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO habit_entries"):
            statements.append(len(parameters) if executemany else 1)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert seed(app, "--habits", "12", "--days", "120").exit_code == 0
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(HabitEntry))
    # A few hundred rows, a statement or two: not one round trip per check-in.
    assert rows > 300
    assert len(statements) <= 2


# --- goals ---------------------------------------------------------------------------------

GOAL_TITLES = {
    "Read 24 books", "Meditate 5 times a week", "Drink 8 glasses a day", "Run 100 km", "Write a novel",
    "File the tax return",
}


def goals_of(user: User) -> dict[str, Goal]:
    return {g.title: g for g in db.session.scalars(sa.select(Goal).where(Goal.user_id == user.id))}


def progress_of(goal: Goal) -> list[GoalProgress]:
    return list(db.session.scalars(
        sa.select(GoalProgress).where(GoalProgress.goal_id == goal.id).order_by(GoalProgress.progress_date)
    ))


def goal_counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Goal, GoalProgress, GoalMilestone)
    )


def test_seeded_goals_cover_every_kind_and_keep_their_totals(app):
    assert seed(app, "--habits", "12", "--days", "120").exit_code == 0

    with app.app_context():
        user = demo_user()
        today = local_today(user)
        goals = goals_of(user)
        habits = {h.name: h for h in habits_of(user)}
        months = goal_logic.periods_between("monthly", date(today.year, 1, 1), today)
        assert set(goals) == GOAL_TITLES | {f"Read 2 books in {m.start:%B}" for m in months}
        for goal in goals.values():
            entries = progress_of(goal)
            assert goal.current_value == sum((e.value for e in entries), Decimal(0)), goal.title
            assert all(e.progress_date <= today for e in entries), goal.title

        books = goals["Read 24 books"]
        assert (books.goal_type, books.measure, books.rollup, books.target_value, books.target_unit) == (
            "yearly", "children", "sum", Decimal(24), "books",
        )
        assert (books.category, books.priority, books.status) == ("Mind", 4, "active")
        for month in months:
            sub = goals[f"Read 2 books in {month.start:%B}"]
            assert sub.parent_goal_id == books.id
            assert (sub.goal_type, sub.start_date, sub.end_date) == ("monthly", month.start, month.end)
            current = today in month
            assert sub.current_value == (1 if current else 2)
            # Reaching the target completed the past months; the current one is still open.
            assert sub.status == ("active" if current else "completed")
            assert all(e.progress_date in month for e in progress_of(sub))

        meditate, water = goals["Meditate 5 times a week"], goals["Drink 8 glasses a day"]
        assert (meditate.goal_type, meditate.is_recurring, meditate.measure, meditate.target_value) == (
            "weekly", True, "source", Decimal(5),
        )
        assert (meditate.source_key, meditate.source_id) == ("habit.completions", habits["Meditate"].id)
        assert meditate.start_date == goal_logic.period_of("weekly", today - timedelta(weeks=12)).start
        assert (water.goal_type, water.is_recurring, water.target_value, water.target_unit) == (
            "daily", True, Decimal(8), "glasses",
        )
        assert (water.source_key, water.source_id) == ("habit.values", habits["Water"].id)

        run = goals["Run 100 km"]
        this_month = goal_logic.period_of("monthly", today)
        assert (run.goal_type, run.target_value, run.target_unit, run.priority) == ("monthly", 100, "km", 5)
        assert (run.start_date, run.end_date) == (this_month.start, this_month.end)
        runs = progress_of(run)
        assert len(runs) == min(8, ((today - this_month.start).days + 1) // 2)
        assert all(e.value == Decimal("7.5") and this_month.start <= e.progress_date < today for e in runs)
        assert len({e.progress_date for e in runs}) == len(runs)

        novel = goals["Write a novel"]
        assert (novel.goal_type, novel.measure, novel.status) == ("life", "milestones", "active")
        milestones = db.session.scalars(
            sa.select(GoalMilestone).where(GoalMilestone.goal_id == novel.id).order_by(GoalMilestone.position)
        ).all()
        assert [m.position for m in milestones] == [0, 1, 2, 3, 4]
        assert [m.done_at is not None for m in milestones] == [True, True, False, False, False]
        assert len([m for m in milestones if m.target_date]) == 1

        taxes = goals["File the tax return"]
        assert (taxes.target_value, taxes.end_date, taxes.status, taxes.current_value) == (
            1, today - timedelta(days=3), "active", 0,
        )


def test_the_goals_page_shows_the_demo_goals(app):
    assert seed(app, "--habits", "12", "--days", "60").exit_code == 0
    client = app.test_client()
    client.login(DEMO_EMAIL, DEMO_PASSWORD)

    response = client.get("/goals")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    with app.app_context():
        today = local_today(demo_user())
        ids = [g.id for g in goals_of(demo_user()).values()]
    for title in GOAL_TITLES | {f"Read 2 books in {today:%B}"}:
        assert title in page
    assert "Overdue by 3 days" in page

    for goal_id in ids:
        assert client.get(f"/goals/{goal_id}").status_code == 200


def test_linked_goals_need_their_habits(app):
    assert seed(app, "--habits", "2", "--days", "20").exit_code == 0  # Meditate and Read 20 pages only
    with app.app_context():
        goals = goals_of(demo_user())
        assert "Meditate 5 times a week" in goals and "Drink 8 glasses a day" not in goals

    result = seed(app, "--habits", "0", "--days", "20")
    assert result.exit_code == 0, result.output
    with app.app_context():
        goals = goals_of(demo_user())
        assert not {"Meditate 5 times a week", "Drink 8 glasses a day"} & set(goals)
        assert {"Read 24 books", "Run 100 km", "Write a novel", "File the tax return"} <= set(goals)
        assert not [g for g in goals.values() if g.measure == "source"]


def test_a_second_run_replaces_the_goals(app):
    assert seed(app, "--habits", "6", "--days", "30").exit_code == 0
    with app.app_context():
        user = demo_user()
        first = goal_counts()
        old_goals = {g.id for g in goals_of(user).values()}
        tag = Tag(user_id=user.id, name="Someday", slug="someday")
        db.session.add(tag)
        db.session.flush()
        db.session.add(Taggable(tag_id=tag.id, taggable_type="goal", taggable_id=next(iter(old_goals))))
        db.session.commit()

    result = seed(app, "--habits", "6", "--days", "30")
    assert result.exit_code == 0, result.output
    assert f"{first[0]} goals" in result.output
    with app.app_context():
        assert goal_counts() == first
        new_goals = goals_of(demo_user())
        assert len(new_goals) == first[0] and not old_goals & {g.id for g in new_goals.values()}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Taggable)) == 0
        # The linked goal follows the new habit, not the deleted one.
        meditate = next(h for h in habits_of(demo_user()) if h.name == "Meditate")
        assert new_goals["Meditate 5 times a week"].source_id == meditate.id


def test_no_goals_creates_none_and_clears_old_ones(app, user):
    result = seed(app, "--habits", "3", "--days", "20", "--no-goals")
    assert result.exit_code == 0, result.output
    assert "0 goals" in result.output
    with app.app_context():
        assert goal_counts() == (0, 0, 0)

    with app.app_context():
        db.session.add(Goal(user_id=user["id"], title="Ana's goal", goal_type="life", measure="milestones"))
        db.session.commit()
    assert seed(app, "--habits", "3", "--days", "20").exit_code == 0
    assert seed(app, "--habits", "3", "--days", "20", "--no-goals").exit_code == 0
    with app.app_context():
        assert goals_of(demo_user()) == {}
        # Another account's goals are not the demo's to delete.
        assert [g.title for g in db.session.scalars(sa.select(Goal))] == ["Ana's goal"]


def test_a_failure_part_way_leaves_no_half_set_of_goals(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(goal_progress, "add_milestone", broken)
    result = seed(app, "--habits", "3", "--days", "20")
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    with app.app_context():
        assert goal_counts() == (0, 0, 0)
        assert len(habits_of(demo_user())) == 3  # the habits were already in place


# --- meals, workouts, reviews, journal -----------------------------------------------------

LIFE_MODELS = (Food, Workout, WorkoutExercise, WorkoutSet, DailyReview, BlogEntry)


def life_counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in LIFE_MODELS}


def test_the_demo_life_fills_every_area_and_a_second_run_replaces_it(app):
    assert seed(app, "--habits", "2", "--days", "60").exit_code == 0
    with app.app_context():
        first = life_counts()
        user = demo_user()
        today = local_today(user)
        assert all(first.values()), first
        assert user.target_calories == 2200
        # Strength sessions log warm-up and work sets, and the weights rise over the weeks.
        squats = db.session.execute(
            sa.select(Workout.workout_date, sa.func.max(WorkoutSet.weight))
            .join(WorkoutExercise, WorkoutExercise.workout_id == Workout.id)
            .join(WorkoutSet, WorkoutSet.workout_exercise_id == WorkoutExercise.id)
            .where(WorkoutExercise.exercise_name == "Squat").group_by(Workout.workout_date)
            .order_by(Workout.workout_date)
        ).all()
        assert squats[-1][1] > squats[0][1]
        weights = db.session.scalars(sa.select(WorkoutSet.weight)).all()
        assert all(w % Decimal("2.5") == 0 for w in weights)  # loads a barbell can make
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DailyReview).where(
            DailyReview.review_date == today)) == 0  # tonight's review is the user's to write
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BlogEntry).where(
            BlogEntry.status == "published", BlogEntry.is_public)) >= 1

    assert seed(app, "--habits", "2", "--days", "60").exit_code == 0
    with app.app_context():
        assert life_counts() == first


def test_no_life_leaves_the_areas_empty(app):
    result = seed(app, "--habits", "2", "--days", "30", "--no-life")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert not any(life_counts().values())


def test_seeded_goals_are_finished_in_the_periods_they_belong_to(app):
    assert seed(app, "--habits", "4", "--days", "60").exit_code == 0
    with app.app_context():
        user = demo_user()
        today = local_today(user)
        goals = db.session.scalars(sa.select(Goal).where(Goal.user_id == user.id)).all()
        finished = [g for g in goals if g.completed_at is not None]
        assert finished
        for goal in finished:
            day = goal.completed_at.astimezone(zone(user.timezone)).date()
            assert goal.start_date <= day <= min(goal.end_date, today), goal.title
        # Only this month's goals can have been finished this month.
        assert all(g.start_date >= today.replace(day=1) for g in finished if g.completed_at.date() >= today.replace(day=1))
