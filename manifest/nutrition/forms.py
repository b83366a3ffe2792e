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
from manifest.nutrition.logic import MEAL_LABELS

MEAL_CHOICES = [SelectChoice(meal, MEAL_LABELS[meal]) for meal in MEAL_TYPES]
# Bounds a real entry never reaches, below what the columns can hold (Numeric(8,2) and Numeric(6,2)).
MAX_CALORIES = Decimal(99999)
MAX_GRAMS = Decimal("9999.99")
MAX_SODIUM = 999999


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

    def scope(self, prefix: str) -> "FoodForm":
        """Give every field an id starting with ``prefix`` (names stay plain), so several copies of
        the form can share a page and each label still points at its own input."""
        for field in self:
            if field.type != "CSRFTokenField":
                field.id = f"{prefix}-{field.name}"
                field.label.field_id = field.id
        return self


class EditFoodForm(FoodForm):
    meal_type = SelectField("Meal", choices=MEAL_CHOICES, validate_choice=True)


class RepeatForm(Form):
    """Log a past food again, as it was, in a chosen meal of a day."""

    day = day_field("Day", DataRequired(message="Choose a day."))
    meal_type = SelectField("Meal", choices=MEAL_CHOICES, validate_choice=True)


class CopyMealForm(Form):
    from_day = day_field("From day", DataRequired(message="Choose the day to copy from."))
    from_meal = SelectField("Meal", choices=MEAL_CHOICES, validate_choice=True)
