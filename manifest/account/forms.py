from urllib.parse import urlsplit

from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

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
    timezone = SelectField("Time zone", validators=[DataRequired()], validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice(name, name.replace("_", " ")) for name in timezone_names()]
        self.timezone.validate_choice = True


class PasswordForm(Form):
    current_password = current_password_field()
    new_password = password_field("New password")


class DeleteAccountForm(Form):
    password = current_password_field("Your password")
