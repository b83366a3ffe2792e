"""Form base and fields shared by every area."""

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, StringField
from wtforms.validators import ValidationError

from manifest.filters import number
from manifest.timeutil import EARLIEST_DAY, LATEST_DAY


class Form(FlaskForm):
    """Refuses NUL characters, which PostgreSQL cannot store, with a message instead of a 500."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, StringField) and isinstance(field.data, str) and "\x00" in field.data:
                field.errors = [*field.errors, "Contains a character that is not allowed."]
                valid = False
        return valid


class AmountField(DecimalField):
    """A decimal that also takes a comma, and refuses NaN and infinities instead of crashing on them."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = (valuelist[0] or "").strip().replace(",", ".")
        if not text:
            self.data = None
            raise ValueError(self.invalid_value_message or "Enter a number, e.g. 12.5.")
        try:
            value = Decimal(text)
        except (InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite():
            self.data = None
            raise ValueError(self.invalid_value_message or "Enter a number, e.g. 12.5.")
        self.data = value

    def _value(self) -> str:
        # What was typed stays as typed; a stored 62.50 is shown as 62.5, as everywhere else.
        if self.raw_data:
            return self.raw_data[0]
        return number(self.data)


class InCalendar:
    """A day inside the range the app can show: a year like 0001 or 9999 would be saved and then
    never found again (pages refuse such days in their address)."""

    def __init__(self, first: date = EARLIEST_DAY, last: date = LATEST_DAY):
        self.first, self.last = first, last

    def __call__(self, form, field):
        if field.data is not None and not self.first <= field.data <= self.last:
            raise ValidationError(f"Choose a date between {self.first.year} and {self.last.year}.")


def day_field(label: str, *validators, first: date = EARLIEST_DAY, last: date = LATEST_DAY, **kwargs) -> DateField:
    return DateField(label, validators=[*validators, InCalendar(first, last)],
                     invalid_value_message="Enter a real date, e.g. 2025-03-31.", **kwargs)
