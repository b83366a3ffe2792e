"""Form base shared by every area."""

from flask_wtf import FlaskForm
from wtforms import StringField


class Form(FlaskForm):
    """Refuses NUL characters, which PostgreSQL cannot store, with a message instead of a 500."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, StringField) and isinstance(field.data, str) and "\x00" in field.data:
                field.errors = [*field.errors, "Contains a character that is not allowed."]
                valid = False
        return valid
