from urllib.parse import urlsplit

from wtforms import (
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from manifest.auth.forms import PASSWORD_MAX, password_field
from manifest.forms import Form
from manifest.timeutil import timezone_names


def web_url(form, field) -> None:
    if field.data:
        parts = urlsplit(field.data)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError("Enter a full web address starting with https://")


def current_password_field(label: str = "Current password") -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(message="Enter your current password."), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


class ProfileForm(Form):
    first_name = StringField("First name", validators=[Optional(), Length(max=100)])
    last_name = StringField("Last name", validators=[Optional(), Length(max=100)])
    bio = TextAreaField("Bio", validators=[Optional(), Length(max=2000)])
    avatar_url = StringField(
        "Avatar URL", validators=[Optional(), Length(max=500), web_url], render_kw={"type": "url"}
    )
    # Every choice is a zone, none empty: not marked required (see the workout type), checked on the server.
    timezone = SelectField("Time zone", validators=[DataRequired()], validate_choice=True, render_kw={"required": False})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice(name, name.replace("_", " ")) for name in timezone_names()]
        self.timezone.validate_choice = True

    def command(self) -> dict:
        return {name: self[name].data for name in ("first_name", "last_name", "bio", "avatar_url", "timezone")}


class PasswordForm(Form):
    current_password = current_password_field()
    new_password = password_field("New password")

    def command(self) -> tuple[str, str]:
        """The current password and the new one."""
        return self.current_password.data, self.new_password.data


class DeleteAccountForm(Form):
    password = current_password_field("Your password")

    def command(self) -> str:
        return self.password.data


def _target(label: str, high: int, unit: str) -> IntegerField:
    return IntegerField(label, validators=[
        Optional(), NumberRange(0, high, message=f"Enter a whole number from 0 to {high:,} {unit}, or leave it empty.")],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})


class TargetsForm(Form):
    """Daily nutrition targets; an empty field means no target."""

    target_calories = _target("Calories (kcal)", 20000, "kcal")
    target_protein_g = _target("Protein (g)", 2000, "g")
    target_carbs_g = _target("Carbs (g)", 2000, "g")
    target_fat_g = _target("Fat (g)", 2000, "g")
    target_fiber_g = _target("Fiber (g)", 2000, "g")
    target_sugar_g = _target("Sugar (g)", 2000, "g")
    target_sodium_mg = _target("Sodium (mg)", 100000, "mg")

    def command(self) -> dict:
        """Every target by its column; None clears one."""
        return {field.name: field.data for field in self if field.name.startswith("target_")}


class UnitsForm(Form):
    weight_unit = RadioField("Weight", choices=[
        SelectChoice("kg", "Kilograms (kg)"), SelectChoice("lbs", "Pounds (lbs)")], validators=[DataRequired()])
    distance_unit = RadioField("Distance", choices=[
        SelectChoice("km", "Kilometres (km)"), SelectChoice("miles", "Miles")], validators=[DataRequired()])

    def command(self) -> tuple[str, str]:
        return self.weight_unit.data, self.distance_unit.data
