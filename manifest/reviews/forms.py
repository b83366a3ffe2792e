"""The review form: every field can be validated and saved on its own (autosave) or all together."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from wtforms import Field, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from manifest.forms import AmountField, Form

MAX_TEXT = 10_000
MAX_WATER_ML = 20_000
MAX_STEPS = 200_000
MAX_SCREEN_MINUTES = 1440


@dataclass(frozen=True)
class Spec:
    """How one review field is shown: ``kind`` is rating, number or text."""

    name: str
    label: str
    kind: str
    hint: str = ""
    unit: str = ""
    inputmode: str = "numeric"


RATING_SPECS = (
    Spec("mood_rating", "Mood", "rating", "1 is awful, 10 is wonderful."),
    Spec("energy_level", "Energy", "rating", "1 is drained, 10 is full of energy."),
    Spec("productivity_rating", "Productivity", "rating", "How much of what mattered got done?"),
    Spec("sleep_quality", "Sleep quality", "rating", "How well did you sleep last night?"),
)
NUMBER_SPECS = (
    Spec("sleep_hours", "Sleep", "number", "Hours, e.g. 7.5 or 7:30.", "h", "decimal"),
    Spec("water_intake_ml", "Water", "number", "Millilitres, e.g. 2000.", "ml"),
    Spec("steps", "Steps", "number", "e.g. 8000.", "steps"),
    Spec("screen_time_minutes", "Screen time", "number", "Minutes, up to 1440.", "min"),
)
TEXT_SPECS = (
    Spec("accomplishments", "Accomplishments", "text", "What did you get done?"),
    Spec("challenges", "Challenges", "text", "What was hard?"),
    Spec("lessons_learned", "Lessons learned", "text", "What would you do differently?"),
    Spec("gratitude", "Gratitude", "text", "What are you thankful for today?"),
    Spec("tomorrow_intentions", "Intentions for tomorrow", "text", "They greet you at the top of tomorrow's review."),
    Spec("highlights", "Highlights", "text", "The best moment of the day."),
)
GROUPS = (
    ("ratings", "How did it go?", RATING_SPECS),
    ("numbers", "Body", NUMBER_SPECS),
    ("reflections", "Reflection", TEXT_SPECS),
)
SPECS = {spec.name: spec for _, _, specs in GROUPS for spec in specs}
FIELD_NAMES = tuple(SPECS)
RATING_NAMES = tuple(spec.name for spec in RATING_SPECS)
TEXT_NAMES = tuple(spec.name for spec in TEXT_SPECS)


class RatingField(Field):
    """A 1-10 rating from a row of radio buttons; the empty choice clears it."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = (valuelist[0] or "").strip()
        self.data = None
        if text == "":
            return
        if not re.fullmatch(r"[0-9]{1,2}", text) or not 1 <= int(text) <= 10:
            raise ValueError(f"Choose {self.label.text.lower()} from 1 to 10.")
        self.data = int(text)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class WholeNumberField(Field):
    """A whole number; takes thousands separators ("10,000") since people write steps that way."""

    def __init__(self, label=None, validators=None, example: str = "8000", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.example = example

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = (valuelist[0] or "").strip().replace(" ", "").replace("_", "")
        self.data = None
        if text == "":
            return
        if re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+", text):
            text = text.replace(",", "")
        if not re.fullmatch(r"-?[0-9]{1,12}", text):
            raise ValueError(f"Enter a whole number, e.g. {self.example}.")
        self.data = int(text)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class HoursField(AmountField):
    """Hours as a decimal ("7.5", "7,5") or as hours and minutes ("7:30"), kept to one decimal."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "") or ""
        match = re.fullmatch(r"\s*([0-9]{1,2}):([0-5][0-9])\s*", text)
        if match:
            self.data = Decimal(match.group(1)) + Decimal(match.group(2)) / 60
        else:
            super().process_formdata(valuelist)
        # Rounding "1e30" to a tenth would fail; the range check refuses such a value anyway.
        if self.data is not None and self.data.adjusted() < 3:
            self.data = self.data.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        text = f"{self.data:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text


def _text(label: str) -> TextAreaField:
    return TextAreaField(label, validators=[
        Optional(), Length(max=MAX_TEXT, message=f"Keep it under {MAX_TEXT:,} characters."),
    ])


def _rating(label: str) -> RatingField:
    return RatingField(label)


class ReviewForm(Form):
    mood_rating = _rating("Mood")
    energy_level = _rating("Energy")
    productivity_rating = _rating("Productivity")
    sleep_quality = _rating("Sleep quality")
    sleep_hours = HoursField("Sleep", places=None, validators=[
        Optional(), NumberRange(0, 24, "Enter hours of sleep from 0 to 24."),
    ], invalid_value_message="Enter hours of sleep as a number, e.g. 7.5.")
    water_intake_ml = WholeNumberField("Water", [
        Optional(), NumberRange(0, MAX_WATER_ML, f"Enter water from 0 to {MAX_WATER_ML:,} ml."),
    ], example="2000")
    steps = WholeNumberField("Steps", [
        Optional(), NumberRange(0, MAX_STEPS, f"Enter steps from 0 to {MAX_STEPS:,}."),
    ])
    screen_time_minutes = WholeNumberField("Screen time", [
        Optional(), NumberRange(0, MAX_SCREEN_MINUTES, "Enter screen time from 0 to 1440 minutes (a whole day)."),
    ], example="90")
    accomplishments = _text("Accomplishments")
    challenges = _text("Challenges")
    lessons_learned = _text("Lessons learned")
    gratitude = _text("Gratitude")
    tomorrow_intentions = _text("Intentions for tomorrow")
    highlights = _text("Highlights")

    def command(self, names) -> dict | None:
        """Validate only the named fields; their values (None clears) or None when any is invalid.

        Fields not named keep their errors empty, so one field saved on its own is judged alone.
        """
        valid = True
        for name in names:
            field = self[name]
            if not field.validate(self):
                # A value that could not be read also fails its range check; the first error says why.
                field.errors = field.errors[:1]
                valid = False
            elif isinstance(field.data, str) and "\x00" in field.data:
                field.errors = [*field.errors, "Contains a character that is not allowed."]
                valid = False
        if not valid:
            return None
        values = {}
        for name in names:
            data = self[name].data
            if isinstance(data, str):
                data = data.strip() or None
            values[name] = data
        return values

