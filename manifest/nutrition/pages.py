"""What the food pages show, built from rows already loaded: pure (no database, no Flask)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from manifest.nutrition import logic
from manifest.nutrition.logic import Totals

if TYPE_CHECKING:
    from manifest.models import Food

MEALS = tuple(logic.MEAL_LABELS)  # breakfast, lunch, dinner, snack: the order a day shows them


@dataclass
class Meal:
    meal_type: str
    entries: list[Food]
    totals: Totals

    @property
    def label(self) -> str:
        return logic.MEAL_LABELS[self.meal_type]


@dataclass
class DayLog:
    day: date
    meals: dict[str, Meal]
    totals: Totals
    targets: list[logic.TargetProgress]
    favorites: list[Food]
    recent: list[Food]

    @property
    def calories(self) -> logic.TargetProgress:
        return self.targets[0]

    @property
    def has_targets(self) -> bool:
        return any(t.target is not None for t in self.targets)

    def meals_showing(self, name: str) -> list[str]:
        """The meals with an entry of this food (any case): where a star on it shows."""
        lowered = name.lower()
        return [m for m, meal in self.meals.items() if any(e.food_name.lower() == lowered for e in meal.entries)]


def meals(entries: Iterable[Food]) -> dict[str, Meal]:
    """Entries grouped by meal, every meal present even when empty, in the day's order."""
    grouped: dict[str, list[Food]] = {meal: [] for meal in MEALS}
    for entry in entries:
        grouped[entry.meal_type].append(entry)
    return {meal: Meal(meal, rows, logic.totals(rows)) for meal, rows in grouped.items()}


def day_log(day: date, entries: Sequence[Food], targets: Mapping, favorites: list[Food],
            recent: list[Food]) -> DayLog:
    day_totals = logic.totals(entries)
    return DayLog(day=day, meals=meals(entries), totals=day_totals, targets=logic.progress(day_totals, targets),
                  favorites=favorites, recent=recent)


@dataclass(frozen=True)
class DaySummary:
    """Calories (and the rest) eaten on a day against the user's targets, for Today."""

    day: date
    totals: Totals
    targets: list[logic.TargetProgress]

    @property
    def calories(self) -> logic.TargetProgress:
        return self.targets[0]

    @property
    def entries(self) -> int:
        return self.totals.count


def day_summary(day: date, totals: Totals, targets: Mapping) -> DaySummary:
    return DaySummary(day, totals, logic.progress(totals, targets))


@dataclass(frozen=True)
class WeekDay:
    day: date
    totals: Totals


@dataclass
class Week:
    start: date
    days: list[WeekDay]
    average: Totals
    targets: list[logic.TargetProgress]  # the average day against the targets

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    def series(self, nutrient: str) -> list[tuple[str, Decimal | None]]:
        """Chart points: unlogged days are gaps, not zeros."""
        return [(f"{d.day:%a}", d.totals.shown(nutrient) if d.totals.count else None) for d in self.days]


def week(days: Sequence[date], sums: Mapping[date, Totals], targets: Mapping) -> Week:
    """Monday to Sunday: each day's totals (empty when nothing was logged) and the average logged day."""
    rows = [WeekDay(d, sums.get(d, Totals())) for d in days]
    average = logic.rounded(logic.average([r.totals for r in rows]))
    return Week(days[0], rows, average, logic.progress(average, targets))
