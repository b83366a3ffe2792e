"""Form base and fields shared by every area."""

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, StringField
from wtforms.validators import ValidationError

from manifest.filters import number
from manifest.timeutil import EARLIEST_DAY, LATEST_DAY


class FieldError(ValueError):
    """A change the rules refuse, with a message for the user; ``field`` names the form field it
    belongs to (None: the form as a whole). Every area raises this one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


NOT_YET_MESSAGE = "That day has not happened yet."


def not_in_future(day: date, today: date, field: str | None = None) -> None:
    """The rule of every area: nothing is logged on a day that has not come yet (the user's today)."""
    if day > today:
        raise FieldError(NOT_YET_MESSAGE, field)


def attach_error(form, error: FieldError) -> None:
    """Show a service's refusal on the form: on its field, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def form_errors(form) -> str:
    """Every message on a form, as one line (for a flash or an inline note)."""
    return " ".join([*(e for f in form for e in f.errors), *form.form_errors])


def plain_number(value: Decimal) -> bool:
    """Finite and not vanishingly small: "1e-999999999" is a number to Decimal, but no column can
    store it and spelling it out would take a gigabyte. (Huge ones are refused by the ranges.)"""
    return value.is_finite() and (value.is_zero() or value.adjusted() >= -20)


def parse_amount(raw, *, field: str | None = None, positive: bool = False, below: Decimal | int = 1_000_000,
                 places: int = 2, empty: str = "Enter an amount.", invalid: str = "Enter a number, e.g. 2.5.",
                 too_small: str | None = None, too_large: str = "Enter an amount below a million.") -> Decimal:
    """A typed amount ("2,5" or "2.5") as a Decimal rounded to ``places``; FieldError otherwise.

    Zero is allowed unless ``positive``; negatives, NaN, infinities and ``below`` or more never are.
    """
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip().replace(",", ".")
        if not text:
            raise FieldError(empty, field)
        try:
            value = Decimal(text)
        except ArithmeticError:
            raise FieldError(invalid, field) from None
    if not value.is_finite():
        raise FieldError(invalid, field)
    if value < 0 or (positive and value == 0):
        raise FieldError(too_small or ("Enter an amount above 0." if positive else "Enter zero or more."), field)
    if value >= below:
        raise FieldError(too_large, field)
    if not plain_number(value):
        raise FieldError(invalid, field)
    return value.quantize(Decimal(1).scaleb(-places))


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
        if value is None or not plain_number(value):
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
