"""Form base and fields shared by every area."""

from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import DecimalField, StringField


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
