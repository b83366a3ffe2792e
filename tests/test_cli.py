"""`flask seed-demo`: a demo account with a believable habit history, refreshed in place."""

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from manifest.cli import DEMO_EMAIL, DEMO_PASSWORD, DEMO_USERNAME
from manifest.extensions import db
from manifest.habits import services
from manifest.models import Habit, HabitEntry, HabitPause, Tag, Taggable, User
from manifest.timeutil import local_today


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
