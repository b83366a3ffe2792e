"""Forms of progress: a measurement, and publishing a year in review."""

from __future__ import annotations

from decimal import Decimal

from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from manifest.forms import AmountField, Form, day_field
from manifest.progress.services import MeasurementCommand

# Below what the columns hold (Numeric(6,2), Numeric(4,1)) and above any real body.
MAX_WEIGHT = Decimal(1500)
MAX_WAIST = Decimal(500)


class MeasurementForm(Form):
    measured_on = day_field("Day", InputRequired(message="Enter the day."))
    weight = AmountField("Weight", places=2, validators=[
        Optional(), NumberRange(min=Decimal("0.1"), max=MAX_WEIGHT, message="Enter a weight between 0.1 and 1500.")])
    body_fat = AmountField("Body fat", places=1, validators=[
        Optional(), NumberRange(min=Decimal(1), max=Decimal(75), message="Enter a percentage between 1 and 75.")])
    waist = AmountField("Waist", places=2, validators=[
        Optional(), NumberRange(min=Decimal(1), max=MAX_WAIST, message="Enter a waist between 1 and 500.")])
    note = StringField("Note", validators=[Optional(), Length(max=500)])
    # Where the form sits (today, or the measurements page): what its answer renders.
    origin = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.weight.data is None and self.body_fat.data is None and self.waist.data is None:
            self.weight.errors = [*self.weight.errors, "Enter a weight, a body fat percentage or a waist measurement."]
            valid = False
        return valid

    def command(self) -> MeasurementCommand:
        def rounded(value, places):
            return None if value is None else value.quantize(Decimal(1).scaleb(-places))

        return MeasurementCommand(
            self.measured_on.data, rounded(self.weight.data, 2), rounded(self.body_fat.data, 1),
            rounded(self.waist.data, 2), (self.note.data or "").strip() or None)


class PublishForm(Form):
    public = BooleanField("Share this year's review as a public page")


class DeleteForm(Form):
    """Only the CSRF token: deleting a measurement needs nothing else."""
