"""The food pages' view models, from plain rows: no database, no app."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from manifest.nutrition import pages
from manifest.nutrition.logic import NUTRIENTS, Totals

DAY = date(2026, 3, 4)  # a Wednesday


def food(name, meal, **nutrients):
    return SimpleNamespace(food_name=name, meal_type=meal, **{n: nutrients.get(n) for n in NUTRIENTS})


def test_a_day_groups_its_entries_by_meal_in_the_days_order_and_adds_them_up():
    entries = [food("Soup", "dinner", calories=300), food("Oatmeal", "breakfast", calories=350, protein_grams=12),
               food("Tea", "breakfast")]
    log = pages.day_log(DAY, entries, {"calories": 2000}, favorites=[], recent=[])
    assert list(log.meals) == ["breakfast", "lunch", "dinner", "snack"]
    assert [e.food_name for e in log.meals["breakfast"].entries] == ["Oatmeal", "Tea"]
    assert log.meals["lunch"].entries == [] and log.meals["lunch"].totals.count == 0
    assert log.meals["snack"].label == "Snacks"
    assert log.meals["breakfast"].totals.calories == 350 and log.totals.calories == 650
    assert (log.calories.eaten, log.calories.target, log.calories.remaining) == (650, 2000, 1350)
    assert log.has_targets


def test_a_day_without_targets_says_so():
    log = pages.day_log(DAY, [], {}, [], [])
    assert not log.has_targets and log.calories.target is None and log.totals.count == 0


def test_the_meals_showing_a_food_ignore_case():
    entries = [food("Oatmeal", "breakfast"), food("oatmeal", "snack"), food("Oat cookie", "lunch")]
    log = pages.day_log(DAY, entries, {}, [], [])
    assert log.meals_showing("OATMEAL") == ["breakfast", "snack"]
    assert log.meals_showing("Pizza") == []


def test_a_day_summary_counts_entries_against_the_calorie_target():
    totals = Totals({**{n: Decimal(0) for n in NUTRIENTS}, "calories": Decimal(2100)}, 3)
    summary = pages.day_summary(DAY, totals, {"calories": 2000})
    assert summary.entries == 3 and summary.calories.is_over and summary.calories.over == 100


def test_a_week_averages_logged_days_only_and_leaves_gaps_in_its_chart():
    days = [DAY - timedelta(days=2) + timedelta(days=i) for i in range(7)]
    sums = {days[0]: Totals({**{n: Decimal(0) for n in NUTRIENTS}, "calories": Decimal(2500)}, 2),
            days[1]: Totals({**{n: Decimal(0) for n in NUTRIENTS}, "calories": Decimal(1500)}, 1)}
    week = pages.week(days, sums, {"calories": 2000})
    assert (week.start, week.end) == (days[0], days[6])
    assert week.average.calories == 2000 and week.average.count == 2
    assert week.targets[0].eaten == 2000 and not week.targets[0].is_over
    series = week.series("calories")
    assert series[0] == ("Mon", Decimal(2500)) and series[1] == ("Tue", Decimal(1500))
    assert [value for _, value in series[2:]] == [None] * 5  # not logged: a gap, not a zero
