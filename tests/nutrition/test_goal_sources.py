"""Goals filled from the food log: average daily calories and protein over the days with entries."""

from datetime import date, timedelta
from decimal import Decimal

from manifest.extensions import db
from manifest.forms import FieldError
from manifest.goals import services as goals
from manifest.goals.sources import SOURCES, SourceRequest, compute_all, options_for
from manifest.models import User
from tests.conftest import counted_statements
from tests.nutrition.conftest import add_food

DAY = date(2026, 3, 2)


def test_both_sources_are_registered_with_one_option_the_users_own_log(app, user):
    assert SOURCES["nutrition.calories"].unit == "kcal" and SOURCES["nutrition.protein"].unit == "g"
    with app.app_context():
        ana = db.session.get(User, user["id"])
        offered = {source.key: options for source, options in options_for(ana)}
        [calories] = offered["nutrition.calories"]
        assert (calories.id, calories.name, calories.unit) == (ana.id, "All my meals", "kcal")
        assert offered["nutrition.protein"][0].unit == "g"


def test_the_average_counts_only_days_with_entries_in_the_range(app, user):
    add_food(app, user["id"], DAY, "breakfast", calories=Decimal(500), protein_grams=Decimal(20))
    add_food(app, user["id"], DAY, "dinner", calories=Decimal(1500), protein_grams=Decimal(60))
    add_food(app, user["id"], DAY + timedelta(days=2), "lunch", calories=Decimal(1000), protein_grams=None)
    add_food(app, user["id"], DAY + timedelta(days=10), "lunch", calories=Decimal(9000))
    with app.app_context():
        ana = db.session.get(User, user["id"])
        week = SourceRequest("nutrition.calories", ana.id, DAY, DAY + timedelta(days=6))
        protein = SourceRequest("nutrition.protein", ana.id, DAY, DAY + timedelta(days=6))
        first_day = SourceRequest("nutrition.calories", ana.id, DAY, DAY)
        empty = SourceRequest("nutrition.calories", ana.id, DAY - timedelta(days=30), DAY - timedelta(days=1))
        with counted_statements(app) as sent:
            answers = compute_all(ana, [week, protein, first_day, empty])
        assert len(sent) == 1  # one grouped query for every request of both sources
        assert answers[week] == Decimal(1500)  # (2000 + 1000) / 2 logged days
        assert answers[protein] == Decimal(40)  # (80 + 0) / 2
        assert answers[first_day] == Decimal(2000)
        assert answers[empty] == 0


def test_a_goal_linked_to_the_food_log_shows_the_average(app, user, today):
    add_food(app, user["id"], today, "lunch", calories=Decimal(1800), protein_grams=Decimal(90))
    with app.app_context():
        ana = db.session.get(User, user["id"])
        data = {
            "title": "Eat enough protein", "description": None, "goal_type": "weekly", "is_recurring": False,
            "category": None, "priority": 0, "status": "active", "parent_goal_id": None, "measure": "source",
            "target_value": Decimal(120), "target_unit": None, "rollup": "average",
            "source": f"nutrition.protein:{ana.id}", "start_date": None, "end_date": None,
        }
        goal_id = goals.create_goal(ana, data, today).goal_id
        view = goals.load_tree(ana, today).get(goal_id)
        assert view.progress.value == Decimal(90)
        assert view.goal.target_unit == "g"
        # Another user's id is not something this user can link to.
        data["source"] = "nutrition.protein:00000000-0000-4000-8000-000000000000"
        try:
            goals.create_goal(ana, {**data, "title": "Sneaky"}, today)
        except FieldError as error:
            assert error.field == "source"
        else:
            raise AssertionError("a goal was linked to a log that is not the user's")


def test_an_average_is_rounded_as_the_food_pages_show_it(app, user):
    add_food(app, user["id"], DAY, "lunch", calories=Decimal(2500), protein_grams=Decimal("90.5"))
    add_food(app, user["id"], DAY + timedelta(days=1), "lunch", calories=Decimal(2075), protein_grams=Decimal(91))
    with app.app_context():
        ana = db.session.get(User, user["id"])
        calories = SourceRequest("nutrition.calories", ana.id, DAY, DAY + timedelta(days=6))
        protein = SourceRequest("nutrition.protein", ana.id, DAY, DAY + timedelta(days=6))
        answers = compute_all(ana, [calories, protein])
    # 2287.5 kcal and 90.75 g.
    assert (answers[calories], answers[protein]) == (Decimal(2288), Decimal("90.8"))
