"""Unit conversion for weights and distances.

Values are stored in the unit they were entered in and converted only to compare or to show
them, so a conversion never loses what the user typed. Arithmetic is in Decimal with enough
precision that converting there and back returns the original to far below a hundredth.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

WEIGHT_UNITS = ("kg", "lbs")
DISTANCE_UNITS = ("km", "miles", "meters")

# Exact by definition (international avoirdupois pound, international mile).
KG_PER_LB = Decimal("0.45359237")
METERS_PER_MILE = Decimal("1609.344")
METERS_PER_KM = Decimal(1000)

_KG_PER = {"kg": Decimal(1), "lbs": KG_PER_LB}
_METERS_PER = {"meters": Decimal(1), "km": METERS_PER_KM, "miles": METERS_PER_MILE}
PRECISION = 40
CENT = Decimal("0.01")

Number = Decimal | int | float | str


def _decimal(value: Number) -> Decimal:
    # str() first: Decimal(0.1) would carry the float's binary error into the result.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _convert(value: Number, factors: dict[str, Decimal], from_unit: str, to_unit: str) -> Decimal:
    try:
        source, target = factors[from_unit], factors[to_unit]
    except KeyError as error:
        raise ValueError(f"unknown unit {error.args[0]!r}; expected one of {', '.join(factors)}") from None
    value = _decimal(value)
    if from_unit == to_unit:
        return value
    with localcontext() as context:
        context.prec = PRECISION
        return value * source / target


def convert_weight(value: Number, from_unit: str, to_unit: str) -> Decimal:
    """``value`` in ``from_unit`` ('kg' or 'lbs') expressed in ``to_unit``, unrounded."""
    return _convert(value, _KG_PER, from_unit, to_unit)


def convert_distance(value: Number, from_unit: str, to_unit: str) -> Decimal:
    """``value`` in ``from_unit`` ('km', 'miles' or 'meters') expressed in ``to_unit``, unrounded."""
    return _convert(value, _METERS_PER, from_unit, to_unit)


def to_kg(value: Number, unit: str | None) -> Decimal:
    return convert_weight(value, unit or "kg", "kg")


def to_meters(value: Number, unit: str | None) -> Decimal:
    return convert_distance(value, unit or "km", "meters")


def rounded(value: Decimal, places: Decimal = CENT) -> Decimal:
    """For display: two decimals, trailing zeros are dropped by the ``num`` filter."""
    return value.quantize(places)


def weight_for_display(value: Number | None, unit: str | None, preferred: str) -> tuple[Decimal | None, str]:
    """A stored weight shown in the user's preferred unit, rounded to hundredths."""
    if value is None:
        return None, preferred
    return rounded(convert_weight(value, unit or preferred, preferred)), preferred


def distance_for_display(value: Number | None, unit: str | None, preferred: str) -> tuple[Decimal | None, str]:
    """A stored distance in the user's preferred unit, rounded to hundredths."""
    if value is None:
        return None, preferred
    return rounded(convert_distance(value, unit or preferred, preferred)), preferred
