"""Unit conversion: exact known values, and round trips that return what was typed."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from manifest.units import (
    DISTANCE_UNITS,
    WEIGHT_UNITS,
    convert_distance,
    convert_weight,
    distance_for_display,
    to_kg,
    to_meters,
    weight_for_display,
)

# Every value the Numeric(8, 2) columns can hold.
stored = st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2)
TOLERANCE = Decimal("1e-20")


def test_known_values():
    assert convert_weight(1, "lbs", "kg") == Decimal("0.45359237")
    assert convert_weight(100, "kg", "kg") == 100
    assert convert_weight(Decimal("45.359237"), "kg", "lbs") == 100
    assert convert_distance(1, "miles", "meters") == Decimal("1609.344")
    assert convert_distance(5, "km", "meters") == 5000
    assert convert_distance(Decimal("1609.344"), "meters", "miles") == 1
    assert to_kg(Decimal(225), "lbs").quantize(Decimal("0.01")) == Decimal("102.06")
    assert to_meters(Decimal("26.2"), "miles").quantize(Decimal(1)) == Decimal(42165)


def test_floats_are_read_as_written():
    assert convert_weight(0.1, "kg", "kg") == Decimal("0.1")


def test_unknown_units_are_refused():
    with pytest.raises(ValueError):
        convert_weight(1, "stone", "kg")
    with pytest.raises(ValueError):
        convert_distance(1, "km", "yards")


@given(stored, st.sampled_from(WEIGHT_UNITS), st.sampled_from(WEIGHT_UNITS))
def test_weight_round_trip(value, a, b):
    assert abs(convert_weight(convert_weight(value, a, b), b, a) - value) <= TOLERANCE


@given(stored, st.sampled_from(DISTANCE_UNITS), st.sampled_from(DISTANCE_UNITS), st.sampled_from(DISTANCE_UNITS))
def test_distance_round_trip_through_any_path(value, a, b, c):
    there = convert_distance(convert_distance(value, a, b), b, c)
    assert abs(convert_distance(there, c, a) - value) <= TOLERANCE


@given(stored, st.sampled_from(WEIGHT_UNITS))
def test_shown_weight_rounds_back_to_the_stored_value(value, unit):
    """Showing a weight in the other unit loses at most half a hundredth of that unit."""
    other = "lbs" if unit == "kg" else "kg"
    shown, shown_unit = weight_for_display(value, unit, other)
    assert shown_unit == other
    assert abs(convert_weight(shown, other, unit) - value) <= convert_weight(Decimal("0.005"), other, unit)


@given(stored, stored, st.sampled_from(WEIGHT_UNITS))
def test_conversion_keeps_order(a, b, unit):
    """Comparing in kilograms agrees with comparing in the entered unit."""
    assert (a < b) == (to_kg(a, unit) < to_kg(b, unit))


def test_display_of_nothing():
    assert weight_for_display(None, "kg", "lbs") == (None, "lbs")
    assert distance_for_display(None, "km", "miles") == (None, "miles")
    assert distance_for_display(Decimal(10), "km", "miles") == (Decimal("6.21"), "miles")
