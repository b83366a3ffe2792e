"""What Today and Goals read from reviews: status, yesterday's intentions, goal sources."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from manifest.extensions import db
from manifest.forms import FieldError
from manifest.goals import services as goal_services
from manifest.goals import sources
from manifest.reviews import services
from manifest.reviews.goal_sources import METRICS
from tests.conftest import counted_statements
from tests.reviews.conftest import insert, owner, rows

DAY = date(2024, 3, 10)


def test_review_status_counts_filled_fields_in_one_query(app, user):
    insert(app, user["id"], DAY, mood_rating=6, steps=0, gratitude="Tea")
    insert(app, user["id"], DAY - timedelta(days=1))  # a row whose answers were all cleared
    with app.app_context():
        me = owner(user["id"])
        with counted_statements(app) as sent:
            status = services.review_status(me, DAY)
        assert len(sent) == 1
        assert (status.exists, status.filled, status.total, status.started, status.complete) == (True, 3, 14, True, False)
        empty = services.review_status(me, DAY - timedelta(days=1))
        assert (empty.exists, empty.filled, empty.started) == (True, 0, False)
        missing = services.review_status(me, DAY + timedelta(days=1))
        assert (missing.exists, missing.filled) == (False, 0)


def test_intentions_for_a_day_come_from_the_day_before(app, user, other_user):
    insert(app, user["id"], DAY - timedelta(days=1), tomorrow_intentions="Write the report")
    insert(app, other_user["id"], DAY, tomorrow_intentions="Ben's plan")
    with app.app_context():
        me = owner(user["id"])
        assert services.intentions_for(me, DAY) == "Write the report"
        assert services.intentions_for(me, DAY + timedelta(days=1)) is None
        assert services.intentions_for(owner(other_user["id"]), DAY + timedelta(days=1)) == "Ben's plan"
        assert services.intentions_for(owner(other_user["id"]), DAY) is None
        # Today reads them with the day's status, in the same single query.
        assert services.review_status(me, DAY).intentions == "Write the report"
        assert services.review_status(me, DAY + timedelta(days=1)).intentions is None
        assert services.review_status(owner(other_user["id"]), DAY + timedelta(days=1)).intentions == "Ben's plan"


def test_save_fields_refuses_future_days_and_unknown_fields(app, user):
    with app.app_context():
        me = owner(user["id"])
        with pytest.raises(FieldError):
            services.save_fields(me, DAY + timedelta(days=1), DAY, {"mood_rating": 5})
        with pytest.raises(FieldError):
            services.save_fields(me, DAY, DAY, {"user_id": me.id})
        with pytest.raises(FieldError):
            services.save_fields(me, DAY, DAY, {})
    assert rows(app, user["id"]) == []


def test_save_fields_upserts_in_one_statement(app, user):
    with app.app_context():
        me = owner(user["id"])
        with counted_statements(app) as sent:
            services.save_fields(me, DAY, DAY, {"mood_rating": 5})
        assert len([s for s in sent if s.lstrip().upper().startswith("INSERT")]) == 1
        review = services.save_fields(me, DAY, DAY, {"steps": 100})
        assert (review.mood_rating, review.steps) == (5, 100)
    assert len(rows(app, user["id"])) == 1


# --- goal sources --------------------------------------------------------------------------

def seed_week(app, user_id):
    for n, (mood, energy, sleep, steps, water) in enumerate([
        (6, 5, Decimal("7.0"), 1000, 1500), (8, None, Decimal("8.5"), 2000, None), (None, 7, None, None, 500),
    ]):
        insert(app, user_id, DAY + timedelta(days=n), mood_rating=mood, energy_level=energy, sleep_hours=sleep,
               steps=steps, water_intake_ml=water)


def test_the_sources_are_registered_with_one_option_the_user(app, user):
    with app.app_context():
        me = owner(user["id"])
        for key in METRICS:
            source = sources.get(key)
            assert source is not None and len(key) <= 50
            [option] = source.options(me)
            assert option.id == me.id


def test_sources_average_and_add_up_in_one_query(app, user, other_user):
    seed_week(app, user["id"])
    insert(app, other_user["id"], DAY, mood_rating=1, steps=99999)
    with app.app_context():
        me = owner(user["id"])
        week = (DAY, DAY + timedelta(days=6))
        requests = {key: sources.SourceRequest(key, me.id, *week) for key in METRICS}
        first_day = sources.SourceRequest("review.mood", me.id, DAY, DAY)
        empty = sources.SourceRequest("review.mood", me.id, DAY - timedelta(days=9), DAY - timedelta(days=5))
        with counted_statements(app) as sent:
            answers = sources.compute_all(me, [*requests.values(), first_day, empty])
        assert len(sent) == 1
    assert answers[requests["review.mood"]] == Decimal(7)
    assert answers[requests["review.energy"]] == Decimal(6)
    assert answers[requests["review.sleep"]] == Decimal("7.75")
    assert answers[requests["review.steps"]] == Decimal(3000)
    assert answers[requests["review.water"]] == Decimal(2000)
    assert answers[first_day] == Decimal(6)
    assert answers[empty] == Decimal(0)


def test_a_source_id_that_is_not_the_users_gets_no_answer(app, user, other_user):
    seed_week(app, user["id"])
    seed_week(app, other_user["id"])
    with app.app_context():
        me = owner(user["id"])
        theirs = sources.SourceRequest("review.steps", other_user["id"], DAY, DAY + timedelta(days=6))
        assert sources.compute_all(me, [theirs]) == {}


def test_a_goal_can_follow_average_mood(app, user):
    seed_week(app, user["id"])
    with app.app_context():
        me = owner(user["id"])
        data = {
            "title": "Feel good", "description": None, "goal_type": "monthly", "is_recurring": False,
            "category": None, "priority": 0, "status": "active", "parent_goal_id": None, "measure": "source",
            "target_value": Decimal(8), "target_unit": None, "rollup": "average", "source": f"review.mood:{me.id}",
            "start_date": DAY, "end_date": DAY + timedelta(days=20),
        }
        goal_id = goal_services.create_goal(me, data, DAY + timedelta(days=3)).goal_id
        view = goal_services.load_tree(me, DAY + timedelta(days=3)).get(goal_id)
        assert view.progress.value == Decimal(7)
        assert view.goal.target_unit == "/10"
        db.session.rollback()
