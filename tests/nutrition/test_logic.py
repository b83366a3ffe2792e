"""Pure nutrition arithmetic: totals, portion scaling, targets and weekly averages."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from manifest.nutrition.logic import (
    NUTRIENTS,
    Portion,
    Totals,
    average,
    parse_portion,
    portion_factor,
    progress,
    rounded,
    scale_nutrients,
    totals,
    week_days,
)

FAST = settings(max_examples=150, deadline=None)
amounts = st.one_of(st.none(), st.decimals(min_value=0, max_value=9999, places=2))
entries = st.lists(st.fixed_dictionaries({n: amounts for n in NUTRIENTS}), max_size=12)


@FAST
@given(entries)
def test_totals_add_up_every_recorded_nutrient_and_treat_missing_as_zero(rows):
    result = totals(rows)
    assert result.count == len(rows)
    for nutrient in NUTRIENTS:
        assert result[nutrient] == sum((r[nutrient] or Decimal(0) for r in rows), Decimal(0))
        assert result[nutrient] >= 0


@FAST
@given(entries, entries)
def test_totals_of_a_day_are_the_sum_of_its_meals(first, second):
    assert totals(first) + totals(second) == totals(first + second)


@FAST
@given(entries)
def test_totals_do_not_depend_on_order(rows):
    assert totals(rows) == totals(list(reversed(rows)))


def test_totals_read_objects_as_well_as_mappings():
    class Row:
        calories, protein_grams, carbs_grams, fats_grams = Decimal(100), Decimal("2.5"), None, None
        fiber_grams = sugar_grams = None
        sodium_mg = 40

    result = totals([Row(), Row()])
    assert (result.calories, result["protein_grams"], result["sodium_mg"], result["carbs_grams"]) == (200, 5, 80, 0)


@pytest.mark.parametrize(("text", "expected"), [
    ("150 g", Portion(Decimal(150), "g")),
    ("150g", Portion(Decimal(150), "g")),
    ("2 slices", Portion(Decimal(2), "slices")),
    ("1,5 cups", Portion(Decimal("1.5"), "cups")),
    ("1/2 Cup", Portion(Decimal("0.5"), "cup")),
    (" 3 ", Portion(Decimal(3), "")),
    ("a bowl", None), ("", None), (None, None), ("0 g", None), ("1/0 cup", None), ("g 100", None),
])
def test_portions_are_read_from_their_leading_number(text, expected):
    assert parse_portion(text) == expected


def test_the_example_of_the_issue_scales_100_g_at_350_kcal_to_525_kcal_for_150_g():
    past = {"calories": Decimal(350), "protein_grams": Decimal("12.5"), "sodium_mg": 5, "fiber_grams": None}
    scaled = scale_nutrients(past, "100 g", "150 g")
    assert scaled["calories"] == Decimal("525.00")
    assert scaled["protein_grams"] == Decimal("18.75")
    assert scaled["sodium_mg"] == 8  # 7.5 rounds half up to a whole milligram
    assert scaled["fiber_grams"] is None and scaled["sugar_grams"] is None


@pytest.mark.parametrize(("past", "new"), [
    ("100 g", "2 slices"), ("a bowl", "150 g"), ("100 g", "a bowl"), (None, "100 g"), ("100 g", None), ("0 g", "5 g"),
])
def test_portions_that_cannot_be_compared_keep_the_past_values(past, new):
    values = {"calories": Decimal(350), "protein_grams": Decimal(12), "sodium_mg": 30}
    assert scale_nutrients(values, past, new) == {**dict.fromkeys(NUTRIENTS), **values}


def test_singular_and_plural_units_are_the_same_unit():
    assert portion_factor("1 slice", "3 slices") == 3


portions = st.decimals(min_value=Decimal("0.1"), max_value=1000, places=1)
units = st.sampled_from(["g", "ml", "slices", "cup", ""])


@FAST
@given(portions, portions, units, st.decimals(min_value=0, max_value=5000, places=2))
def test_scaling_is_proportional_to_the_portion(old, new, unit, calories):
    assume(Decimal("0.001") <= new / old <= 1000)
    scaled = scale_nutrients({"calories": calories}, f"{old} {unit}", f"{new} {unit}")["calories"]
    exact = calories * new / old
    assert abs(scaled - exact) <= Decimal("0.005")
    if new >= old:
        assert scaled >= calories - Decimal("0.005")
    else:
        assert scaled <= calories + Decimal("0.005")


def test_an_absurd_portion_keeps_the_past_values_instead_of_failing():
    huge = "1" + "0" * 40 + " g"
    assert scale_nutrients({"calories": Decimal(350)}, "450 g", huge)["calories"] == Decimal(350)
    assert scale_nutrients({"calories": Decimal(350)}, "450 g", "0.0001 g")["calories"] == Decimal(350)
    assert scale_nutrients({"calories": Decimal(350)}, "100 g", "100000 g")["calories"] == Decimal(350000)


@FAST
@given(portions, units, st.decimals(min_value=0, max_value=5000, places=2))
def test_the_same_portion_keeps_the_same_values(amount, unit, calories):
    assert scale_nutrients({"calories": calories}, f"{amount} {unit}", f"{amount} {unit}")["calories"] == calories


@FAST
@given(st.decimals(min_value=0, max_value=9999, places=2), st.one_of(st.none(), st.integers(0, 9999)))
def test_progress_says_how_far_over_or_how_much_is_left(eaten, target):
    day = Totals({**{n: Decimal(0) for n in NUTRIENTS}, "calories": eaten}, 1)
    calories = progress(day, {"calories": target})[0]
    if target is None:
        assert (calories.is_over, calories.over, calories.remaining, calories.ratio) == (False, 0, None, None)
        return
    assert calories.is_over == (eaten > target)
    assert calories.over == max(eaten - target, 0)
    assert calories.remaining == max(target - eaten, 0)
    assert calories.over * calories.remaining == 0  # never both
    assert 0 <= calories.meter_value <= target


def test_progress_lists_every_nutrient_in_order():
    assert [p.nutrient for p in progress(Totals(), {})] == list(NUTRIENTS)
    assert progress(Totals(), {})[0].label == "Calories"


@FAST
@given(st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=5000, places=2)), min_size=7, max_size=7))
def test_the_average_day_counts_only_logged_days(calories):
    days = [Totals({**{n: Decimal(0) for n in NUTRIENTS}, "calories": c}, 1) if c is not None else Totals()
            for c in calories]
    logged = [c for c in calories if c is not None]
    result = average(days)
    assert result.count == len(logged)
    if logged:
        assert abs(result.calories - sum(logged) / len(logged)) <= Decimal("0.005")
    else:
        assert result.calories == 0


@FAST
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_a_week_runs_monday_to_sunday_around_the_day(day):
    days = week_days(day)
    assert days[0].weekday() == 0 and len(days) == 7 and day in days
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(days))


@FAST
@given(entries, entries)
def test_a_nutrient_is_unknown_exactly_when_no_entry_recorded_it(first, second):
    for rows in (first, second, first + second):
        result = totals(rows)
        for nutrient in NUTRIENTS:
            recorded = any(row[nutrient] is not None for row in rows)
            assert (result.shown(nutrient) is None) == (bool(rows) and not recorded)
    # Adding up two lots of entries knows what either knew.
    assert (totals(first) + totals(second)).unrecorded == totals(first + second).unrecorded
    assert [p.known for p in progress(totals(first), {})] == [totals(first).shown(n) is not None for n in NUTRIENTS]


def test_an_average_is_rounded_as_it_is_shown():
    days = [Totals({**{n: Decimal(0) for n in NUTRIENTS}, "calories": Decimal(c), "protein_grams": Decimal(p)}, 1)
            for c, p in (("2500", "90.5"), ("2075", "91"))]
    shown = rounded(average(days))
    assert (shown.calories, shown["protein_grams"], shown.count) == (Decimal(2288), Decimal("90.8"), 2)
