"""Pure nutrition arithmetic: totals, portion scaling, progress against daily targets, weekly averages.

No database and no Flask here, so every rule can be checked with property tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from manifest.timeutil import week_start

# Food columns holding nutrients, in the order they are shown.
NUTRIENTS = ("calories", "protein_grams", "carbs_grams", "fats_grams", "fiber_grams", "sugar_grams", "sodium_mg")
# The user's target column for each nutrient.
TARGET_COLUMNS = {
    "calories": "target_calories", "protein_grams": "target_protein_g", "carbs_grams": "target_carbs_g",
    "fats_grams": "target_fat_g", "fiber_grams": "target_fiber_g", "sugar_grams": "target_sugar_g",
    "sodium_mg": "target_sodium_mg",
}
LABELS = {
    "calories": "Calories", "protein_grams": "Protein", "carbs_grams": "Carbs", "fats_grams": "Fat",
    "fiber_grams": "Fiber", "sugar_grams": "Sugar", "sodium_mg": "Sodium",
}
UNITS = {
    "calories": "kcal", "protein_grams": "g", "carbs_grams": "g", "fats_grams": "g", "fiber_grams": "g",
    "sugar_grams": "g", "sodium_mg": "mg",
}
MEAL_LABELS = {"breakfast": "Breakfast", "lunch": "Lunch", "dinner": "Dinner", "snack": "Snacks"}

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Totals:
    """Sums of each nutrient; a nutrient nobody recorded counts as 0 in the sums, and is named in
    ``unrecorded`` when none of the entries added up has it (shown as unknown, not as 0 g)."""

    values: Mapping[str, Decimal] = field(default_factory=lambda: {n: ZERO for n in NUTRIENTS})
    count: int = 0  # entries added up
    unrecorded: frozenset[str] = frozenset()

    def __getitem__(self, nutrient: str) -> Decimal:
        return self.values[nutrient]

    def shown(self, nutrient: str) -> Decimal | None:
        """The sum, or None when no entry recorded this nutrient."""
        return None if nutrient in self.unrecorded else self.values[nutrient]

    @property
    def calories(self) -> Decimal:
        return self.values["calories"]

    def __add__(self, other: Totals) -> Totals:
        # Unknown in the sum only when unknown on both sides; nothing added up knows nothing either way.
        if not other.count or not self.count:
            unrecorded = self.unrecorded if self.count else other.unrecorded
        else:
            unrecorded = self.unrecorded & other.unrecorded
        return Totals({n: self.values[n] + other.values[n] for n in NUTRIENTS}, self.count + other.count, unrecorded)


def totals(rows: Iterable) -> Totals:
    """Add up entries: objects with the nutrient attributes, or mappings with the nutrient keys."""
    sums = {n: ZERO for n in NUTRIENTS}
    recorded = set()
    count = 0
    for row in rows:
        count += 1
        for nutrient in NUTRIENTS:
            value = row.get(nutrient) if isinstance(row, Mapping) else getattr(row, nutrient)
            if value is not None:
                sums[nutrient] += Decimal(value)
                recorded.add(nutrient)
    return Totals(sums, count, frozenset(NUTRIENTS) - recorded if count else frozenset())


# How an average is shown: whole kcal and mg, grams to a tenth (2287.5 kcal reads 2288, 90.75 g 90.8 g).
SHOWN_STEP = {n: Decimal(1) if UNITS[n] in ("kcal", "mg") else Decimal("0.1") for n in NUTRIENTS}


def rounded(day_totals: Totals) -> Totals:
    """Totals rounded as they are shown, for figures worked out rather than entered (averages)."""
    return Totals({n: v.quantize(SHOWN_STEP[n], rounding=ROUND_HALF_UP) for n, v in day_totals.values.items()},
                  day_totals.count, day_totals.unrecorded)


# --- portions ------------------------------------------------------------------------------

_PORTION = re.compile(r"^\s*(\d+(?:[.,]\d+)?|[.,]\d+)\s*(.*?)\s*$")
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Portion:
    amount: Decimal
    unit: str  # lower case, spaces collapsed; "" when only a number was given


def parse_portion(text: str | None) -> Portion | None:
    """The leading number of a portion and what follows it: "150 g" -> 150 "g", "2 slices" -> 2 "slices",
    "1/2 cup" -> 0.5 "cup". None when the portion does not start with a positive number."""
    if not text:
        return None
    match = _FRACTION.match(text)
    if match:
        numerator, denominator, unit = Decimal(match.group(1)), Decimal(match.group(2)), match.group(3)
        if denominator == 0:
            return None
        amount = numerator / denominator
    else:
        match = _PORTION.match(text)
        if not match:
            return None
        amount, unit = Decimal(match.group(1).replace(",", ".")), match.group(2)
    if amount <= 0:
        return None
    return Portion(amount, " ".join(unit.lower().split()))


def _singular(unit: str) -> str:
    # "slice" and "slices" are the same unit; "g" and "gs" never occur, so this is safe enough.
    return unit[:-1] if len(unit) > 2 and unit.endswith("s") and not unit.endswith("ss") else unit


MAX_FACTOR, MIN_FACTOR = Decimal(1000), Decimal(1) / Decimal(1000)


def portion_factor(past: str | None, new: str | None) -> Decimal | None:
    """How many times the past portion the new one is; None when they cannot be compared."""
    before, after = parse_portion(past), parse_portion(new)
    if before is None or after is None or _singular(before.unit) != _singular(after.unit):
        return None
    factor = after.amount / before.amount
    # A thousandfold portion is a typo, not a meal: keep the past values rather than scale them.
    return factor if MIN_FACTOR <= factor <= MAX_FACTOR else None


def _round(nutrient: str, value: Decimal) -> Decimal | int:
    if nutrient == "sodium_mg":
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def scale_nutrients(past: Mapping[str, Decimal | int | None], past_portion: str | None,
                    new_portion: str | None) -> dict[str, Decimal | int | None]:
    """A past entry's nutrients for a new portion: "100 g" with 350 kcal becomes 525 kcal for "150 g".

    Units that differ or a portion without a leading number keep the past values unscaled.
    Unrecorded nutrients stay unrecorded.
    """
    factor = portion_factor(past_portion, new_portion)
    scaled: dict[str, Decimal | int | None] = {}
    for nutrient in NUTRIENTS:
        value = past.get(nutrient)
        if value is None:
            scaled[nutrient] = None
        elif factor is None:
            scaled[nutrient] = value
        else:
            scaled[nutrient] = _round(nutrient, Decimal(value) * factor)
    return scaled


# --- targets -------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetProgress:
    nutrient: str
    eaten: Decimal
    target: int | None
    known: bool = True  # False when the entries eaten have no value for it: unknown, not 0

    @property
    def label(self) -> str:
        return LABELS[self.nutrient]

    @property
    def unit(self) -> str:
        return UNITS[self.nutrient]

    @property
    def over(self) -> Decimal:
        """How far above the target (0 when under it or without a target)."""
        return max(self.eaten - self.target, ZERO) if self.target is not None else ZERO

    @property
    def is_over(self) -> bool:
        return self.target is not None and self.eaten > self.target

    @property
    def remaining(self) -> Decimal | None:
        return max(Decimal(self.target) - self.eaten, ZERO) if self.target is not None else None

    @property
    def ratio(self) -> float | None:
        if self.target is None:
            return None
        if self.target == 0:
            return 1.0 if self.eaten == 0 else 2.0
        return float(self.eaten / self.target)

    @property
    def meter_value(self) -> Decimal:
        """What a <meter max=target> shows: capped, so the bar is full rather than broken when over."""
        return min(self.eaten, Decimal(self.target or 0))


def progress(day_totals: Totals, targets: Mapping[str, int | None]) -> list[TargetProgress]:
    """Each nutrient against its target (``targets`` keyed by nutrient), in display order."""
    return [TargetProgress(n, day_totals[n], targets.get(n), n not in day_totals.unrecorded) for n in NUTRIENTS]


def user_targets(user) -> dict[str, int | None]:
    return {n: getattr(user, column) for n, column in TARGET_COLUMNS.items()}


# --- weeks ---------------------------------------------------------------------------------

def week_days(day: date) -> list[date]:
    start = week_start(day)
    return [start + timedelta(days=i) for i in range(7)]


def average(per_day: Sequence[Totals]) -> Totals:
    """The average day among days with entries (an unlogged day is unknown, not a fast)."""
    logged = [t for t in per_day if t.count]
    if not logged:
        return Totals()
    total = Totals()
    for day_totals in logged:
        total = total + day_totals
    n = Decimal(len(logged))
    return Totals({k: (v / n).quantize(CENT, rounding=ROUND_HALF_UP) for k, v in total.values.items()}, len(logged),
                  total.unrecorded)


