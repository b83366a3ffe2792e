from wtforms import BooleanField, IntegerField, TimeField
from wtforms.validators import InputRequired, NumberRange, Optional

from manifest.forms import Form


class SettingsForm(Form):
    in_app_enabled = BooleanField("In the app (the bell in the header)")
    email_enabled = BooleanField("By email")
    habit_reminders = BooleanField("Habit reminders, at each habit's reminder time")
    review_reminders = BooleanField("Evening review reminder")
    review_reminder_time = TimeField("Review reminder time", validators=[Optional()])
    goal_reminders = BooleanField("Goal deadlines, and recurring goals about to close behind pace")
    reminder_before_hours = IntegerField(
        "Hours before a goal's deadline",
        validators=[InputRequired(message="Enter a number of hours."),
                    NumberRange(min=1, max=720, message="Enter between 1 and 720 hours.")],
    )
    weekly_digest = BooleanField("Weekly summary on Monday morning")
    quiet_start = TimeField("Quiet from", validators=[Optional()])
    quiet_end = TimeField("Quiet until", validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (self.quiet_start.data is None) != (self.quiet_end.data is None):
            self.quiet_end.errors = [*self.quiet_end.errors, "Give both ends of the quiet hours, or neither."]
            valid = False
        elif self.quiet_start.data is not None and self.quiet_start.data == self.quiet_end.data:
            self.quiet_end.errors = [*self.quiet_end.errors, "Quiet hours must end at another time than they start."]
            valid = False
        return valid

    def command(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
