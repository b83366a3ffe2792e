from wtforms import BooleanField, HiddenField, IntegerField, StringField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from manifest.forms import Form


class SettingsForm(Form):
    in_app_enabled = BooleanField("In the app (the bell in the header)")
    email_enabled = BooleanField("By email")
    push_enabled = BooleanField("On your devices (push notifications)")
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

    def command(self, *, push: bool = True) -> dict:
        """The settings to save; ``push`` False (the server cannot push) leaves that choice alone."""
        return {name: field.data for name, field in self._fields.items()
                if name != "csrf_token" and (push or name != "push_enabled")}


class DeviceForm(Form):
    """This browser's push subscription, filled in by static/js/pwa.js once the user allowed it."""

    endpoint = HiddenField()
    p256dh = HiddenField()
    auth = HiddenField()
    name = StringField("Name of this device", validators=[Length(max=100, message="At most 100 characters.")])

    def command(self) -> dict:
        return {name: (self._fields[name].data or "") for name in ("endpoint", "p256dh", "auth", "name")}
