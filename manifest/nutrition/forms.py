"""One form per food action; each ``command()`` is what its service takes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from decimal import Decimal

from wtforms import (
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from manifest.forms import AmountField, Form, day_field
from manifest.models.nutrition import MEAL_TYPES
from manifest.nutrition.logic import MEAL_LABELS, NUTRIENTS

MEAL_CHOICES = [SelectChoice(meal, MEAL_LABELS[meal]) for meal in MEAL_TYPES]
# Bounds a real entry never reaches, below what the columns can hold (Numeric(8,2) and Numeric(6,2)).
MAX_CALORIES = Decimal(99999)
MAX_GRAMS = Decimal("9999.99")
MAX_SODIUM = 999999


@dataclass(frozen=True)
class FoodEntry:
    """A food as typed, cleaned: names on one line, empty text as nothing."""

    food_name: str
    portion_size: str | None
    meal_time: time | None
    nutrients: dict[str, Decimal | int | None]
    notes: str | None
    meal_type: str | None = None  # only when an edit may move it to another meal

    def columns(self) -> dict:
        """The entry's own columns (not its day, meal or star)."""
        return {"food_name": self.food_name, "portion_size": self.portion_size, "meal_time": self.meal_time,
                **self.nutrients, "notes": self.notes}


@dataclass(frozen=True)
class MealSlot:
    """A meal of a day: where a food is logged again, or the meal a copy comes from."""

    day: date
    meal_type: str


def _line(text: str | None) -> str | None:
    return " ".join((text or "").split()) or None


def _scoped(form, prefix: str):
    """Give every field an id starting with ``prefix`` (names stay plain), so several copies of a
    form can share a page and each label still points at its own input."""
    for field in form:
        if field.type != "CSRFTokenField":
            field.id = f"{prefix}-{field.name}"
            field.label.field_id = field.id
    return form


def _grams(label: str) -> AmountField:
    return AmountField(label, places=None, validators=[
        Optional(), NumberRange(0, MAX_GRAMS, message=f"Enter 0 to {MAX_GRAMS} g.")],
        render_kw={"inputmode": "decimal", "autocomplete": "off"})


class FoodForm(Form):
    food_name = StringField("Food", validators=[DataRequired(message="Name the food."), Length(max=255)],
                            render_kw={"autocomplete": "off", "placeholder": "e.g. Oatmeal"})
    portion_size = StringField("Portion", validators=[Optional(), Length(max=100)],
                               render_kw={"placeholder": "e.g. 150 g", "autocomplete": "off"})
    meal_time = TimeField("Time", validators=[Optional()])
    calories = AmountField("Calories (kcal)", places=None, validators=[
        Optional(), NumberRange(0, MAX_CALORIES, message="Enter 0 to 99999 kcal.")],
        render_kw={"inputmode": "decimal", "autocomplete": "off"})
    protein_grams = _grams("Protein (g)")
    carbs_grams = _grams("Carbs (g)")
    fats_grams = _grams("Fat (g)")
    fiber_grams = _grams("Fiber (g)")
    sugar_grams = _grams("Sugar (g)")
    sodium_mg = IntegerField("Sodium (mg)", validators=[
        Optional(), NumberRange(0, MAX_SODIUM, message=f"Enter 0 to {MAX_SODIUM} mg.")],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)], render_kw={"rows": 1})

    def scope(self, prefix: str) -> FoodForm:
        return _scoped(self, prefix)

    def command(self) -> FoodEntry:
        return FoodEntry(
            food_name=_line(self.food_name.data), portion_size=_line(self.portion_size.data),
            meal_time=self.meal_time.data, nutrients={name: self[name].data for name in NUTRIENTS},
            notes=(self.notes.data or "").strip() or None,
        )


class EditFoodForm(FoodForm):
    meal_type = SelectField("Meal", choices=MEAL_CHOICES, validate_choice=True)

    def command(self) -> FoodEntry:
        return replace(super().command(), meal_type=self.meal_type.data)


class RepeatForm(Form):
    """Log a past food again, as it was, in a chosen meal of a day."""

    day = day_field("Day", DataRequired(message="Choose a day."))
    meal_type = SelectField("Meal", choices=MEAL_CHOICES, validate_choice=True)

    def command(self) -> MealSlot:
        return MealSlot(self.day.data, self.meal_type.data)

    def error(self) -> str:
        """Its refusal as one line: the form is a row of the quick-add list, with no room per field."""
        return " ".join(e for f in self for e in f.errors) or "Choose a day and a meal."


class CopyMealForm(Form):
    from_day = day_field("From day", DataRequired(message="Choose the day to copy from."))
    from_meal = SelectField("Meal", choices=MEAL_CHOICES, validate_choice=True)

    def scope(self, meal: str) -> CopyMealForm:
        return _scoped(self, f"copy-{meal}")

    def command(self) -> MealSlot:
        return MealSlot(self.from_day.data, self.from_meal.data)


class FavoriteForm(Form):
    """The wanted state of a star ("1" starred, "0" not), not a toggle: a repeated click cannot undo itself."""

    favorite = StringField(default="1")

    def command(self) -> bool:
        return (self.favorite.data or "1") == "1"
